package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Outcome;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Semaphore} and {@link BoundedSemaphore} as asyncio's (CPython Lib/test/test_asyncio/test_locks.py,
 * SemaphoreTests), on virtual time.
 *
 * <p>Where the tests differ from asyncio's, it is the direct hand-off: our {@code release()} gives the permit to
 * the first waiter at once (it is no longer counted in {@code value()}), while asyncio counts it until the woken
 * waiter resumes and meanwhile makes newcomers queue ({@code locked()} is true while a woken waiter has not
 * resumed). So here a permit that is free is free: a newcomer takes it without waiting for the woken waiters to
 * run, and nobody who waits is passed over.
 */
class SemaphoreTest {

    /** A task that acquires {@code sem} and records {@code n} (test_acquire's c1..c4). */
    private static Task<Boolean> acquireAndRecord(Semaphore sem, List<Integer> result, int n) {
        return Asyncio.createTask(() -> {
            sem.acquire();
            result.add(n);
            return true;
        });
    }

    @Test
    void aSemaphoreWithNoPermitIsLocked() { // test_initial_value_zero
        runVirtual(() -> assertTrue(new Semaphore(0).locked()));
    }

    @Test
    void toStringShowsTheStateTheValueAndTheWaiters() { // test_repr
        runVirtual(() -> {
            Semaphore sem = new Semaphore();
            assertEquals("Semaphore[unlocked, value=1, waiters=0]", sem.toString());
            sem.acquire();
            assertEquals("Semaphore[locked, value=0, waiters=0]", sem.toString());
            Task<Boolean> w1 = Asyncio.createTask(sem::acquire);
            Asyncio.sleep(0);
            assertEquals("Semaphore[locked, value=0, waiters=1]", sem.toString());
            Task<Boolean> w2 = Asyncio.createTask(sem::acquire);
            Asyncio.sleep(0);
            assertEquals("Semaphore[locked, value=0, waiters=2]", sem.toString());
            sem.release();
            sem.release();
            assertEquals("Semaphore[locked, value=0, waiters=0]", sem.toString()); // both handed
            assertTrue(w1.await() && w2.await());
            assertEquals("BoundedSemaphore[unlocked, value=2, waiters=0]", new BoundedSemaphore(2).toString());
        });
    }

    @Test
    void aNewSemaphoreHasOnePermit() { // test_semaphore
        runVirtual(() -> {
            Semaphore sem = new Semaphore();
            assertEquals(1, sem.value());
            assertFalse(sem.locked());
        });
    }

    @Test
    void aNegativeInitialValueIsRefused() { // test_semaphore_value
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertEquals("Semaphore initial value must be >= 0, got -1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-1));
    }

    @Test
    void releasedPermitsGoToTheWaitersInArrivalOrder() { // test_acquire
        runVirtual(() -> {
            Semaphore sem = new Semaphore(3);
            List<Integer> result = new ArrayList<>();
            assertTrue(sem.acquire());
            assertTrue(sem.acquire());
            assertFalse(sem.locked());

            Task<Boolean> t1 = acquireAndRecord(sem, result, 1);
            Task<Boolean> t2 = acquireAndRecord(sem, result, 2);
            Task<Boolean> t3 = acquireAndRecord(sem, result, 3);
            Asyncio.sleep(0);
            assertEquals(List.of(1), result);
            assertTrue(sem.locked());
            assertEquals("Semaphore[locked, value=0, waiters=2]", sem.toString());

            Task<Boolean> t4 = acquireAndRecord(sem, result, 4);
            sem.release();
            sem.release();
            assertEquals(0, sem.value());

            Asyncio.sleep(0);
            assertEquals(0, sem.value());
            assertEquals(List.of(1, 2, 3), result); // asyncio only says two of t2, t3, t4: FIFO makes it t2, t3
            assertTrue(sem.locked());
            assertEquals("Semaphore[locked, value=0, waiters=1]", sem.toString());
            assertTrue(t1.result() && t2.result() && t3.result());
            assertFalse(t4.done());

            sem.release();
            assertTrue(t4.await());
        });
    }

    @Test
    void aWaiterCancelledWhileWaitingLeavesNoTrace() { // test_acquire_cancel
        runVirtual(() -> {
            Semaphore sem = new Semaphore();
            sem.acquire();
            Task<Boolean> acquire = Asyncio.createTask(sem::acquire);
            Asyncio.getRunningLoop().callSoon(() -> acquire.cancel());
            assertThrows(CancelledError.class, acquire::await);
            assertEquals("Semaphore[locked, value=0, waiters=0]", sem.toString());
        });
    }

    @Test
    void aReleaseSkipsWaitersCancelledBeforeTheyWereWoken() { // test_acquire_cancel_before_awoken
        runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            Task<Boolean> t1 = Asyncio.createTask(sem::acquire);
            Task<Boolean> t2 = Asyncio.createTask(sem::acquire);
            Task<Boolean> t3 = Asyncio.createTask(sem::acquire);
            Task<Boolean> t4 = Asyncio.createTask(sem::acquire);
            Asyncio.sleep(0);

            t1.cancel();
            t2.cancel();
            sem.release();
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertTrue(t3.done());
            assertFalse(t4.done());
            assertTrue(t1.cancelled() && t2.cancelled());

            t4.cancel();
            Asyncio.sleep(0);
            assertTrue(t4.cancelled());
            assertEquals(0, sem.value());
        });
    }

    @Test
    void aReleaseAfterTheFirstWaiterWasCancelledReachesTheSecond() { // test_acquire_hang
        runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            Task<Boolean> t1 = Asyncio.createTask(sem::acquire);
            Task<Boolean> t2 = Asyncio.createTask(sem::acquire);
            Asyncio.sleep(0);
            t1.cancel();
            sem.release();
            Asyncio.sleep(0);
            Asyncio.sleep(0);
            assertTrue(sem.locked());
            assertTrue(t2.done());
        });
    }

    @Test
    void aWaiterCancelledAfterItWasHandedThePermitGivesItBack() { // test_acquire_no_hang
        runVirtual(() -> {
            Semaphore sem = new Semaphore(1);
            List<Task<Void>> t2 = new ArrayList<>();
            Task<Void> t1 = Asyncio.createTask(() -> {
                try (var held = sem.hold()) {
                    Asyncio.sleep(0);
                }
                t2.getFirst().cancel(); // t2 was handed the permit and has not resumed yet
            });
            t2.add(Asyncio.createTask(() -> {
                try (var held = sem.hold()) {
                    throw new AssertionError("must not run");
                }
            }));
            List<Outcome<Void>> outcomes = Asyncio.gatherSettled(List.of(t1, t2.getFirst()));
            assertInstanceOf(Outcome.Success.class, outcomes.get(0));
            assertInstanceOf(CancelledError.class, ((Outcome.Failure<Void>) outcomes.get(1)).exception());
            assertTrue(Asyncio.waitFor(sem::acquire, 1.0));
            assertEquals(0.0, now());
        });
    }

    @Test
    void releasingABoundedSemaphoreMoreThanAcquiredIsRefused() { // test_release_not_acquired
        runVirtual(() -> {
            BoundedSemaphore sem = new BoundedSemaphore();
            IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
            assertEquals("BoundedSemaphore.release(): released too many times (all 1 permits are free already); "
                    + "release only a permit you acquired", e.getMessage());
            assertEquals(1, sem.value());
        });
    }

    @Test
    void releaseWithNoWaitersFreesThePermit() { // test_release_no_waiters
        runVirtual(() -> {
            Semaphore sem = new Semaphore();
            sem.acquire();
            assertTrue(sem.locked());
            sem.release();
            assertFalse(sem.locked());
        });
    }

    @Test
    void aTaskReleasingAndAcquiringAgainQueuesBehindTheOthers() { // test_acquire_fifo_order
        runVirtual(() -> {
            Semaphore sem = new Semaphore(1);
            List<String> result = new ArrayList<>();
            Asyncio.taskGroup(tg -> {
                for (String tag : List.of("c1", "c2", "c3")) {
                    tg.createTask(() -> {
                        sem.acquire();
                        result.add(tag + "_1");
                        Asyncio.sleep(0.01);
                        sem.release();

                        sem.acquire();
                        result.add(tag + "_2");
                        Asyncio.sleep(0.01);
                        sem.release();
                    });
                }
                return null;
            });
            assertEquals(List.of("c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2"), result);
        });
    }

    @Test
    void aPermitReleasedWhileWokenWaitersHaveNotResumedIsFreeForTheReleaser() { // test_acquire_fifo_order_2
        runVirtual(() -> {
            Semaphore sem = new Semaphore(1);
            List<Integer> result = new ArrayList<>();
            Task<Boolean> t1 = acquireAndRecord(sem, result, 1);
            Task<Boolean> t2 = Asyncio.createTask(() -> {
                sem.acquire();
                result.add(2);
                sem.release();
                sem.acquire();
                result.add(4);
                return true;
            });
            Task<Boolean> t3 = acquireAndRecord(sem, result, 3);
            Asyncio.sleep(0);
            sem.release();  // handed to t2
            sem.release();  // handed to t3
            Asyncio.gather(List.of(t1, t2, t3));
            // asyncio: [1, 2, 3, 4]: t3, woken but not resumed, still counts as waiting there, so t2 queues behind
            // it. Here t3 already holds its own permit and nobody waits: t2 takes the free one at once.
            assertEquals(List.of(1, 2, 4, 3), result);
        });
    }

    @Test
    void aCancelledWaiterDoesNotTakeAReleasedPermit() { // test_acquire_fifo_order_3
        runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            List<Integer> result = new ArrayList<>();
            Task<Boolean> t1 = acquireAndRecord(sem, result, 1);
            Task<Boolean> t2 = acquireAndRecord(sem, result, 2);
            Task<Boolean> t3 = acquireAndRecord(sem, result, 3);
            Asyncio.sleep(0);
            t1.cancel();
            Asyncio.sleep(0);
            sem.release();
            sem.release();
            Asyncio.gatherSettled(List.of(t1, t2, t3));
            assertEquals(List.of(2, 3), result);
        });
    }

    @Test
    void permitsReleasedBeyondTheWaitersAreFreeAtOnce() { // test_acquire_fifo_order_4
        runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            List<Integer> result = new ArrayList<>();
            List<String> checks = new ArrayList<>();
            List<Task<Boolean>> t4 = new ArrayList<>();
            Task<Boolean> t1 = Asyncio.createTask(() -> {
                assertEquals(0, sem.value());
                sem.acquire(); // woken by c2
                checks.add("c1 resumed, value=" + sem.value());
                t4.add(recordFour(result));
                result.add(1);
                return true;
            });
            Task<Boolean> t2 = Asyncio.createTask(() -> {
                sem.release(); // handed to c1
                sem.release();
                sem.release();
                checks.add("c2 released, value=" + sem.value() + ", locked=" + sem.locked());
                sem.acquire();
                result.add(2);
                return true;
            });
            Task<Boolean> t3 = Asyncio.createTask(() -> {
                sem.acquire();
                checks.add("c3 acquired, locked=" + sem.locked());
                result.add(3);
                return true;
            });
            Asyncio.sleep(0);
            checks.add("main: value=" + sem.value() + ", " + sem);
            Asyncio.sleep(0);
            Asyncio.gather(List.of(t1, t2, t3, t4.getFirst()));
            // asyncio: c2 sees locked=True (c1 woken, not resumed), c2 and c3 queue behind c1, main sees value 2
            // and three waiters, and the result is [1, 2, 3, 4]. Here c1 holds its own permit, the two others are
            // free: c2 and c3 take them at once.
            assertEquals(List.of(
                    "c2 released, value=2, locked=false",
                    "c3 acquired, locked=true",
                    "main: value=0, Semaphore[locked, value=0, waiters=0]",
                    "c1 resumed, value=0"), checks);
            assertEquals(List.of(2, 3, 1, 4), result);
        });
    }

    private static Task<Boolean> recordFour(List<Integer> result) {
        return Asyncio.createTask(() -> {
            result.add(4);
            return true;
        });
    }

    @Test
    void takingAFreePermitDoesNotSwitchTasks() {
        runVirtual(() -> {
            Semaphore sem = new Semaphore(2);
            List<String> events = new ArrayList<>();
            Task<Void> other = Asyncio.createTask(() -> {
                events.add("other ran");
            });
            sem.acquire();
            events.add("acquired");
            assertTrue(sem.tryAcquire());
            events.add("tried");
            try (var held = new BoundedSemaphore(1).hold()) {
                events.add("held");
            }
            other.await();
            assertEquals(List.of("acquired", "tried", "held", "other ran"), events);
        });
    }

    @Test
    void aNewcomerCannotTakeAPermitHandedToAWaiter() {
        runVirtual(() -> {
            Semaphore sem = new Semaphore(1);
            sem.acquire();
            Task<Boolean> waiter = Asyncio.createTask(sem::acquire);
            Asyncio.sleep(0);
            sem.release();
            assertFalse(sem.tryAcquire());
            assertTrue(sem.locked());
            assertTrue(waiter.await());
            assertEquals(0, sem.value());
        });
    }

    @Test
    void aNewcomerQueuesBehindWaitersEvenIfAPermitIsFree() {
        runVirtual(() -> {
            Semaphore sem = new Semaphore(1);
            sem.acquire();
            List<String> order = new ArrayList<>();
            Task<Void> first = Asyncio.createTask(() -> {
                sem.acquire();
                order.add("first");
            });
            Asyncio.sleep(0);
            sem.release();       // handed to first
            sem.release();       // a free permit, as in asyncio where a semaphore may be released beyond its start
            assertFalse(sem.locked());
            assertTrue(sem.tryAcquire());
            first.await();
            assertEquals(List.of("first"), order);
        });
    }

    @Test
    void holdReleasesThePermitWhenTheBlockThrows() {
        runVirtual(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(2);
            assertThrows(IllegalArgumentException.class, () -> {
                try (var held = sem.hold()) {
                    assertEquals(1, sem.value());
                    throw new IllegalArgumentException("body failed");
                }
            });
            assertEquals(2, sem.value());
        });
    }

    @Test
    void holdReleasesThePermitWhenTheTaskIsCancelledInsideTheBlock() {
        runVirtual(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(1);
            Task<Void> t = Asyncio.createTask(() -> {
                try (var held = sem.hold()) {
                    Asyncio.sleep(10);
                }
            });
            Asyncio.sleep(1);
            assertEquals(0, sem.value());
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertEquals(1, sem.value());
        });
    }

    @Test
    void aTaskCancelledWhileWaitingInHoldReleasesNothing() {
        runVirtual(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(1);
            sem.acquire();
            Task<Void> t = Asyncio.createTask(() -> {
                try (var held = sem.hold()) {
                    throw new AssertionError("must not get a permit");
                }
            });
            Asyncio.sleep(0);
            t.cancel();
            assertThrows(CancelledError.class, t::await); // no over-release error from a close() that must not run
            assertEquals(0, sem.value());
            sem.release();
            assertEquals(1, sem.value());
        });
    }

    @Test
    void aTimeoutAroundAcquireRaisesTimeoutErrorAndLosesNoPermit() {
        runVirtual(() -> {
            Semaphore sem = new Semaphore(1);
            sem.acquire();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(1.0, sem::acquire));
            assertEquals(1.0, now());
            assertEquals("Semaphore[locked, value=0, waiters=0]", sem.toString());
            Asyncio.getRunningLoop().callLater(2.0, sem::release);
            assertTrue(Asyncio.waitFor(sem::acquire, 5.0));
            assertEquals(3.0, now());
            assertEquals(0, sem.value());
        });
    }

    @Test
    void aWaiterTimedOutAfterItWasHandedThePermitPassesItToTheNextWaiter() {
        runVirtual(() -> {
            Semaphore sem = new Semaphore(0);
            List<String> events = new ArrayList<>();
            // scheduled before a's deadline (same time, earlier timer): at 1.0 the release hands the permit to a,
            // then a's deadline cancels a before it resumes, and a hands the permit on to b
            Asyncio.getRunningLoop().callLater(1.0, sem::release);
            Task<Void> a = Asyncio.createTask(() -> {
                try {
                    Asyncio.timeout(1.0, sem::acquire);
                    events.add("a acquired");
                } catch (TimeoutError e) {
                    events.add("a timed out");
                }
            });
            Task<Void> b = Asyncio.createTask(() -> {
                Asyncio.timeout(5.0, sem::acquire); // a lost permit would time out here
                events.add("b acquired at " + now());
            });
            Asyncio.gather(List.of(a, b));
            assertEquals(List.of("a timed out", "b acquired at 1.0"), events);
            assertEquals(0, sem.value());
        });
    }

    @Test
    void aBoundedSemaphoreRefusesAReleaseAfterItsPermitWasHandedBack() {
        runVirtual(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(1);
            sem.acquire();
            Task<Boolean> waiter = Asyncio.createTask(sem::acquire);
            Asyncio.sleep(0);
            sem.release();           // handed to the waiter: still within the bound
            assertTrue(waiter.await());
            sem.release();           // the waiter's permit
            assertEquals(1, sem.value());
            IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
            assertTrue(e.getMessage().contains("all 1 permits are free already"), e.getMessage());
        });
    }

    @Test
    void aBoundedSemaphoreTakesBackAPermitFromACancelledWaiterWithinItsBound() {
        runVirtual(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(1);
            sem.acquire();
            Task<Boolean> waiter = Asyncio.createTask(sem::acquire);
            Asyncio.sleep(0);
            sem.release();       // handed
            waiter.cancel();     // before it resumes: the permit comes back
            assertThrows(CancelledError.class, waiter::await);
            assertEquals(1, sem.value());
            assertThrows(IllegalStateException.class, sem::release);
        });
    }

    @Test
    void usingASemaphoreFromAPlainThreadIsAClearError() {
        Semaphore sem = new BoundedSemaphore(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, sem::acquire);
        assertTrue(e.getMessage().contains("BoundedSemaphore.acquire()"), e.getMessage());
        assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
    }

    @Test
    void usingASemaphoreFromASecondLoopIsAClearError() {
        Semaphore sem = new Semaphore(1);
        runVirtual(() -> {
            try (var held = sem.hold()) {
                assertTrue(sem.locked());
            }
        });
        try (Runner second = Runner.builder().virtualTime(true).build()) {
            IllegalStateException e = second.run(() -> assertThrows(IllegalStateException.class, sem::release));
            assertTrue(e.getMessage().startsWith("Semaphore.release(): this Semaphore is bound to"), e.getMessage());
        }
    }
}
