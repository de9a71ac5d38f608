package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.EventLoop;
import io.asyncio4j.QueueEmpty;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.asyncio4j.sync.SyncTests.now;
import static io.asyncio4j.sync.SyncTests.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cancelled and timed-out getters and putters of a {@link Queue}, before and after hand-off: nothing lost,
 * nothing duplicated, maxsize never exceeded (test_queues.py's cancellation tests, and more).
 */
class QueueCancellationTest {

    // test_get_cancelled_race
    @Test
    void getterCancelledWhileWaitingLosesItsPlace() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> t1 = Asyncio.createTask(q::get);
            Task<String> t2 = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            t1.cancel();
            Asyncio.sleep(0);
            assertTrue(t1.cancelled());
            q.put("a");
            Asyncio.sleep(0);
            assertEquals("a", t2.await());
        });
    }

    // test_get_cancel_drop_one_pending_reader
    @Test
    void getterCancelledAfterHandOffGivesItsItemBackToTheFront() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            Task<Integer> reader = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.putNowait(1);                       // handed to reader
            q.putNowait(2);                       // buffered
            reader.cancel();
            assertThrows(CancelledError.class, reader::await);
            assertEquals("Queue[maxsize=0, qsize=2, getters=0, putters=0, unfinished=2]", q.toString());
            assertEquals(1, Asyncio.createTask(q::get).await());  // if 2 came out, 1 would have been lost
            assertEquals(2, q.getNowait());
        });
    }

    // test_get_cancel_drop_many_pending_readers. asyncio leaves open which reader gets which item (its
    // readers take from the buffer when they run); here the given-back item goes to the next waiting reader.
    @Test
    void getterCancelledAfterHandOffPassesItsItemToTheNextGetter() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            Task<Integer> reader1 = Asyncio.createTask(q::get);
            Task<Integer> reader2 = Asyncio.createTask(q::get);
            Task<Integer> reader3 = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.putNowait(1);                       // to reader1
            q.putNowait(2);                       // to reader2
            reader1.cancel();
            assertThrows(CancelledError.class, reader1::await);
            assertEquals(1, reader3.await());
            assertEquals(2, reader2.await());
            assertTrue(q.empty());
        });
    }

    @Test
    void gettersCancelledAfterHandOffPutTheirItemsBackInPutOrder() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            List<Task<Integer>> readers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                readers.add(Asyncio.createTask(q::get));
            }
            Asyncio.sleep(0);
            for (int i = 1; i <= 4; i++) {
                q.putNowait(i);                   // 1, 2, 3 handed; 4 buffered
            }
            readers.get(2).cancel();
            readers.get(0).cancel();
            readers.get(1).cancel();
            Asyncio.gatherSettled(readers);
            assertTrue(readers.stream().allMatch(Task::cancelled));
            assertEquals(List.of(1, 2, 3, 4), List.of(q.getNowait(), q.getNowait(), q.getNowait(), q.getNowait()));
        });
    }

    @Test
    void gettersCancelledAfterHandOffWhileAPutterWaitsKeepTheQueueAtMaxsize() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(2);
            Task<Integer> a = Asyncio.createTask(q::get);
            Task<Integer> b = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.putNowait(1);                       // to a
            q.putNowait(2);                       // to b: both slots held by handed items
            Task<Void> putter = Asyncio.createTask(() -> q.put(3));
            a.cancel();                           // before a, b and the putter run
            b.cancel();
            assertThrows(CancelledError.class, a::await);
            assertThrows(CancelledError.class, b::await);
            // a and b gave 1 and 2 back to their slots; the putter ran after them and found no room
            assertEquals("Queue[maxsize=2, qsize=2, getters=0, putters=1, unfinished=2]", q.toString());
            assertTrue(q.full());
            assertEquals(1, q.get());
            putter.await();
            assertEquals(List.of(2, 3), List.of(q.getNowait(), q.getNowait()));
        });
    }

    // test_put_cancelled_race and test_cancelled_puts_not_being_held_in_self_putters
    @Test
    void putterCancelledWhileWaitingLosesItsPlace() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>(1);
            Task<Void> putA = Asyncio.createTask(() -> q.put("a"));
            Task<Void> putB = Asyncio.createTask(() -> q.put("b"));
            Task<Void> putC = Asyncio.createTask(() -> q.put("X"));
            Asyncio.sleep(0);
            assertTrue(putA.done());
            assertFalse(putB.done());
            assertEquals("Queue[maxsize=1, qsize=1, getters=0, putters=2, unfinished=1]", q.toString());
            putC.cancel();
            Asyncio.sleep(0);
            assertTrue(putC.cancelled());
            assertEquals("Queue[maxsize=1, qsize=1, getters=0, putters=1, unfinished=1]", q.toString());
            assertEquals("a", q.getNowait());
            Asyncio.sleep(0);
            assertEquals("b", q.getNowait());
            putB.await();
            assertThrows(QueueEmpty.class, q::getNowait);
        });
    }

    // test_put_cancel_drop and test_cancelled_put_silence_value_error_exception
    @Test
    void putterCancelledAfterItsSlotWasReservedFreesTheSlotAndAddsNothing() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(1);
            Task<Void> writer = Asyncio.createTask(() -> q.put(2));
            Asyncio.sleep(0);
            assertEquals(1, q.getNowait());       // slot reserved for writer
            writer.cancel();
            assertThrows(CancelledError.class, writer::await);
            assertEquals("Queue[maxsize=1, qsize=0, getters=0, putters=0, unfinished=1]", q.toString());
            assertFalse(q.full());
            Asyncio.createTask(() -> q.put(2)).await();  // try again
            assertEquals(2, q.getNowait());
            assertEquals(0, q.qsize());
        });
    }

    @Test
    void putterCancelledAfterItsSlotWasReservedPassesTheSlotToTheNextPutter() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(1);
            Task<Void> p1 = Asyncio.createTask(() -> q.put(2));
            Task<Void> p2 = Asyncio.createTask(() -> q.put(3));
            Asyncio.sleep(0);
            assertEquals(1, q.getNowait());       // slot reserved for p1
            p1.cancel();                          // p1 passes it to p2 when it resumes
            assertThrows(CancelledError.class, p1::await);
            p2.await();
            assertEquals(3, q.getNowait());
            assertTrue(q.empty());
        });
    }

    // test_cancelled_getters_not_being_held_in_self_getters
    @Test
    void waitForAroundGetTimesOutAndLeavesNoGetterBehind() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(5);
            TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.waitFor(q::get, 0.1));
            assertInstanceOf(CancelledError.class, e.getCause());
            assertEquals(0.1, now(), 1e-9);
            assertEquals("Queue[maxsize=5, qsize=0, getters=0, putters=0, unfinished=0]", q.toString());
            q.putNowait(1);
            assertEquals(1, q.getNowait());
        });
    }

    // test_get_cancelled (3.x before the rewrite): wait_for(get, 0.051) gets an item put at 0.01
    @Test
    void waitForAroundGetReturnsAnItemPutInTime() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            Task<Integer> getter = Asyncio.createTask(() -> Asyncio.waitFor(q::get, 0.051));
            Asyncio.sleep(0.01);
            q.putNowait(1);
            assertEquals(1, getter.await());
            assertEquals(0.01, now(), 1e-9);
        });
    }

    @Test
    void timeoutAroundAPutToAFullQueueAddsNothing() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("x");
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.5, () -> q.put("y")));
            assertEquals(0.5, now(), 1e-9);
            assertEquals("Queue[maxsize=1, qsize=1, getters=0, putters=0, unfinished=1]", q.toString());
            assertEquals("x", q.get());
            assertThrows(QueueEmpty.class, q::getNowait);
        });
    }

    @Test
    void waitForAroundAPutReturnsOnceAGetFreesASlot() {
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Queue<String> q = new Queue<>(1);
            q.put("x");
            loop.callLater(0.2, q::getNowait);
            assertTrue(Asyncio.waitFor(() -> {
                q.put("y");
                return true;
            }, 1.0));
            assertEquals(0.2, now(), 1e-9);
            assertEquals("Queue[maxsize=1, qsize=1, getters=0, putters=0, unfinished=2]", q.toString());
            assertEquals("y", q.getNowait());
        });
    }

    // The put and the deadline fall on the same instant, put first: the item is handed to the getter,
    // which is cancelled before it resumes. It raises TimeoutError and the item stays in the queue.
    @Test
    void timeoutExpiringAfterTheItemWasHandedOverLosesNothing() {
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Queue<Integer> q = new Queue<>();
            loop.callLater(1.0, () -> q.putNowait(7));
            Task<Integer> getter = Asyncio.createTask(() -> Asyncio.timeout(1.0, q::get));
            assertThrows(TimeoutError.class, getter::await);
            assertEquals(1.0, now(), 1e-9);
            assertEquals("Queue[maxsize=0, qsize=1, getters=0, putters=0, unfinished=1]", q.toString());
            assertEquals(7, q.getNowait());
        });
    }

    // Same instant, deadline first: the getter is cancelled while it waits, the put skips it.
    @Test
    void timeoutExpiringBeforeThePutLeavesTheItemInTheQueue() {
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Queue<Integer> q = new Queue<>();
            Task<Integer> getter = Asyncio.createTask(() -> Asyncio.timeout(1.0, q::get));
            Asyncio.sleep(0);                     // the getter's deadline timer is scheduled first
            loop.callLater(1.0, () -> q.putNowait(7));
            assertThrows(TimeoutError.class, getter::await);
            assertEquals(7, q.getNowait());
        });
    }

    @Test
    void cancelPendingWhenGetMustWaitIsRaisedAtOnce() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            List<String> events = new ArrayList<>();
            Task<Void> task = Asyncio.createTask(() -> {
                Asyncio.currentTask().cancel();
                events.add("got " + q.get());  // a get that needs no wait is not a cancel point (as in asyncio)
                try {
                    q.get();
                } finally {
                    events.add("getters while cancelling: " + q.toString().contains("getters=0"));
                }
            });
            q.putNowait(1);
            assertThrows(CancelledError.class, task::await);
            assertEquals(List.of("got 1", "getters while cancelling: true"), events);
        });
    }
}
