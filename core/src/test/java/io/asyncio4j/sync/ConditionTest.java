package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Runner;
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

/** {@link Condition} as asyncio's (CPython Lib/test/test_asyncio/test_locks.py, ConditionTests), on virtual time. */
class ConditionTest {

    /** A task that takes the lock, waits once and records {@code n}; it keeps the lock (test_wait's c1..c3). */
    private static Task<Boolean> waitAndKeepTheLock(Condition cond, List<Integer> result, int n) {
        return Asyncio.createTask(() -> {
            cond.acquire();
            if (cond.await()) {
                result.add(n);
            }
            return true;
        });
    }

    /** A task that takes the lock, waits once, records {@code n} and releases (test_notify's c1..c3). */
    private static Task<Boolean> waitAndRelease(Condition cond, List<Integer> result, int n) {
        return Asyncio.createTask(() -> {
            cond.acquire();
            if (cond.await()) {
                result.add(n);
                cond.release();
            }
            return true;
        });
    }

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
    void signalledWaitersReturnOneAtATimeAsTheLockIsReleased() { // test_wait
        runVirtual(() -> {
            Condition cond = new Condition();
            List<Integer> result = new ArrayList<>();
            Task<Boolean> t1 = waitAndKeepTheLock(cond, result, 1);
            Task<Boolean> t2 = waitAndKeepTheLock(cond, result, 2);
            Task<Boolean> t3 = waitAndKeepTheLock(cond, result, 3);

            Asyncio.sleep(0);
            assertEquals(List.of(), result);
            assertFalse(cond.locked());

            assertTrue(cond.acquire());
            cond.signal();
            Asyncio.sleep(0);
            assertEquals(List.of(), result);
            assertTrue(cond.locked());

            cond.release();
            Asyncio.sleep(0);
            assertEquals(List.of(1), result);
            assertTrue(cond.locked());

            cond.signal(2);
            Asyncio.sleep(0);
            assertEquals(List.of(1), result);
            assertTrue(cond.locked());

            cond.release();
            Asyncio.sleep(0);
            assertEquals(List.of(1, 2), result);
            assertTrue(cond.locked());

            cond.release();
            Asyncio.sleep(0);
            assertEquals(List.of(1, 2, 3), result);
            assertTrue(cond.locked());

            assertTrue(t1.result() && t2.result() && t3.result());
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
    void awaitWithoutTheLockIsRefused() { // test_wait_unacquired
        runVirtual(() -> {
            Condition cond = new Condition();
            IllegalStateException e = assertThrows(IllegalStateException.class, cond::await);
            assertTrue(e.getMessage().contains("Condition.await(): cannot wait on an un-acquired lock"), e.getMessage());
        });
    }

    @Test
    void awaitForReturnsOnlyOnceThePredicateHolds() { // test_wait_for
        runVirtual(() -> {
            Condition cond = new Condition();
            boolean[] presult = {false};
            List<Integer> result = new ArrayList<>();
            Task<Boolean> t = Asyncio.createTask(() -> {
                cond.acquire();
                if (cond.awaitFor(() -> presult[0])) {
                    result.add(1);
                    cond.release();
                }
                return true;
            });
            Asyncio.sleep(0);
            assertEquals(List.of(), result);

            cond.acquire();
            cond.signal();
            cond.release();
            Asyncio.sleep(0);
            assertEquals(List.of(), result); // woken, predicate false: waits again

            presult[0] = true;
            cond.acquire();
            cond.signal();
            cond.release();
            Asyncio.sleep(0);
            assertEquals(List.of(1), result);
            assertTrue(t.result());
        });
    }

    @Test
    void awaitForATruePredicateNeedsNoLockButAFalseOneDoes() { // test_wait_for_unacquired
        runVirtual(() -> {
            Condition cond = new Condition();
            assertTrue(cond.awaitFor(() -> true));
            assertThrows(IllegalStateException.class, () -> cond.awaitFor(() -> false));
        });
    }

    @Test
    void signalWakesAtMostNWaitersInArrivalOrder() { // test_notify
        runVirtual(() -> {
            Condition cond = new Condition();
            List<Integer> result = new ArrayList<>();
            Task<Boolean> t1 = waitAndRelease(cond, result, 1);
            Task<Boolean> t2 = waitAndRelease(cond, result, 2);
            Task<Boolean> t3 = waitAndRelease(cond, result, 3);
            Asyncio.sleep(0);
            assertEquals(List.of(), result);

            cond.acquire();
            cond.signal(1);
            cond.release();
            Asyncio.sleep(0);
            assertEquals(List.of(1), result);

            cond.acquire();
            cond.signal(1);
            cond.signal(2048);
            cond.release();
            Asyncio.sleep(0);
            assertEquals(List.of(1, 2, 3), result);
            assertTrue(t1.result() && t2.result() && t3.result());
        });
    }

    @Test
    void signalAllWakesEveryWaiter() { // test_notify_all
        runVirtual(() -> {
            Condition cond = new Condition();
            List<Integer> result = new ArrayList<>();
            Task<Boolean> t1 = waitAndRelease(cond, result, 1);
            Task<Boolean> t2 = waitAndRelease(cond, result, 2);
            Asyncio.sleep(0);
            assertEquals(List.of(), result);

            cond.acquire();
            cond.signalAll();
            cond.release();
            Asyncio.sleep(0);
            assertEquals(List.of(1, 2), result);
            assertTrue(t1.result() && t2.result());
        });
    }

    @Test
    void signalWithoutTheLockIsRefused() { // test_notify_unacquired, test_notify_all_unacquired
        runVirtual(() -> {
            Condition cond = new Condition();
            IllegalStateException one = assertThrows(IllegalStateException.class, cond::signal);
            assertTrue(one.getMessage().startsWith("Condition.signal(): cannot signal on an un-acquired lock"),
                    one.getMessage());
            assertThrows(IllegalStateException.class, () -> cond.signal(3));
            IllegalStateException all = assertThrows(IllegalStateException.class, cond::signalAll);
            assertTrue(all.getMessage().startsWith("Condition.signalAll()"), all.getMessage());
        });
    }

    @Test
    void signalOfZeroOrLessWakesNobody() {
        runVirtual(() -> {
            Condition cond = new Condition();
            List<Integer> result = new ArrayList<>();
            Task<Boolean> t1 = waitAndRelease(cond, result, 1);
            Asyncio.sleep(0);
            cond.acquire();
            cond.signal(0);
            cond.signal(-1);
            cond.release();
            Asyncio.sleep(1);
            assertEquals(List.of(), result);
            assertEquals("Condition[unlocked, waiters=1]", cond.toString());
            t1.cancel();
        });
    }

    @Test
    void toStringShowsTheLockAndTheWaiters() { // test_repr
        runVirtual(() -> {
            Condition cond = new Condition();
            assertEquals("Condition[unlocked, waiters=0]", cond.toString());
            cond.acquire();
            assertEquals("Condition[locked, waiters=0]", cond.toString());
            cond.release();
            List<Integer> result = new ArrayList<>();
            waitAndRelease(cond, result, 1);
            waitAndRelease(cond, result, 2);
            Asyncio.sleep(0);
            assertEquals("Condition[unlocked, waiters=2]", cond.toString());
            cond.acquire();
            assertEquals("Condition[locked, waiters=2]", cond.toString());
            cond.signalAll();
            assertEquals("Condition[locked, waiters=0]", cond.toString());
            cond.release();
            Asyncio.sleep(0);
            assertEquals(List.of(1, 2), result);
        });
    }

    @Test
    void toStringWorksFromAnyThread() {
        assertEquals("Condition[unlocked, waiters=0]", new Condition().toString());
    }

    @Test
    void holdLocksForTheBlock() { // test_context_manager
        runVirtual(() -> {
            Condition cond = new Condition();
            assertFalse(cond.locked());
            try (var held = cond.hold()) {
                assertTrue(cond.locked());
            }
            assertFalse(cond.locked());
        });
    }

    @Test
    void aConditionOnAnExplicitLockSharesItsState() { // test_explicit_lock
        runVirtual(() -> {
            Lock shared = new Lock();
            for (Condition cond : List.of(new Condition(shared), new Condition(shared))) {
                assertFalse(shared.locked());
                assertFalse(cond.locked());
                try (var held = cond.hold()) {
                    assertTrue(shared.locked());
                    assertTrue(cond.locked());
                }
                assertFalse(shared.locked());
                assertFalse(cond.locked());
                try (var held = shared.hold()) {
                    assertTrue(shared.locked());
                    assertTrue(cond.locked());
                }
                assertFalse(shared.locked());
                assertFalse(cond.locked());
            }
        });
    }

    @Test
    void twoConditionsOnOneLockSignalOnlyTheirOwnWaiters() {
        runVirtual(() -> {
            Lock lock = new Lock();
            Condition notEmpty = new Condition(lock);
            Condition notFull = new Condition(lock);
            List<String> events = new ArrayList<>();
            Task<Void> a = Asyncio.createTask(() -> {
                try (var held = notEmpty.hold()) {
                    notEmpty.await();
                    events.add("notEmpty woke");
                }
            });
            Task<Void> b = Asyncio.createTask(() -> {
                try (var held = notFull.hold()) {
                    notFull.await();
                    events.add("notFull woke");
                }
            });
            Asyncio.sleep(0);
            try (var held = lock.hold()) {
                notFull.signal();
            }
            b.await();
            assertEquals(List.of("notFull woke"), events);
            try (var held = notEmpty.hold()) {
                notEmpty.signal();
            }
            a.await();
            assertEquals(List.of("notFull woke", "notEmpty woke"), events);
        });
    }

    @Test
    void aLockOfAnotherLoopIsRefusedWhenTheConditionUsesIt() { // test_ambiguous_loops, wrong_loop_in_lock
        Lock lock = new Lock();
        runVirtual(() -> {
            lock.acquire();
            lock.release();
        });
        runVirtual(() -> {
            Condition cond = new Condition(lock);
            IllegalStateException e = assertThrows(IllegalStateException.class, cond::acquire);
            assertTrue(e.getMessage().startsWith("Lock.acquire(): this Lock is bound to"), e.getMessage());
        });
    }

    @Test
    void aConditionOfAnotherLoopIsRefusedAndLeavesTheLockAlone() { // test_ambiguous_loops, wrong_loop_in_cond
        Condition cond = new Condition();
        runVirtual(() -> {
            cond.acquire();
            cond.release();
        });
        try (Runner second = Runner.builder().virtualTime(true).build()) {
            second.run(() -> {
                IllegalStateException e = assertThrows(IllegalStateException.class, cond::await);
                assertTrue(e.getMessage().startsWith("Condition.await(): this Condition is bound to"), e.getMessage());
                assertThrows(IllegalStateException.class, cond::signalAll);
            });
        }
    }

    @Test
    void usingAConditionFromAPlainThreadIsAClearError() {
        Condition cond = new Condition();
        IllegalStateException e = assertThrows(IllegalStateException.class, cond::acquire);
        assertTrue(e.getMessage().contains("Condition.acquire()"), e.getMessage());
        assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
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
    void holdReleasesTheLockWhenTheBlockThrows() {
        runVirtual(() -> {
            Condition cond = new Condition();
            assertThrows(IllegalArgumentException.class, () -> {
                try (var held = cond.hold()) {
                    throw new IllegalArgumentException("body failed");
                }
            });
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
    void acquiringAFreeConditionDoesNotSwitchTasks() {
        runVirtual(() -> {
            Condition cond = new Condition();
            List<String> events = new ArrayList<>();
            Task<Void> other = Asyncio.createTask(() -> {
                events.add("other ran");
            });
            try (var held = cond.hold()) {
                events.add("held");
                cond.signalAll(); // nobody waits: no switch either
                events.add("signalled");
            }
            assertTrue(cond.awaitFor(() -> true));
            events.add("predicate true");
            other.await();
            assertEquals(List.of("held", "signalled", "predicate true", "other ran"), events);
        });
    }

    @Test
    void awaitReleasesTheLockWhileWaitingAndHoldsItOnReturn() {
        runVirtual(() -> {
            Condition cond = new Condition();
            List<String> events = new ArrayList<>();
            Task<Void> waiter = Asyncio.createTask(() -> {
                try (var held = cond.hold()) {
                    cond.await();
                    events.add("returned, locked=" + cond.locked());
                }
            });
            Asyncio.sleep(0);
            events.add("while waiting, locked=" + cond.locked());
            try (var held = cond.hold()) {
                cond.signal();
                Asyncio.sleep(1); // the waiter cannot return while we hold the lock
                events.add("still holding at " + now());
            }
            waiter.await();
            assertEquals(List.of("while waiting, locked=false", "still holding at 1.0", "returned, locked=true"), events);
        });
    }

    @Test
    void awaitFromALoopCallbackIsRefusedAndKeepsTheLock() {
        runVirtual(() -> {
            Condition cond = new Condition();
            cond.acquire();
            IllegalStateException[] error = {null};
            Asyncio.getRunningLoop().callSoon(() -> {
                try {
                    cond.await();
                } catch (IllegalStateException e) {
                    error[0] = e;
                }
            });
            Asyncio.sleep(0);
            assertTrue(error[0].getMessage().contains("must be called in a task"), error[0].getMessage());
            assertTrue(cond.locked());
            cond.release();
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
