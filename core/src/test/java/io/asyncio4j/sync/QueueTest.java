package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.QueueEmpty;
import io.asyncio4j.QueueFull;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.TaskGroup;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.asyncio4j.sync.SyncTests.now;
import static io.asyncio4j.sync.SyncTests.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Queue} as asyncio's (CPython Lib/test/test_asyncio/test_queues.py: QueueBasicTests, QueueGetTests,
 * QueuePutTests), on virtual time. Hand-off and cancellation: {@link QueueHandOffTest},
 * {@link QueueCancellationTest}; join and shutdown: {@link QueueShutdownTest}.
 */
class QueueTest {

    // test_repr, test_str, test_format (the id that asyncio's repr shows has no Java counterpart)
    @Test
    void toStringShowsMaxsizeItemsWaitersAndUnfinishedItems() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            assertEquals("Queue[maxsize=0, qsize=0, getters=0, putters=0, unfinished=0]", q.toString());
            Task<Integer> getter = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            assertEquals("Queue[maxsize=0, qsize=0, getters=1, putters=0, unfinished=0]", q.toString());
            q.putNowait(0);
            assertEquals(0, getter.await());

            Queue<Integer> bounded = new Queue<>(1);
            bounded.putNowait(1);
            Task<Void> putter = Asyncio.createTask(() -> bounded.put(2));
            Asyncio.sleep(0);
            assertEquals("Queue[maxsize=1, qsize=1, getters=0, putters=1, unfinished=1]", bounded.toString());
            bounded.getNowait();
            putter.await();
            assertEquals("Queue[maxsize=1, qsize=1, getters=0, putters=0, unfinished=2]", bounded.toString());
        });
    }

    @Test
    void toStringCanBeReadFromAnyThreadBeforeFirstUse() {
        assertEquals("Queue[maxsize=5, qsize=0, getters=0, putters=0, unfinished=0]", new Queue<String>(5).toString());
    }

    // test_empty
    @Test
    void emptyUntilAnItemIsPutAndAfterItIsGot() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            assertTrue(q.empty());
            q.put(1);
            assertFalse(q.empty());
            assertEquals(1, q.get());
            assertTrue(q.empty());
        });
    }

    // test_full
    @Test
    void fullOnlyWhenABoundedQueueHoldsMaxsizeItems() {
        runVirtual(() -> {
            Queue<Integer> unbounded = new Queue<>();
            for (int i = 0; i < 1000; i++) {
                unbounded.putNowait(i);
            }
            assertFalse(unbounded.full());
            Queue<Integer> q = new Queue<>(1);
            assertFalse(q.full());
            q.put(1);
            assertTrue(q.full());
        });
    }

    // test_order
    @Test
    void itemsComeOutInPutOrder() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            for (int i : new int[] {1, 3, 2}) {
                q.put(i);
            }
            assertEquals(List.of(1, 3, 2), List.of(q.get(), q.get(), q.get()));
        });
    }

    // test_maxsize
    @Test
    void putterWaitsAtMaxsizeAndResumesWhenAnItemIsGot() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(2);
            assertEquals(2, q.maxsize());
            List<Integer> put = new ArrayList<>();
            Task<Boolean> putter = Asyncio.createTask(() -> {
                for (int i = 0; i < 3; i++) {
                    q.put(i);
                    put.add(i);
                }
                return true;
            });
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertEquals(List.of(0, 1), put);  // blocked on the third put
            assertEquals(0, q.get());
            Asyncio.sleep(0);
            assertEquals(List.of(0, 1, 2), put);
            assertEquals(1, q.get());
            assertEquals(2, q.get());
            assertTrue(putter.done());
            assertTrue(putter.result());
        });
    }

    @Test
    void zeroOrNegativeMaxsizeMeansNoLimit() {
        // replaces test_float_maxsize: maxsize is an int here
        runVirtual(() -> {
            for (int maxsize : new int[] {0, -1, Integer.MIN_VALUE}) {
                Queue<Integer> q = new Queue<>(maxsize);
                for (int i = 0; i < 100; i++) {
                    q.put(i);
                }
                assertFalse(q.full());
                assertEquals(100, q.qsize());
                assertEquals(maxsize, q.maxsize());
            }
        });
    }

    @Test
    void putWithRoomAndGetWithItemsDoNotSwitchTasks() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(2);
            List<String> events = new ArrayList<>();
            Asyncio.createTask(() -> events.add("other task"));
            q.put(1);
            q.put(2);
            q.get();
            q.get();
            q.taskDone();
            q.taskDone();
            q.join();  // nothing unfinished: returns at once
            events.add("main");
            Asyncio.sleep(0);
            assertEquals(List.of("main", "other task"), events);
        });
    }

    // test_blocking_get
    @Test
    void getReturnsABufferedItem() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            q.putNowait(1);
            assertEquals(1, q.get());
        });
    }

    // test_get_with_putters (asyncio appends a bare future to _putters; here a real putter waits)
    @Test
    void getFromAFullQueueLetsTheWaitingPutterIn() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.put(1);
            Task<Void> putter = Asyncio.createTask(() -> q.put(2));
            Asyncio.sleep(0);
            assertFalse(putter.done());
            assertEquals(1, q.get());
            putter.await();
            assertEquals(2, q.getNowait());
        });
    }

    // test_blocking_get_wait
    @Test
    void getWaitsUntilAnItemIsPut() {
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Queue<Integer> q = new Queue<>();
            Future<Void> started = new Future<>();  // asyncio's test uses an Event
            boolean[] finished = {false};
            Task<Integer> getter = Asyncio.createTask(() -> {
                started.setResult(null);
                int item = q.get();
                finished[0] = true;
                return item;
            });
            started.await();
            assertFalse(finished[0]);
            loop.callLater(0.01, () -> q.putNowait(1));
            assertEquals(1, getter.await());
            assertTrue(finished[0]);
            assertEquals(0.01, now(), 1e-9);
        });
    }

    // test_nonblocking_get
    @Test
    void getNowaitReturnsAnItem() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            q.putNowait(1);
            assertEquals(1, q.getNowait());
        });
    }

    // test_nonblocking_get_exception
    @Test
    void getNowaitOnAnEmptyQueueRaisesQueueEmpty() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            QueueEmpty e = assertThrows(QueueEmpty.class, q::getNowait);
            assertEquals("Queue.getNowait(): the queue is empty; use get() to wait for an item", e.getMessage());
        });
    }

    // test_get_with_waiting_putters
    @Test
    void getsTakeTheItemsOfWaitingPuttersInOrder() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>(1);
            Asyncio.createTask(() -> q.put("a"));
            Asyncio.createTask(() -> q.put("b"));
            assertEquals("a", q.get());
            assertEquals("b", q.get());
        });
    }

    // test_why_are_getters_waiting
    @Test
    void producerAndConsumerOfAOneSlotQueueBothFinish() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(1);
            List<Integer> got = new ArrayList<>();
            TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    for (int i = 0; i < 5; i++) {
                        q.put(i);
                    }
                });
                tg.createTask(() -> {
                    for (int i = 0; i < 5; i++) {
                        got.add(q.get());
                    }
                });
                return null;
            });
            assertEquals(List.of(0, 1, 2, 3, 4), got);
        });
    }

    // test_blocking_put
    @Test
    void putWithoutALimitNeverWaits() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            q.put(1);
            assertEquals(1, q.get());
        });
    }

    // test_blocking_put_wait
    @Test
    void putWaitsUntilAGetFreesASlot() {
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Queue<Integer> q = new Queue<>(1);
            Future<Void> started = new Future<>();  // asyncio's test uses an Event
            boolean[] finished = {false};
            loop.callLater(0.01, q::getNowait);
            Task<Void> putter = Asyncio.createTask(() -> {
                started.setResult(null);
                q.put(1);
                q.put(2);
                finished[0] = true;
            });
            started.await();
            assertFalse(finished[0]);
            putter.await();
            assertTrue(finished[0]);
            assertEquals(0.01, now(), 1e-9);
        });
    }

    // test_nonblocking_put
    @Test
    void putNowaitAddsAnItem() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            q.putNowait(1);
            assertEquals(1, q.getNowait());
        });
    }

    // test_nonblocking_put_exception
    @Test
    void putNowaitOnAFullQueueRaisesQueueFull() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(1);
            QueueFull e = assertThrows(QueueFull.class, () -> q.putNowait(2));
            assertEquals("Queue.putNowait(): the queue is full (maxsize=1); use put() to wait for room", e.getMessage());
            assertEquals(1, q.qsize());
        });
    }

    // test_put_cancelled (despite its name it checks that a put to an unbounded queue completes)
    @Test
    void putInAnotherTaskCompletesAndItsItemIsGot() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>();
            Task<Boolean> putter = Asyncio.createTask(() -> {
                q.put(1);
                return true;
            });
            assertEquals(1, q.get());
            assertTrue(putter.done());
            assertTrue(putter.result());
        });
    }

    // test_put_with_waiting_getters
    @Test
    void putToAWaitingGetterCompletesIt() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> getter = Asyncio.createTask(q::get);
            Asyncio.sleep(0);
            q.put("a");
            assertEquals("a", getter.await());
        });
    }

    // test_why_are_putters_waiting
    @Test
    void fourPuttersAndADrainingGetterOfATwoSlotQueueAllFinish() {
        runVirtual(() -> {
            Queue<Integer> q = new Queue<>(2);
            TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    Asyncio.sleep(0);
                    int n = q.qsize();
                    for (int i = 0; i < n; i++) {
                        q.getNowait();
                    }
                });
                for (int i = 0; i < 4; i++) {
                    int item = i;
                    tg.createTask(() -> q.put(item));
                }
                return null;
            });
            assertEquals(List.of(2, 3), List.of(q.getNowait(), q.getNowait()));
        });
    }

    @Test
    void nullItemsAreRejectedWithAClearMessage() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>();
            NullPointerException put = assertThrows(NullPointerException.class, () -> q.put(null));
            assertTrue(put.getMessage().startsWith("Queue.put(): the item is null"), put.getMessage());
            NullPointerException putNowait = assertThrows(NullPointerException.class, () -> q.putNowait(null));
            assertTrue(putNowait.getMessage().startsWith("Queue.putNowait(): the item is null"), putNowait.getMessage());
            assertEquals("Queue[maxsize=0, qsize=0, getters=0, putters=0, unfinished=0]", q.toString());
        });
    }

    @Test
    void queueUsedFromAPlainThreadIsAClearError() {
        Queue<String> q = new Queue<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.putNowait("x"));
        assertTrue(e.getMessage().startsWith("Queue.putNowait() must be called in a task or callback of an event loop"),
                e.getMessage());
        assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
        assertThrows(IllegalStateException.class, q::qsize);
    }

    @Test
    void queueUsedByASecondLoopIsAClearError() {
        Queue<String> q = new Queue<>();
        runVirtual(() -> q.put("x"));
        try (Runner other = Runner.builder().virtualTime(true).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.run(q::get));
            assertTrue(e.getMessage().startsWith("Queue.get(): this Queue is bound to"), e.getMessage());
        }
    }

    @Test
    void getThatMustWaitInALoopCallbackIsAClearError() {
        runVirtual(() -> {
            Queue<String> q = new Queue<>();
            Future<Throwable> failure = new Future<>();
            Asyncio.getRunningLoop().callSoon(() -> {
                try {
                    q.get();
                } catch (IllegalStateException e) {
                    failure.setResult(e);
                }
            });
            Throwable e = failure.await();
            assertTrue(e.getMessage().startsWith("Queue.get() must be called inside a task"), e.getMessage());
            assertEquals("Queue[maxsize=0, qsize=0, getters=0, putters=0, unfinished=0]", q.toString());
        });
    }
}
