package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.BrokenBarrierError;
import io.asyncio4j.Task;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.asyncio4j.sync.SyncTests.gatherTasks;
import static io.asyncio4j.sync.SyncTests.makeTasks;
import static io.asyncio4j.sync.SyncTests.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Barrier#reset()} and {@link Barrier#abort()} as asyncio's (CPython Lib/test/test_asyncio/test_locks.py,
 * BarrierTests: test_reset_* and test_abort_*), on virtual time.
 */
class BarrierResetTest {
    private static final int N = 5;

    @Test
    void resettingAnEmptyBarrierLeavesItFilling() { // test_reset_barrier
        runVirtual(() -> {
            Barrier barrier = new Barrier(1);
            Asyncio.createTask(barrier::reset);
            Asyncio.sleep(0);
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
            assertEquals("Barrier[filling, waiters=0/1]", barrier.toString());
        });
    }

    @Test
    void resetBreaksTheWaitOfEveryWaitingTask() { // test_reset_barrier_while_tasks_waiting
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            List<String> results = new ArrayList<>();
            List<Task<Void>> tasks = makeTasks(N - 1, () -> {
                try {
                    barrier.await();
                } catch (BrokenBarrierError e) {
                    results.add(e.getMessage());
                }
            });
            Asyncio.sleep(0);
            Asyncio.createTask(barrier::reset);
            Asyncio.gather(tasks);
            assertEquals(N - 1, results.size());
            assertEquals("Barrier.await(): the barrier was reset while this task waited at it", results.getFirst());
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.toString().contains("resetting"));
            assertFalse(barrier.broken());
        });
    }

    @Test
    void aResetWhileHalfTheReleasedTasksAreStillInsideBreaksTheirPassage() { // test_reset_barrier_when_tasks_half_draining
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results1 = new ArrayList<>();
            int restOfTasks = N / 2;
            int[] returned = {0};
            gatherTasks(N, () -> {
                try {
                    barrier.await();
                } catch (BrokenBarrierError e) {
                    results1.add(true); // released, but the reset came before it resumed
                    return;
                }
                returned[0]++;
                // asyncio's test reads barrier._count: the tasks still inside are those that did not return yet
                if (N - returned[0] == restOfTasks) {
                    barrier.reset();
                }
            });
            assertEquals(Collections.nCopies(restOfTasks, true), results1);
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.toString().contains("resetting"));
            assertFalse(barrier.broken());
        });
    }

    @Test
    void aResetWhileSomeTasksDrainAndOthersBlockLetsTheBlockedOnesWait() { // ..._half_draining_half_blocking
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results1 = new ArrayList<>();
            List<Boolean> results2 = new ArrayList<>();
            int blockingTasks = N / 2;
            int[] count = {0};
            gatherTasks(N, () -> {
                try {
                    barrier.await();
                } catch (BrokenBarrierError e) {
                    results1.add(true); // still waiting when reset: wait again to reach the parties
                    barrier.await();
                    return;
                }
                count[0]++;
                if (count[0] > blockingTasks) {
                    barrier.reset(); // the tasks still waiting get BrokenBarrierError
                    barrier.await();
                } else {
                    try {
                        barrier.await();
                    } catch (BrokenBarrierError e) {
                        results2.add(true); // never: blocked tasks wait for the next round
                    }
                }
            });
            assertEquals(Collections.nCopies(blockingTasks, true), results1);
            assertEquals(List.of(), results2);
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.toString().contains("resetting"));
            assertFalse(barrier.broken());
        });
    }

    @Test
    void tasksBrokenByAResetCanMeetAgain() { // test_reset_barrier_while_tasks_waiting_and_waiting_again
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results1 = new ArrayList<>();
            List<Boolean> results2 = new ArrayList<>();
            List<Task<Void>> tasks = makeTasks(N - 1, () -> {
                try {
                    barrier.await();
                } catch (BrokenBarrierError e) {
                    results1.add(true);
                } finally {
                    barrier.await();
                    results2.add(true);
                }
            });
            Asyncio.createTask(barrier::reset); // the N-1 waiting tasks raise BrokenBarrierError
            Asyncio.sleep(0);
            Task<Void> last = Asyncio.createTask(() -> {
                barrier.await(); // completes the waits in the finally blocks
                results2.add(true);
            });
            Asyncio.gather(tasks);
            last.await();
            assertFalse(barrier.broken());
            assertEquals(N - 1, results1.size());
            assertEquals(N, results2.size());
            assertEquals(0, barrier.nWaiting());
        });
    }

    @Test
    void aResetByTheLastTaskOutDoesNotBreakTheNextRound() { // test_reset_barrier_while_tasks_draining
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results1 = new ArrayList<>();
            List<Boolean> results2 = new ArrayList<>();
            List<Boolean> results3 = new ArrayList<>();
            int[] count = {0};
            gatherTasks(N, () -> {
                barrier.await();
                count[0]++;
                if (count[0] == N) {
                    barrier.reset(); // the last task out: nobody is inside
                    barrier.await();
                } else {
                    try {
                        barrier.await();
                        results1.add(true);
                    } catch (RuntimeException e) {
                        results2.add(true); // never
                    }
                }
                barrier.await();
                results3.add(true);
            });
            assertFalse(barrier.broken());
            assertEquals(N - 1, results1.size());
            assertEquals(0, results2.size());
            assertEquals(N, results3.size());
            assertEquals(0, barrier.nWaiting());
        });
    }

    @Test
    void abortBreaksTheBarrier() { // test_abort_barrier
        runVirtual(() -> {
            Barrier barrier = new Barrier(1);
            Asyncio.createTask(barrier::abort);
            Asyncio.sleep(0);
            assertEquals(0, barrier.nWaiting());
            assertTrue(barrier.broken());
            BrokenBarrierError e = assertThrows(BrokenBarrierError.class, barrier::await);
            assertEquals("Barrier.await(): the barrier is broken (abort() was called); reset() it before using it again",
                    e.getMessage());
        });
    }

    @Test
    void abortBreaksTheWaitOfDrainingAndBlockedTasks() { // test_abort_barrier_when_tasks_half_draining_half_blocking
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results1 = new ArrayList<>();
            List<Boolean> results2 = new ArrayList<>();
            int blockingTasks = N / 2;
            int[] count = {0};
            gatherTasks(N, () -> {
                try {
                    barrier.await();
                } catch (BrokenBarrierError e) {
                    results1.add(true); // released, but aborted before it resumed
                    return;
                }
                count[0]++;
                if (count[0] > blockingTasks) {
                    barrier.abort();
                } else {
                    try {
                        barrier.await();
                    } catch (BrokenBarrierError e) {
                        results2.add(true); // already drained, blocked for the next round
                    }
                }
            });
            assertTrue(barrier.broken());
            assertEquals(Collections.nCopies(blockingTasks, true), results1);
            assertEquals(Collections.nCopies(N - blockingTasks - 1, true), results2);
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.toString().contains("resetting"));
        });
    }

    @Test
    void aTaskThatFailsCanAbortTheOthers() { // test_abort_barrier_when_exception
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results1 = new ArrayList<>();
            List<Boolean> results2 = new ArrayList<>();
            gatherTasks(N, () -> {
                try {
                    int i = barrier.await();
                    if (i == N / 2) {
                        throw new IllegalStateException("failed");
                    }
                    barrier.await();
                    results1.add(true);
                } catch (BrokenBarrierError e) {
                    results2.add(true);
                } catch (IllegalStateException e) {
                    barrier.abort();
                }
            });
            assertTrue(barrier.broken());
            assertEquals(0, results1.size());
            assertEquals(N - 1, results2.size());
            assertEquals(0, barrier.nWaiting());
        });
    }

    @Test
    void anAbortedBarrierWorksAgainAfterReset() { // test_abort_barrier_when_exception_then_resetting
        runVirtual(() -> {
            Barrier barrier1 = new Barrier(N);
            Barrier barrier2 = new Barrier(N);
            List<Boolean> results1 = new ArrayList<>();
            List<Boolean> results2 = new ArrayList<>();
            List<Boolean> results3 = new ArrayList<>();
            gatherTasks(N, () -> {
                try {
                    int i = barrier1.await();
                    if (i == N / 2) {
                        throw new IllegalStateException("failed");
                    }
                    barrier1.await();
                    results1.add(true);
                } catch (BrokenBarrierError e) {
                    results2.add(true);
                } catch (IllegalStateException e) {
                    barrier1.abort();
                }
                // synchronise so that everyone has left barrier1 before the reset, and nobody enters it before
                int i = barrier2.await();
                if (i == N / 2) {
                    barrier1.reset();
                }
                barrier2.await();
                barrier1.await();
                results3.add(true);
            });
            assertFalse(barrier1.broken());
            assertEquals(0, results1.size());
            assertEquals(N - 1, results2.size());
            assertEquals(N, results3.size());
            assertEquals(0, barrier1.nWaiting());
        });
    }

    @Test
    void abortAndResetWorkFromALoopCallbackWhenNobodyHoldsTheBarrier() {
        runVirtual(() -> {
            Barrier barrier = new Barrier(2);
            Task<Integer> waiter = Asyncio.createTask(barrier::await);
            Asyncio.sleep(0);
            Asyncio.getRunningLoop().callSoon(barrier::abort);
            assertThrows(BrokenBarrierError.class, waiter::await);
            assertTrue(barrier.broken());
            Asyncio.getRunningLoop().callSoon(barrier::reset);
            Asyncio.sleep(0);
            assertEquals("Barrier[filling, waiters=0/2]", barrier.toString());
        });
    }
}
