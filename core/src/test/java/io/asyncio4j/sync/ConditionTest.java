package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.asyncio4j.sync.SyncTests.now;
import static io.asyncio4j.sync.SyncTests.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
}
