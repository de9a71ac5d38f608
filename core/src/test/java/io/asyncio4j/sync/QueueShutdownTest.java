package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.QueueShutDown;
import io.asyncio4j.Task;
import io.asyncio4j.TaskGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import static io.asyncio4j.sync.SyncTests.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code join}/{@code taskDone} and asyncio 3.13's {@code shutdown} for every kind of {@link Queue}
 * (test_queues.py's _QueueJoinTestMixin and _QueueShutdownTestMixin, run for Queue, LifoQueue and
 * PriorityQueue), plus shutdown racing hand-offs.
 */
class QueueShutdownTest {

    /** A named factory of one kind of queue, taking maxsize. */
    record Kind(String name, IntFunction<Queue<Object>> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Kind> kinds() {
        return Stream.of(new Kind("Queue", Queue::new), new Kind("LifoQueue", LifoQueue::new),
                new Kind("PriorityQueue", n -> new PriorityQueue<>(n, (a, b) -> a.toString().compareTo(b.toString()))));
    }

    // test_task_done_underflow (asyncio raises ValueError; asyncio4j maps "called too often" to IllegalStateException)
    @ParameterizedTest
    @MethodSource("kinds")
    void taskDoneCalledMoreOftenThanItemsWerePutIsAnError(Kind kind) {
        runVirtual(() -> {
            Queue<Object> q = kind.make.apply(0);
            IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
            assertEquals("Queue.taskDone() called more times than items were put; call it once per item got from the queue",
                    e.getMessage());
        });
    }

    // test_task_done
    @ParameterizedTest
    @MethodSource("kinds")
    void joinReturnsOnceWorkersMarkedEveryItemDone(Kind kind) {
        runVirtual(() -> {
            Queue<Object> q = kind.make.apply(0);
            for (int i = 0; i < 100; i++) {
                q.putNowait(i);
            }
            int[] sum = {0};
            boolean[] running = {true};
            TaskGroup.run(tg -> {
                for (int w = 0; w < 2; w++) {
                    tg.createTask(() -> {
                        while (running[0]) {
                            sum[0] += (Integer) q.get();
                            q.taskDone();
                        }
                    });
                }
                q.join();
                assertEquals(4950, sum[0]);
                running[0] = false;
                q.putNowait(0);                   // wake both workers so they see running == false
                q.putNowait(0);
                return null;
            });
        });
    }

    // test_join_empty_queue, plus: join() with nothing unfinished does not switch tasks
    @ParameterizedTest
    @MethodSource("kinds")
    void joinOfAQueueWithNothingUnfinishedReturnsAtOnce(Kind kind) {
        runVirtual(() -> {
            Queue<Object> q = kind.make.apply(0);
            List<String> events = new ArrayList<>();
            Asyncio.createTask(() -> events.add("other task"));
            q.join();
            q.join();
            events.add("joined");
            Asyncio.sleep(0);
            assertEquals(List.of("joined", "other task"), events);
        });
    }

    @Test
    void joinWaitersResumeInArrivalOrderAfterTheLastTaskDone() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>();
            List<String> events = new ArrayList<>();
            q.putNowait("a");
            q.putNowait("b");
            List<Task<Boolean>> joiners = new ArrayList<>();
            for (String name : List.of("j1", "j2")) {
                joiners.add(Asyncio.createTask(() -> {
                    q.join();
                    return events.add(name + " joined");
                }));
            }
            Asyncio.sleep(0);
            q.get();
            q.taskDone();
            Asyncio.sleep(0);
            events.add("one done");
            q.get();
            q.taskDone();
            events.add("two done");
            Asyncio.gather(joiners);
            assertEquals(List.of("one done", "two done", "j1 joined", "j2 joined"), events);
        });
    }

    @Test
    void cancelledJoinWaiterLeavesTheOthersWaiting() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>();
            q.putNowait("a");
            Task<Void> j1 = Asyncio.createTask(q::join);
            Task<Void> j2 = Asyncio.createTask(q::join);
            Asyncio.sleep(0);
            j1.cancel();
            assertThrows(CancelledError.class, j1::await);
            assertFalse(j2.done());
            q.getNowait();
            q.taskDone();
            j2.await();
        });
    }

    // test_format of both mixins
    @ParameterizedTest
    @MethodSource("kinds")
    void toStringShowsUnfinishedItemsAndShutdown(Kind kind) {
        runVirtual(() -> {
            Queue<Object> q = kind.make.apply(0);
            assertEquals(kind.name + "[maxsize=0, qsize=0, getters=0, putters=0, unfinished=0]", q.toString());
            q.putNowait("x");
            q.putNowait("y");
            q.getNowait();
            assertEquals(kind.name + "[maxsize=0, qsize=1, getters=0, putters=0, unfinished=2]", q.toString());
            q.shutdown();
            assertEquals(kind.name + "[maxsize=0, qsize=1, getters=0, putters=0, unfinished=2, shutdown]", q.toString());
        });
    }

    // test_shutdown_empty
    @ParameterizedTest
    @MethodSource("kinds")
    void shutdownOfAnEmptyQueueWakesItsGetterWithQueueShutDown(Kind kind) {
        runVirtual(() -> {
            Queue<Object> q = kind.make.apply(0);
            Task<Object> getter = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.shutdown(false);
            assertEquals(0, q.qsize());
            q.join();
            Asyncio.sleep(0);
            assertTrue(getter.done());
            assertThrows(QueueShutDown.class, getter::await);
            assertAllRaiseShutDown(q);
        });
    }

    // test_shutdown_nonempty
    @ParameterizedTest
    @MethodSource("kinds")
    void shutdownOfANonEmptyQueueFailsItsPutterAndLetsGetsDrainIt(Kind kind) {
        runVirtual(() -> {
            Queue<Object> q = kind.make.apply(1);
            q.putNowait("data");
            Task<Void> joiner = Asyncio.createTask(q::join);
            Task<Void> putter = Asyncio.createTask(() -> q.put("data2"));
            Asyncio.sleep(0);
            assertFalse(putter.done());
            q.shutdown(false);
            assertEquals(1, q.qsize());
            Asyncio.sleep(0);
            assertTrue(putter.done());
            QueueShutDown e = assertThrows(QueueShutDown.class, putter::await);
            assertEquals("Queue.put(): the queue is shut down", e.getMessage());
            assertEquals("data", q.get());
            Asyncio.sleep(0);
            assertFalse(joiner.done());
            assertAllRaiseShutDown(q);
            q.taskDone();
            Asyncio.sleep(0);
            assertTrue(joiner.done());
            joiner.await();
            assertThrows(IllegalStateException.class, q::taskDone);
        });
    }

    // test_shutdown_immediate
    @ParameterizedTest
    @MethodSource("kinds")
    void shutdownImmediatelyDropsTheItemsAndReleasesJoin(Kind kind) {
        runVirtual(() -> {
            Queue<Object> q = kind.make.apply(0);
            q.putNowait("data");
            Task<Void> joiner = Asyncio.createTask(q::join);
            q.shutdown(true);
            assertEquals(0, q.qsize());
            Asyncio.sleep(0);
            assertTrue(joiner.done());
            joiner.await();
            assertAllRaiseShutDown(q);
            assertThrows(IllegalStateException.class, q::taskDone);
        });
    }

    // test_shutdown_immediate_with_unfinished
    @ParameterizedTest
    @MethodSource("kinds")
    void shutdownImmediatelyKeepsJoinWaitingForItemsAlreadyGot(Kind kind) {
        runVirtual(() -> {
            Queue<Object> q = kind.make.apply(0);
            q.putNowait("data");
            q.putNowait("data");
            Task<Void> joiner = Asyncio.createTask(q::join);
            assertEquals("data", q.get());
            q.shutdown(true);                     // unfinished: 2 -> 1
            assertEquals(0, q.qsize());
            Asyncio.sleep(0);
            assertFalse(joiner.done());
            assertAllRaiseShutDown(q);
            q.taskDone();
            assertThrows(IllegalStateException.class, q::taskDone);
            Asyncio.sleep(0);
            assertTrue(joiner.done());
            joiner.await();
        });
    }

    private static void assertAllRaiseShutDown(Queue<Object> q) {
        assertThrows(QueueShutDown.class, () -> q.put("data"));
        assertThrows(QueueShutDown.class, () -> q.putNowait("data"));
        assertThrows(QueueShutDown.class, q::get);
        assertThrows(QueueShutDown.class, q::getNowait);
    }

    // asyncio: shutdown(immediate=True) sets the join event, then wakes getters, then putters, in order
    @Test
    void shutdownImmediatelyWakesJoinersThenPuttersEachInArrivalOrder() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>(1);
            List<String> events = new ArrayList<>();
            q.putNowait("x");
            for (String name : List.of("p1", "p2")) {
                Asyncio.createTask(() -> record(events, name, () -> q.put(name)));
            }
            Asyncio.createTask(() -> record(events, "joiner", q::join));
            Asyncio.sleep(0);
            events.add("shutdown");
            q.shutdown(true);                     // drops x: unfinished 1 -> 0
            Asyncio.sleep(0);
            assertEquals(List.of("shutdown", "joiner returned", "p1 QueueShutDown", "p2 QueueShutDown"), events);
        });
    }

    @Test
    void shutdownWakesGettersInArrivalOrder() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>();
            List<String> events = new ArrayList<>();
            for (String name : List.of("g1", "g2", "g3")) {
                Asyncio.createTask(() -> record(events, name, q::get));
            }
            Asyncio.sleep(0);
            assertEquals("Queue[maxsize=0, qsize=0, getters=3, putters=0, unfinished=0]", q.toString());
            q.shutdown();
            assertEquals("Queue[maxsize=0, qsize=0, getters=0, putters=0, unfinished=0, shutdown]", q.toString());
            Asyncio.sleep(0);
            assertEquals(List.of("g1 QueueShutDown", "g2 QueueShutDown", "g3 QueueShutDown"), events);
        });
    }

    private static void record(List<String> events, String name, Runnable call) {
        try {
            call.run();
            events.add(name + " returned");
        } catch (QueueShutDown e) {
            events.add(name + " QueueShutDown");
        }
    }

    // asyncio buffers the item and wakes the getter: after shutdown() it still finds the item and gets it
    @Test
    void getterHandedAnItemBeforeShutdownStillGetsIt() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> getter = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.putNowait("a");
            q.shutdown();
            assertEquals("a", getter.await());
            assertThrows(QueueShutDown.class, q::getNowait);
        });
    }

    // asyncio buffers the item and wakes the getter; shutdown(immediate=True) drains it, counts it done,
    // and the getter finds an empty shut-down queue. Same here, though the item was handed over already.
    @Test
    void getterHandedAnItemBeforeShutdownImmediatelyRaisesAndTheItemCountsAsDone() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> getter = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.putNowait("a");
            q.shutdown(true);
            assertEquals("Queue[maxsize=0, qsize=0, getters=0, putters=0, unfinished=0, shutdown]", q.toString());
            assertThrows(QueueShutDown.class, getter::await);
            q.join();
            assertThrows(IllegalStateException.class, q::taskDone);
        });
    }

    // asyncio wakes the putter; it resumes, finds the queue shut down, raises. Same with a reserved slot.
    @Test
    void putterWhoseSlotWasReservedBeforeShutdownRaises() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>(1);
            q.putNowait("x");
            Task<Void> putter = Asyncio.createTask(() -> q.put("y"));
            Asyncio.sleep(0);
            assertEquals("x", q.getNowait());     // slot reserved for the putter
            q.shutdown();
            assertThrows(QueueShutDown.class, putter::await);
            assertEquals("Queue[maxsize=1, qsize=0, getters=0, putters=0, unfinished=1, shutdown]", q.toString());
            assertFalse(q.full());
        });
    }

    @Test
    void getterCancelledAfterHandOffGivesItsItemBackToAShutDownQueue() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> getter = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.putNowait("a");
            q.shutdown();
            getter.cancel();
            assertThrows(CancelledError.class, getter::await);
            assertEquals("a", q.getNowait());     // gets drain a shut-down queue, given-back items too
            assertThrows(QueueShutDown.class, q::getNowait);
        });
    }

    @Test
    void shutdownImmediatelyAfterShutdownDropsWhatIsLeft() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>();
            q.putNowait("a");
            q.putNowait("b");
            q.shutdown();
            assertEquals("a", q.get());
            q.shutdown(true);
            q.shutdown();                         // still shut down immediately
            assertThrows(QueueShutDown.class, q::get);
            assertEquals("Queue[maxsize=0, qsize=0, getters=0, putters=0, unfinished=1, shutdown]", q.toString());
            q.taskDone();
            q.join();
        });
    }
}
