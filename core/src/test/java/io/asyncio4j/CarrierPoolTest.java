package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import static io.asyncio4j.TestLoops.runVirtual;
import static io.asyncio4j.TestLoops.virtualRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop's carrier pool: the virtual thread of a task that ended serves the next task's first step, and
 * nothing one task left on it reaches the next one.
 */
class CarrierPoolTest {
    private static final ThreadLocal<String> LOCAL = new ThreadLocal<>();
    private static final InheritableThreadLocal<String> INHERITED = new InheritableThreadLocal<>();

    @Test
    void theNextTaskRunsOnTheThreadOfATaskThatEndedWithNoThreadLocalOfIt() {
        runVirtual(() -> {
            Thread first = Asyncio.createTask(() -> {
                LOCAL.set("task 1's");
                INHERITED.set("task 1's");
                return Thread.currentThread();
            }).await();
            List<Object> seen = Asyncio.createTask(() -> {
                List<Object> out = new ArrayList<>();
                out.add(Thread.currentThread());
                out.add(String.valueOf(LOCAL.get()));
                out.add(String.valueOf(INHERITED.get()));
                return out;
            }).await();
            assertSame(first, seen.get(0), "the second task reuses the first one's thread");
            assertEquals("null", seen.get(1));
            assertEquals("null", seen.get(2));
        });
    }

    /**
     * At every switch the JDK copies the frames between the thread's entry and the yield point, so the kernel
     * keeps one frame of its own there: the carrier's, which calls the body itself, on a new thread and on a
     * pooled one alike.
     */
    @Test
    void aTasksBodyIsCalledStraightFromItsCarrierOnANewAndOnAPooledThread() {
        Callable<List<String>> callers = () -> {
            StackTraceElement[] s = Thread.currentThread().getStackTrace();
            int body = 0;
            while (!s[body].getMethodName().startsWith("lambda$")) {
                body++;
            }
            return List.of(s[body + 1].getClassName() + "." + s[body + 1].getMethodName(),
                    s[body + 2].getClassName() + "." + s[body + 2].getMethodName());
        };
        List<List<String>> seen = runVirtual(() -> List.of(Asyncio.createTask(callers).await(),
                Asyncio.createTask(callers).await()));
        List<String> expected = List.of("io.asyncio4j.Task$Carrier.run", "java.lang.VirtualThread.run");
        assertEquals(expected, seen.get(0), "on a new thread");
        assertEquals(expected, seen.get(1), "on a pooled thread");
    }

    @Test
    void aPooledThreadInheritsWhatTheLoopsThreadHasAsANewThreadWould() throws Exception {
        INHERITED.set("the loop thread's");
        ClassLoader loader = new ClassLoader(getClass().getClassLoader()) { };
        try {
            List<String> seen = runVirtual(() -> {
                Asyncio.createTask(() -> {
                    INHERITED.set("changed by task 1");
                    Thread.currentThread().setContextClassLoader(loader);
                    Thread.currentThread().setUncaughtExceptionHandler((t, e) -> { });
                }).await();
                return Asyncio.createTask(() -> List.of(String.valueOf(INHERITED.get()),
                        String.valueOf(Thread.currentThread().getContextClassLoader() == loader),
                        String.valueOf(Thread.currentThread().getUncaughtExceptionHandler()
                                == Thread.currentThread().getThreadGroup()))).await();
            });
            assertEquals(List.of("the loop thread's", "false", "true"), seen);
        } finally {
            INHERITED.remove();
        }
    }

    @Test
    void anInterruptLeftByATaskIsClearedAndTheThreadBearsTheNextTasksName() {
        runVirtual(() -> {
            Thread first = Asyncio.createTask(() -> {
                Thread.currentThread().interrupt();
                return Thread.currentThread();
            }, "first").await();
            List<Object> seen = Asyncio.createTask(() -> List.of(Thread.currentThread(),
                    Thread.currentThread().isInterrupted(), Thread.currentThread().getName(),
                    Asyncio.currentTask().getName()), "second").await();
            assertSame(first, seen.get(0));
            assertEquals(false, seen.get(1));
            assertEquals("second", seen.get(2));
            assertEquals("second", seen.get(3));
        });
    }

    @Test
    void aPooledThreadTakenByAnUnnamedTaskBearsNoEarlierTasksName() {
        runVirtual(() -> {
            Thread first = Asyncio.createTask(Thread::currentThread, "first").await();
            List<Object> seen = Asyncio.createTask(() -> List.of(Thread.currentThread(),
                    Thread.currentThread().getName(), Asyncio.currentTask().getName())).await();
            assertSame(first, seen.get(0));
            assertEquals("", seen.get(1), "an unnamed task's thread has no name, as a new one would");
            assertEquals("Task-2", seen.get(2));
        });
    }

    @Test
    void aTaskThatWaitsOnAPooledThreadIsWokenAndCancelledAsOnANewOne() {
        runVirtual(() -> {
            Thread first = Asyncio.createTask(Thread::currentThread).await();
            Task<Thread> sleeper = Asyncio.createTask(() -> {
                Asyncio.sleep(1);
                return Thread.currentThread();
            });
            assertSame(first, sleeper.await());
            Task<Void> cancelled = Asyncio.createTask(() -> Asyncio.sleep(10));
            Asyncio.sleep(0);
            cancelled.cancel();
            TestLoops.awaitCancelled(cancelled);
            assertEquals(1.0, TestLoops.now());
        });
    }

    @Test
    void thePoolKeepsAFewThreadsAndTheOthersEnd() {
        runVirtual(() -> {
            List<Task<Thread>> tasks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                tasks.add(Asyncio.createTask(() -> {
                    Asyncio.sleep(1); // all 100 threads exist at once, and all end in one iteration
                    return Thread.currentThread();
                }));
            }
            Set<Thread> threads = new HashSet<>();
            for (Task<Thread> t : tasks) {
                threads.add(t.await());
            }
            assertEquals(100, threads.size());
            Asyncio.sleep(0);
            assertEquals(CarrierPool.MAX, Asyncio.getRunningLoop().carrierPool().size());
            int ended = 0;
            for (Thread th : threads) {
                if (th.getState() == Thread.State.TERMINATED) { // a thread ends within its last step, on the loop
                    ended++;
                }
            }
            assertEquals(100 - CarrierPool.MAX, ended);
        });
    }

    @Test
    void closingTheLoopEndsItsPooledThreads() throws InterruptedException {
        Thread pooled;
        try (Runner runner = virtualRunner()) {
            pooled = runner.run(() -> Asyncio.createTask(Thread::currentThread).await());
            assertEquals(2, runner.getLoop().carrierPool().size(), "the child's thread and the main task's");
            assertTrue(pooled.isAlive());
            assertEquals(CarrierPool.IDLE_NAME, pooled.getName(), "an idle thread bears no task's name");
        }
        assertTrue(joined(pooled), "a pooled thread ends when its loop closes");
    }

    @Test
    void aPooledThreadInterruptedThroughAKeptReferenceEndsAndIsNotReused() {
        runVirtual(() -> {
            Thread first = Asyncio.createTask(Thread::currentThread).await();
            first.interrupt(); // someone kept the thread of an ended task
            assertTrue(joined(first), "the stray wake-up retires the pooled thread");
            Thread second = Asyncio.createTask(() -> {
                assertFalse(Thread.currentThread().isInterrupted());
                return Thread.currentThread();
            }).await();
            assertNotSame(first, second);
            assertNull(Asyncio.createTask(() -> LOCAL.get()).await());
        });
    }

    /** Waits up to 5 s for {@code t} to end (inside a task, on a worker thread); true if it ended. */
    private static boolean joined(Thread t) throws InterruptedException {
        if (Task.currentOrNull() != null) {
            return Asyncio.toThread(() -> joined(t));
        }
        return t.join(Duration.ofSeconds(5));
    }
}
