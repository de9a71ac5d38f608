package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.AsyncGenerator;
import io.asyncio4j.Context;
import io.asyncio4j.ContextVar;
import io.asyncio4j.Task;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.asyncio4j.sync.SyncTests.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Context variables end to end with the primitives: each task has its own context however the tasks hand
 * locks, permits, tokens and generator values to each other (asyncio's contextvars with asyncio.Lock et al.).
 */
class ContextVarSyncTest {
    private static final ContextVar<String> VAR = new ContextVar<>("request_id", "unset");

    @Test
    void aValueSetInATaskIsNotSeenByItsParent() {
        runVirtual(() -> {
            VAR.set("parent");
            Task<String> child = Asyncio.createTask(() -> {
                VAR.set("child");
                Asyncio.sleep(1);
                return VAR.get();
            });
            assertEquals("child", child.await());
            assertEquals("parent", VAR.get());
        });
    }

    @Test
    void eachTaskStartsWithACopyOfItsCreatorsContextAsItWasAtCreation() {
        runVirtual(() -> {
            List<String> seen = new ArrayList<>();
            VAR.set("before createTask");
            Task<Void> child = Asyncio.createTask(() -> {
                seen.add("child sees " + VAR.get());
                VAR.set("child's");
                Asyncio.createTask(() -> {
                    seen.add("grandchild sees " + VAR.get());
                }).await();
            });
            VAR.set("after createTask");
            child.await();
            assertEquals(List.of("child sees before createTask", "grandchild sees child's"), seen);
            assertEquals("after createTask", VAR.get());
        });
    }

    @Test
    void valuesSetWhileHoldingALockStayInTheTaskThatSetThem() {
        runVirtual(() -> {
            Lock lock = new Lock();
            List<String> seen = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                tasks.add(Asyncio.createTask(() -> {
                    try (var held = lock.hold()) {
                        seen.add(name + " holds, sees " + VAR.get());
                        VAR.set(name);
                        Asyncio.sleep(1);
                    }
                    seen.add(name + " released, sees " + VAR.get());
                }));
            }
            Asyncio.gather(tasks);
            assertEquals(List.of("a holds, sees unset", "a released, sees a", "b holds, sees unset",
                    "b released, sees b", "c holds, sees unset", "c released, sees c"), seen);
            assertEquals("unset", VAR.get());
        });
    }

    @Test
    void aPermitHandedByAnotherTaskDoesNotCarryItsContext() {
        runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            Task<String> waiter = Asyncio.createTask(() -> {
                VAR.set("waiter's");
                sem.acquire();
                return VAR.get();
            });
            Asyncio.sleep(0);
            VAR.set("releaser's");
            sem.release(); // hands the permit to the waiter directly
            assertEquals("waiter's", waiter.await());
            assertEquals("releaser's", VAR.get());
        });
    }

    @Test
    void tasksWaitingForRateLimiterTokensKeepTheirOwnValues() {
        runVirtual(() -> {
            RateLimiter limiter = RateLimiter.perSecond(10);
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String name = "task " + i;
                tasks.add(Asyncio.createTask(() -> {
                    VAR.set(name);
                    limiter.acquire(); // woken by the limiter's timer, a callback in another context
                    return VAR.get();
                }));
            }
            assertEquals(List.of("task 0", "task 1", "task 2"), Asyncio.gather(tasks));
        });
    }

    @Test
    void aContextEnteredWithRunStaysCurrentAcrossAWaitAndIsLeftAfterwards() {
        runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<String> inside = Asyncio.createTask(() -> {
                VAR.set("task's own");
                String seenAfterWait = Context.copyContext().run(() -> {
                    VAR.set("inside run");
                    lock.acquire(); // waits while main holds the lock
                    return VAR.get();
                });
                return seenAfterWait + " / " + VAR.get();
            });
            Asyncio.sleep(1);
            lock.release();
            assertEquals("inside run / task's own", inside.await());
        });
    }

    @Test
    void aGeneratorBodySeesTheConsumersContextAtTheFirstRequestAndKeepsItsOwnSets() {
        runVirtual(() -> {
            VAR.set("consumer's");
            try (AsyncGenerator<String> gen = Asyncio.generator(out -> {
                out.yield(VAR.get());
                VAR.set("body's");
                out.yield(VAR.get());
            })) {
                assertEquals(List.of("consumer's", "body's"), gen.toList());
            }
            assertEquals("consumer's", VAR.get());
        });
    }

    @Test
    void valuesSetBetweenQueueHandOffsStayInTheSettingTask() {
        runVirtual(() -> {
            Queue<String> queue = new Queue<>(1);
            List<String> consumerSaw = new ArrayList<>();
            List<String> producerSaw = new ArrayList<>();
            Task<Void> consumer = Asyncio.createTask(() -> {
                VAR.set("consumer's");
                for (int i = 0; i < 3; i++) {
                    String item = queue.get();       // handed by the producer, which set a value of its own
                    consumerSaw.add(item + ": " + VAR.get());
                    VAR.set("consumer's after " + item);
                }
            });
            for (int i = 0; i < 3; i++) {
                VAR.set("producer's " + i);
                queue.put("item " + i);              // waits while the queue is full
                producerSaw.add(VAR.get());
            }
            consumer.await();
            assertEquals(List.of("item 0: consumer's", "item 1: consumer's after item 0",
                    "item 2: consumer's after item 1"), consumerSaw);
            assertEquals(List.of("producer's 0", "producer's 1", "producer's 2"), producerSaw);
        });
    }
}
