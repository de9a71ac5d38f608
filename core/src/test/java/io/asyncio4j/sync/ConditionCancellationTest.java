package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.asyncio4j.sync.SyncTests.now;
import static io.asyncio4j.sync.SyncTests.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Condition} under cancellation and timeouts: the lock is always held again when {@code await()} raises, and
 * a signal is never lost to a cancelled waiter (CPython Lib/test/test_asyncio/test_locks.py, ConditionTests:
 * test_wait_cancel*, test_cancelled_*, test_timeout_in_block; asyncio 3.13, gh-112202), on virtual time.
 */
class ConditionCancellationTest {
    /** A task that waits once inside hold() and records {@code n}; a cancelled one releases the lock too. */
    private static Task<Boolean> waitInHold(Condition cond, List<Integer> result, int n) {
        return Asyncio.createTask(() -> {
            try (var held = cond.hold()) {
                cond.await();
                result.add(n);
                return true;
            }
        });
    }

    @Test
    void aWaiterCancelledWhileWaitingTakesTheLockBackBeforeItRaises() { // test_wait_cancel
        runVirtual(() -> {
            Condition cond = new Condition();
            cond.acquire();
            Task<Boolean> waiter = Asyncio.createTask(cond::await); // waits on the lock main holds, as asyncio's test
            Asyncio.getRunningLoop().callSoon(() -> waiter.cancel());
            assertThrows(CancelledError.class, waiter::await);
            assertEquals("Condition[locked, waiters=0]", cond.toString());
            assertTrue(cond.locked());
        });
    }

    @Test
    void aSignalledWaiterCancelledWhileTheLockIsContestedStillEndsHoldingIt() { // test_wait_cancel_contested
        runVirtual(() -> {
            Condition cond = new Condition();
            cond.acquire();
            assertTrue(cond.locked());
            Task<Boolean> waitTask = Asyncio.createTask(cond::await);
            Asyncio.sleep(0);
            assertFalse(cond.locked());

            // signal, but contest the lock before cancelling
            cond.acquire();
            assertTrue(cond.locked());
            cond.signal();
            Asyncio.getRunningLoop().callSoon(() -> waitTask.cancel());
            Asyncio.getRunningLoop().callSoon(cond::release);
            // the waiter is cancelled while it queues for the lock: it queues again, gets it, then raises
            assertThrows(CancelledError.class, waitTask::await);
            assertTrue(cond.locked());
        });
    }

    @Test
    void aWaiterCancelledWhileTakingTheLockBackRaisesOnceItHoldsIt() { // test_wait_cancel_after_notify (bpo-32841)
        runVirtual(() -> {
            Condition cond = new Condition();
            boolean[] waited = {false};
            Task<Void> waiter = Asyncio.createTask(() -> {
                try (var held = cond.hold()) {
                    waited[0] = true;
                    cond.await();
                }
            });
            Asyncio.sleep(0);    // start waiting

            cond.acquire();
            cond.signal();
            Asyncio.sleep(0);    // the waiter queues for the lock
            waiter.cancel();
            Asyncio.sleep(0);    // the cancel is delivered: it queues for the lock again
            assertFalse(waiter.done());
            cond.release();
            Asyncio.sleep(0);    // it holds the lock, raises, and its hold() releases the lock

            assertTrue(waiter.cancelled());
            assertTrue(waited[0]);
            assertFalse(cond.locked());
        });
    }

    @Test
    void aTimeoutAroundAwaitRaisesTimeoutErrorWithTheLockHeld() { // test_timeout_in_block
        runVirtual(() -> {
            Condition cond = new Condition();
            try (var held = cond.hold()) {
                assertThrows(TimeoutError.class, () -> Asyncio.waitFor(cond::await, 0.5));
                assertEquals(0.5, now());
                assertTrue(cond.locked());
                assertEquals("Condition[locked, waiters=0]", cond.toString());
            }
            assertFalse(cond.locked());
        });
    }

    @Test
    void aTimeoutWhileAnotherTaskHoldsTheLockRaisesOnlyOnceTheLockIsFree() {
        runVirtual(() -> {
            Condition cond = new Condition();
            List<String> events = new ArrayList<>();
            Task<Void> waiter = Asyncio.createTask(() -> {
                try (var held = cond.hold()) {
                    Asyncio.timeout(1.0, cond::await);
                } catch (TimeoutError e) {
                    events.add("timed out at " + now());
                }
            });
            Asyncio.sleep(0.5);
            try (var held = cond.hold()) { // the waiter's deadline passes while we hold the lock
                Asyncio.sleep(2.5);
                events.add("released at " + now());
            }
            waiter.await();
            assertEquals(List.of("released at 3.0", "timed out at 3.0"), events);
            assertFalse(cond.locked());
        });
    }

    @Test
    void theCancelledErrorRaisedWhileWaitingIsTheOneTheTaskGot() { // test_cancelled_error_wakeup
        runVirtual(() -> {
            Condition cond = new Condition();
            CancelledError[] raised = {null};
            Task<Void> task = Asyncio.createTask(() -> {
                try (var held = cond.hold()) {
                    raised[0] = assertThrows(CancelledError.class, () -> cond.awaitFor(() -> false));
                    throw raised[0];
                }
            });
            Asyncio.sleep(0);
            task.cancel("foo"); // the task waits for a signal
            CancelledError err = assertThrows(CancelledError.class, task::await);
            assertEquals("foo", err.getMessage());
            assertEquals("foo", raised[0].getMessage());
            // asyncio's await re-raises the very instance; ours raises a fresh CancelledError caused by it
            assertSame(raised[0], err.getCause());
            assertFalse(cond.locked());
        });
    }

    @Test
    void theCancelledErrorRaisedWhileTakingTheLockBackIsTheOneTheTaskGot() { // test_cancelled_error_re_aquire
        runVirtual(() -> {
            Condition cond = new Condition();
            boolean[] wake = {false};
            CancelledError[] raised = {null};
            Task<Void> task = Asyncio.createTask(() -> {
                try (var held = cond.hold()) {
                    raised[0] = assertThrows(CancelledError.class, () -> cond.awaitFor(() -> wake[0]));
                    throw raised[0];
                }
            });
            Asyncio.sleep(0);
            cond.acquire();
            wake[0] = true;
            cond.signal();
            Asyncio.sleep(0);      // the task now queues for the lock: cancel it there
            task.cancel("foo");
            cond.release();
            CancelledError err = assertThrows(CancelledError.class, task::await);
            assertEquals("foo", err.getMessage());
            assertSame(raised[0], err.getCause());
            assertFalse(cond.locked());
        });
    }

    /** test_cancelled_wakeup and test_cancelled_wakeup_relock: two consumers of a counter guarded by cond. */
    private static Task<Void> consumer(Condition cond, int[] state) {
        return Asyncio.createTask(() -> {
            try (var held = cond.hold()) {
                while (true) {
                    cond.awaitFor(() -> state[0] != 0);
                    if (state[0] < 0) {
                        return;
                    }
                    state[0]--;
                }
            }
        });
    }

    @Test
    void aWaiterCancelledAfterItWasSignalledPassesTheSignalOn() { // test_cancelled_wakeup (gh-112202)
        runVirtual(() -> {
            Condition cond = new Condition();
            int[] state = {0};
            List<Task<Void>> c = List.of(consumer(cond, state), consumer(cond, state));
            Asyncio.sleep(0);
            try (var held = cond.hold()) {
                state[0]++;
                cond.signal(1);
                c.get(0).cancel(); // before it runs: its signal must reach the other consumer
                try {
                    Asyncio.timeout(0.01, () -> cond.awaitFor(() -> state[0] == 0));
                } catch (TimeoutError e) {
                    // no-one signals us: the check below is what matters
                }
                assertEquals(0, state[0]);
                state[0] = -1;
                cond.signalAll();
            }
            c.get(1).await();
            assertTrue(c.get(0).cancelled());
        });
    }

    @Test
    void aWaiterCancelledWhileTakingTheLockBackPassesTheSignalOn() { // test_cancelled_wakeup_relock (gh-112202)
        runVirtual(() -> {
            Condition cond = new Condition();
            int[] state = {0};
            List<Task<Void>> c = List.of(consumer(cond, state), consumer(cond, state));
            Asyncio.sleep(0);
            try (var held = cond.hold()) {
                state[0]++;
                cond.signal(1);
                Asyncio.sleep(0);  // the signalled consumer queues for the lock we hold
                c.get(0).cancel();
                try {
                    Asyncio.timeout(0.01, () -> cond.awaitFor(() -> state[0] == 0));
                } catch (TimeoutError e) {
                    // no-one signals us: the check below is what matters
                }
                assertEquals(0, state[0]);
                state[0] = -1;
                cond.signalAll();
            }
            c.get(1).await();
            assertTrue(c.get(0).cancelled());
        });
    }

    @Test
    void aSignalSkipsAWaiterWhoseCancelIsPending() {
        runVirtual(() -> {
            Condition cond = new Condition();
            List<Integer> result = new ArrayList<>();
            Task<Boolean> a = waitInHold(cond, result, 1);
            Task<Boolean> b = waitInHold(cond, result, 2);
            Asyncio.sleep(0);
            a.cancel();
            try (var held = cond.hold()) {
                cond.signal(1); // a is leaving: the signal goes to b
            }
            assertThrows(CancelledError.class, a::await);
            assertTrue(b.await());
            assertEquals(List.of(2), result);
        });
    }

    @Test
    void aWaiterCancelledBeforeAnySignalDoesNotWakeAnother() {
        // asyncio's wait() notifies one more waiter on any failure, so there b would wake spuriously and
        // re-check its predicate; here only a received signal is passed on, and b keeps waiting
        runVirtual(() -> {
            Condition cond = new Condition();
            List<Integer> result = new ArrayList<>();
            Task<Boolean> a = waitInHold(cond, result, 1);
            Task<Boolean> b = waitInHold(cond, result, 2);
            Asyncio.sleep(0);
            a.cancel();
            assertThrows(CancelledError.class, a::await);
            Asyncio.sleep(1);
            assertFalse(b.done());
            assertEquals("Condition[unlocked, waiters=1]", cond.toString());
            b.cancel();
            assertEquals(List.of(), result);
        });
    }

    @Test
    void aWaiterCancelledTwiceWhileTakingTheLockBackKeepsTryingAndRaisesTheLatestCancel() {
        runVirtual(() -> {
            Condition cond = new Condition();
            List<String> events = new ArrayList<>();
            Task<Void> waiter = Asyncio.createTask(() -> {
                try (var held = cond.hold()) {
                    try {
                        cond.await();
                    } catch (CancelledError e) {
                        events.add("raised " + e.getMessage() + ", locked=" + cond.locked());
                        throw e;
                    }
                }
            });
            Asyncio.sleep(0);
            cond.acquire();
            cond.signal();
            Asyncio.sleep(0);
            waiter.cancel("first");
            Asyncio.sleep(0);
            waiter.cancel("second");
            Asyncio.sleep(0);
            assertFalse(waiter.done());
            cond.release();
            assertThrows(CancelledError.class, waiter::await);
            assertEquals(List.of("raised second, locked=true"), events);
            assertFalse(cond.locked());
        });
    }

    @Test
    void holdReleasesTheLockWhenTheTaskIsCancelledInsideAwait() {
        runVirtual(() -> {
            Condition cond = new Condition();
            Task<Void> t = Asyncio.createTask(() -> {
                try (var held = cond.hold()) {
                    cond.await();
                }
            });
            Asyncio.sleep(0);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertFalse(cond.locked());
            assertTrue(cond.acquire());
        });
    }

    @Test
    void aTaskCancelledWhileQueuedInHoldReleasesNothing() {
        runVirtual(() -> {
            Condition cond = new Condition();
            cond.acquire();
            Task<Void> t = Asyncio.createTask(() -> {
                try (var held = cond.hold()) {
                    throw new AssertionError("must not get the lock");
                }
            });
            Asyncio.sleep(0);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertTrue(cond.locked()); // still ours: the cancelled hold() did not release it
            cond.release();
            assertFalse(cond.locked());
        });
    }

    @Test
    void aCancelPendingWhenAwaitIsCalledIsRaisedWithTheLockHeld() {
        runVirtual(() -> {
            Condition cond = new Condition();
            Task<String> t = Asyncio.createTask(() -> {
                try (var held = cond.hold()) {
                    Asyncio.currentTask().cancel();
                    try {
                        cond.await();
                        return "returned";
                    } catch (CancelledError e) {
                        return "raised, " + cond;
                    }
                }
            });
            assertEquals("raised, Condition[locked, waiters=0]", t.await());
            assertFalse(cond.locked());
        });
    }
}
