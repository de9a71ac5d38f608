package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Future;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Lock} as asyncio's (CPython Lib/test/test_asyncio/test_locks.py, LockTests), on virtual time.
 *
 * <p>Where the tests differ from asyncio's, it is the direct hand-off: {@code release()} with waiters hands the
 * lock to the first live waiter, so {@code locked()} stays true until that waiter has run and released it, where
 * asyncio's lock is unlocked in between (and its woken waiter re-takes it when it resumes).
 */
class LockTest {

    @Test
    void waitersAcquireInArrivalOrder() {
        runVirtual(() -> {
            Lock lock = new Lock();
            List<Integer> order = new ArrayList<>();
            lock.acquire();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> {
                    lock.acquire();
                    order.add(n);
                    Asyncio.sleep(0);
                    lock.release();
                }));
            }
            Asyncio.sleep(0);
            lock.release();
            Asyncio.gather(tasks);
            assertEquals(List.of(1, 2, 3), order);
            assertFalse(lock.locked());
        });
    }

    @Test
    void newcomerDoesNotTakeALockHandedToAWaiter() {
        runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Boolean> waiter = Asyncio.createTask(lock::acquire);
            Asyncio.sleep(0);
            lock.release();
            assertTrue(lock.locked());
            assertFalse(lock.tryAcquire());
            waiter.await();
            assertTrue(lock.locked());
        });
    }

    @Test
    void cancelledWaiterHandedTheLockPassesItOn() {
        runVirtual(() -> {
            Lock lock = new Lock();
            List<String> events = new ArrayList<>();
            lock.acquire();
            Task<Boolean> a = Asyncio.createTask(lock::acquire);
            Task<Void> b = Asyncio.createTask(() -> {
                lock.acquire();
                events.add("b holds");
                lock.release();
            });
            Asyncio.sleep(0);
            lock.release();      // handed to a
            a.cancel();          // before a resumes: a gives it to b
            assertThrows(CancelledError.class, a::await);
            b.await();
            assertEquals(List.of("b holds"), events);
            assertFalse(lock.locked());
        });
    }

    @Test
    void lockFromAPlainThreadIsAClearError() {
        Lock lock = new Lock();
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::acquire);
        assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
    }

    /** A task that acquires the lock and records {@code n} (test_acquire's c1..c3). */
    private static Task<Boolean> acquireAndRecord(Lock lock, List<Integer> result, int n) {
        return Asyncio.createTask(() -> {
            if (lock.acquire()) {
                result.add(n);
            }
            return true;
        });
    }

    @Test
    void toStringShowsTheStateAndTheWaiters() { // test_repr
        runVirtual(() -> {
            Lock lock = new Lock();
            assertEquals("Lock[unlocked, waiters=0]", lock.toString());
            lock.acquire();
            assertEquals("Lock[locked, waiters=0]", lock.toString());
            Task<Boolean> waiter = Asyncio.createTask(lock::acquire);
            Asyncio.sleep(0);
            assertEquals("Lock[locked, waiters=1]", lock.toString());
            lock.release();
            assertEquals("Lock[locked, waiters=0]", lock.toString()); // handed to the waiter
            waiter.await();
            lock.release();
            assertEquals("Lock[unlocked, waiters=0]", lock.toString());
        });
    }

    @Test
    void toStringWorksFromAnyThread() {
        assertEquals("Lock[unlocked, waiters=0]", new Lock().toString());
    }

    @Test
    void aNewLockIsUnlocked() { // test_lock
        runVirtual(() -> assertFalse(new Lock().locked()));
    }

    @Test
    void eachReleaseLetsTheNextWaiterIn() { // test_acquire
        runVirtual(() -> {
            Lock lock = new Lock();
            List<Integer> result = new ArrayList<>();
            assertTrue(lock.acquire());
            Task<Boolean> t1 = acquireAndRecord(lock, result, 1);
            Task<Boolean> t2 = acquireAndRecord(lock, result, 2);
            Asyncio.sleep(0);
            assertEquals(List.of(), result);

            lock.release();
            Asyncio.sleep(0);
            assertEquals(List.of(1), result);
            Asyncio.sleep(0);
            assertEquals(List.of(1), result);

            Task<Boolean> t3 = acquireAndRecord(lock, result, 3);
            lock.release();
            Asyncio.sleep(0);
            assertEquals(List.of(1, 2), result);
            lock.release();
            Asyncio.sleep(0);
            assertEquals(List.of(1, 2, 3), result);
            assertTrue(t1.result() && t2.result() && t3.result());
        });
    }

    @Test
    void aWaiterCancelledWhileWaitingLeavesTheQueue() { // test_acquire_cancel
        runVirtual(() -> {
            Lock lock = new Lock();
            assertTrue(lock.acquire());
            Task<Boolean> task = Asyncio.createTask(lock::acquire);
            Asyncio.getRunningLoop().callSoon(() -> task.cancel());
            assertThrows(CancelledError.class, task::await);
            assertEquals("Lock[locked, waiters=0]", lock.toString());
        });
    }

    @Test
    void aReleaseSkipsAWaiterCancelledAtTheSameTime() { // test_cancel_race
        runVirtual(() -> {
            Lock lock = new Lock();
            List<String> events = new ArrayList<>();
            Future<Void> fa = new Future<>();
            Task<Void> ta = lockit(lock, "A", fa, events);
            Asyncio.sleep(0);
            assertTrue(lock.locked());
            Task<Void> tb = lockit(lock, "B", null, events);
            Asyncio.sleep(0);
            assertEquals("Lock[locked, waiters=1]", lock.toString());
            Task<Void> tc = lockit(lock, "C", null, events);
            Asyncio.sleep(0);
            assertEquals("Lock[locked, waiters=2]", lock.toString());

            fa.setResult(null);  // A releases when it resumes...
            tb.cancel();         // ...and B, first in the queue, is being cancelled meanwhile
            tc.await();
            assertTrue(ta.done());
            assertTrue(tb.cancelled());
            // asyncio asserts locked() is false right after A's release: B's cancel then wakes C, which takes
            // the lock when it runs. Here A's release skips B and hands the lock to C directly.
            assertEquals(List.of("A holds", "A releases", "C holds", "C releases"), events);
            assertFalse(lock.locked());
        });
    }

    private static Task<Void> lockit(Lock lock, String name, Future<Void> blocker, List<String> events) {
        return Asyncio.createTask(() -> {
            lock.acquire();
            events.add(name + " holds");
            try {
                if (blocker != null) {
                    blocker.await();
                }
            } finally {
                events.add(name + " releases");
                lock.release();
            }
        });
    }

    @Test
    void cancellingTheFirstWaiterAndReleasingAtOnceLetsExactlyOneTaskIn() { // test_cancel_release_race (bpo-32734)
        runVirtual(() -> {
            Lock lock = new Lock();
            int[] lockCount = {0};
            int[] callCount = {0};
            lock.acquire();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(Asyncio.createTask(() -> {
                    callCount[0]++;
                    lock.acquire();
                    lockCount[0]++;
                }));
            }
            Task<Void> t1 = tasks.get(0);
            Task<Void> t2 = tasks.get(1);
            Task<Void> t3 = tasks.get(2);
            Asyncio.sleep(0);
            Asyncio.getRunningLoop().callSoon(() -> {
                t1.cancel();
                lock.release();
            });
            assertThrows(CancelledError.class, t1::await);
            Asyncio.sleep(0);
            assertEquals(1, lockCount[0]);
            assertEquals(3, callCount[0]);
            assertTrue(t1.cancelled() && t2.done());

            t3.cancel();
            Asyncio.sleep(0);
            assertTrue(t3.cancelled());
        });
    }

    @Test
    void aTaskArrivingAfterTheOnlyWaiterWasCancelledGetsTheLock() { // test_finished_waiter_cancelled
        runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Boolean> tb = Asyncio.createTask(lock::acquire);
            Asyncio.sleep(0);
            assertEquals("Lock[locked, waiters=1]", lock.toString());

            Task<Boolean> tc = Asyncio.createTask(lock::acquire); // not started yet
            tb.cancel();
            lock.release();  // nobody live waits: unlocked
            assertFalse(lock.locked());
            Asyncio.sleep(0);
            assertTrue(lock.locked()); // tc took it
            assertTrue(tb.cancelled());
            assertTrue(tc.await());
        });
    }

    @Test
    void releasingAnUnlockedLockIsRefused() { // test_release_not_acquired
        runVirtual(() -> {
            Lock lock = new Lock();
            IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
            assertEquals("Lock.release(): the lock is not locked; release only a lock you acquired", e.getMessage());
        });
    }

    @Test
    void releaseWithNoWaitersUnlocks() { // test_release_no_waiters
        runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            assertTrue(lock.locked());
            lock.release();
            assertFalse(lock.locked());
        });
    }

    @Test
    void holdLocksForTheBlock() { // test_context_manager
        runVirtual(() -> {
            Lock lock = new Lock();
            assertFalse(lock.locked());
            try (var held = lock.hold()) {
                assertTrue(lock.locked());
            }
            assertFalse(lock.locked());
        });
    }

    @Test
    void holdReleasesTheLockWhenTheBlockThrows() {
        runVirtual(() -> {
            Lock lock = new Lock();
            assertThrows(IllegalArgumentException.class, () -> {
                try (var held = lock.hold()) {
                    throw new IllegalArgumentException("body failed");
                }
            });
            assertFalse(lock.locked());
        });
    }

    @Test
    void holdReleasesTheLockWhenTheTaskIsCancelledInsideTheBlock() {
        runVirtual(() -> {
            Lock lock = new Lock();
            List<String> events = new ArrayList<>();
            Task<Void> holder = Asyncio.createTask(() -> {
                try (var held = lock.hold()) {
                    Asyncio.sleep(10);
                }
            });
            Task<Void> next = Asyncio.createTask(() -> {
                try (var held = lock.hold()) {
                    events.add("next holds at " + now());
                }
            });
            Asyncio.sleep(1);
            holder.cancel();
            assertThrows(CancelledError.class, holder::await);
            next.await();
            assertEquals(List.of("next holds at 1.0"), events);
            assertFalse(lock.locked());
        });
    }

    @Test
    void aTaskCancelledWhileWaitingInHoldReleasesNothing() {
        runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> t = Asyncio.createTask(() -> {
                try (var held = lock.hold()) {
                    throw new AssertionError("must not get the lock");
                }
            });
            Asyncio.sleep(0);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertTrue(lock.locked()); // still ours
            lock.release();
        });
    }

    @Test
    void takingAFreeLockDoesNotSwitchTasks() {
        runVirtual(() -> {
            Lock lock = new Lock();
            List<String> events = new ArrayList<>();
            Task<Void> other = Asyncio.createTask(() -> {
                events.add("other ran");
            });
            lock.acquire();
            events.add("acquired");
            lock.release();
            assertTrue(lock.tryAcquire());
            events.add("tried");
            lock.release();
            other.await();
            assertEquals(List.of("acquired", "tried", "other ran"), events);
        });
    }

    @Test
    void theLockStaysLockedBetweenReleaseAndTheWokenWaiterRunning() {
        // asyncio: locked() is false in between, and the woken waiter re-takes the lock when it resumes
        runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            List<String> events = new ArrayList<>();
            Task<Void> waiter = Asyncio.createTask(() -> {
                lock.acquire();
                events.add("waiter holds");
            });
            Asyncio.sleep(0);
            lock.release();
            events.add("released, locked=" + lock.locked());
            waiter.await();
            assertEquals(List.of("released, locked=true", "waiter holds"), events);
            assertTrue(lock.locked());
        });
    }

    @Test
    void aTimeoutAroundAcquireRaisesTimeoutErrorAndLeavesTheLockAlone() {
        runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(2.0, lock::acquire));
            assertEquals(2.0, now());
            assertEquals("Lock[locked, waiters=0]", lock.toString());
            Asyncio.getRunningLoop().callLater(1.0, lock::release);
            assertTrue(Asyncio.waitFor(lock::acquire, 5.0));
            assertEquals(3.0, now());
            assertTrue(lock.locked());
        });
    }

    @Test
    void aWaiterTimedOutAfterItWasHandedTheLockPassesItOn() {
        runVirtual(() -> {
            Lock lock = new Lock();
            lock.acquire();
            List<String> events = new ArrayList<>();
            // scheduled before a's deadline (same time, earlier timer): at 1.0 the release hands the lock to a,
            // then a's deadline cancels a before it resumes, and a hands the lock on to b
            Asyncio.getRunningLoop().callLater(1.0, lock::release);
            Task<Void> a = Asyncio.createTask(() -> {
                try {
                    Asyncio.timeout(1.0, lock::acquire);
                    events.add("a holds");
                } catch (TimeoutError e) {
                    events.add("a timed out, locked=" + lock.locked());
                }
            });
            Task<Void> b = Asyncio.createTask(() -> {
                Asyncio.timeout(5.0, lock::acquire); // a lost lock would time out here
                events.add("b holds at " + now());
            });
            Asyncio.gather(List.of(a, b));
            assertEquals(List.of("a timed out, locked=true", "b holds at 1.0"), events);
        });
    }

    @Test
    void usingALockFromASecondLoopIsAClearError() {
        Lock lock = new Lock();
        runVirtual(() -> {
            lock.acquire();
            lock.release();
        });
        try (Runner second = Runner.builder().virtualTime(true).build()) {
            IllegalStateException e = second.run(() -> assertThrows(IllegalStateException.class, lock::locked));
            assertTrue(e.getMessage().startsWith("Lock.locked(): this Lock is bound to"), e.getMessage());
        }
    }
}
