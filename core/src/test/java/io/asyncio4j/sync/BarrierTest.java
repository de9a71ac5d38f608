package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.BrokenBarrierError;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.ThrowingRunnable;
import io.asyncio4j.TimeoutError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

import static io.asyncio4j.sync.SyncTests.now;
import static io.asyncio4j.sync.SyncTests.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Barrier} as asyncio's (CPython Lib/test/test_asyncio/test_locks.py, BarrierTests), on virtual time. */
class BarrierTest {
    private static final int N = 5;

    private static <T> List<Task<T>> makeTasks(int n, Callable<T> coro) {
        List<Task<T>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(Asyncio.createTask(coro));
        }
        return tasks;
    }

    private static List<Task<Void>> makeTasks(int n, ThrowingRunnable coro) {
        return makeTasks(n, coro.asCallable());
    }

    private static <T> List<T> gatherTasks(int n, Callable<T> coro) {
        return Asyncio.gather(makeTasks(n, coro));
    }

    private static void gatherTasks(int n, ThrowingRunnable coro) {
        gatherTasks(n, coro.asCallable());
    }

    private static List<Integer> sorted(List<Integer> values) {
        List<Integer> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }

    @Test
    void aNewBarrierIsFilling() { // test_barrier
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            assertEquals("Barrier[filling, waiters=0/5]", barrier.toString());
            assertEquals(N, barrier.parties());
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
        });
    }

    @Test
    void toStringShowsEachStateAndTheWaiters() { // test_repr
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            List<Task<Integer>> waiters = new ArrayList<>();
            int incr = 2;
            waiters.addAll(makeTasks(incr, barrier::await));
            Asyncio.sleep(0);
            assertEquals("Barrier[filling, waiters=2/5]", barrier.toString());

            waiters.addAll(makeTasks(barrier.parties() - barrier.nWaiting(), barrier::await)); // the missing ones
            Asyncio.sleep(0);
            assertEquals("Barrier[draining, waiters=0/5]", barrier.toString());

            waiters.addAll(makeTasks(incr, barrier::await));
            Asyncio.sleep(0);
            barrier.reset();
            assertEquals("Barrier[resetting, waiters=0/5]", barrier.toString());

            waiters.addAll(makeTasks(incr, barrier::await));
            Asyncio.sleep(0);
            barrier.abort();
            assertEquals("Barrier[broken]", barrier.toString());
            assertTrue(barrier.broken());

            Asyncio.gatherSettled(waiters);
            for (int i = N; i < waiters.size(); i++) { // reset, then aborted, while they waited
                assertTrue(waiters.get(i).exception() instanceof BrokenBarrierError, waiters.get(i).toString());
            }
        });
    }

    @Test
    void toStringWorksFromAnyThread() {
        assertEquals("Barrier[filling, waiters=0/3]", new Barrier(3).toString());
    }

    @Test
    void partiesMustBePositive() { // test_barrier_parties
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
        assertEquals("Barrier(parties): parties must be >= 1, got 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Barrier(-4));
    }

    @Test
    void eachTaskGetsADistinctArrivalIndex() { // test_context_manager
        runVirtual(() -> {
            Barrier barrier = new Barrier(3);
            List<Integer> results = gatherTasks(3, barrier::await);
            assertEquals(List.of(0, 1, 2), sorted(results));
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
        });
    }

    @Test
    void aBarrierForOneTaskPassesAtOnce() { // test_filling_one_task
        runVirtual(() -> {
            Barrier barrier = new Barrier(1);
            assertEquals(0, barrier.await());
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
        });
    }

    @Test
    void aBarrierForOneTaskPassesEachTaskAlone() { // test_filling_one_task_twice
        runVirtual(() -> {
            Barrier barrier = new Barrier(1);
            Task<Integer> t1 = Asyncio.createTask(barrier::await);
            Asyncio.sleep(0);
            assertEquals(0, barrier.nWaiting());
            Task<Integer> t2 = Asyncio.createTask(barrier::await);
            Asyncio.sleep(0);
            assertTrue(t1.done() && t2.done());
            assertEquals(t1.result(), t2.result());
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
        });
    }

    @Test
    void nWaitingCountsTheTasksAtTheBarrier() { // test_filling_task_by_task
        runVirtual(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> t1 = Asyncio.createTask(barrier::await);
            Asyncio.sleep(0);
            assertEquals(1, barrier.nWaiting());
            assertEquals("Barrier[filling, waiters=1/3]", barrier.toString());
            Task<Integer> t2 = Asyncio.createTask(barrier::await);
            Asyncio.sleep(0);
            assertEquals(2, barrier.nWaiting());
            Task<Integer> t3 = Asyncio.createTask(barrier::await);
            Asyncio.sleep(0);
            Asyncio.wait(List.of(t1, t2, t3));
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
        });
    }

    @Test
    void tasksCanPassTheBarrierTwice() { // test_filling_tasks_wait_twice
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results = new ArrayList<>();
            gatherTasks(N, () -> {
                barrier.await();
                results.add(true);
                barrier.await();
                results.add(false);
            });
            assertEquals(2 * N, results.size());
            assertEquals(N, Collections.frequency(results, true));
            assertEquals(N, Collections.frequency(results, false));
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
        });
    }

    @Test
    void theSecondPassageGivesDistinctIndexesToo() { // test_filling_tasks_check_return_value
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results1 = new ArrayList<>();
            List<Boolean> results2 = new ArrayList<>();
            List<Integer> res = gatherTasks(N, () -> {
                barrier.await();
                results1.add(true);
                int i = barrier.await();
                results2.add(true);
                return i;
            });
            assertEquals(N, results1.size());
            assertEquals(N, results2.size());
            assertEquals(List.of(0, 1, 2, 3, 4), sorted(res));
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
        });
    }

    @Test
    void theBarrierDrainsUntilTheLastReleasedTaskHasLeft() { // test_draining_state
        runVirtual(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results = new ArrayList<>();
            gatherTasks(N, () -> {
                barrier.await();
                results.add(barrier.toString().contains("draining")); // the last one out sees filling
            });
            assertEquals(List.of(true, true, true, true, false), results);
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
        });
    }

    @Test
    void tasksArrivingWhileTheBarrierDrainsWaitForTheNextRound() { // test_blocking_tasks_while_draining
        runVirtual(() -> {
            int rewait = 2;
            Barrier barrier = new Barrier(N);
            Barrier barrierNoWaiting = new Barrier(N - rewait);
            int[] rewaitN = {rewait};
            gatherTasks(N, () -> {
                barrier.await();
                if (rewaitN[0] > 0) {
                    rewaitN[0]--;
                    barrier.await(); // waits again, only for the rewait tasks
                } else {
                    barrierNoWaiting.await(); // the end of draining
                    barrier.await();
                }
            });
            // passing means barrierNoWaiting was awaited exactly N - rewait times
            assertEquals(0, barrier.nWaiting());
            assertEquals(0, barrierNoWaiting.nWaiting());
        });
    }

    @Test
    void aTaskCancelledWhileFillingLeavesTheBarrierUnbroken() { // test_filling_tasks_cancel_one
        runVirtual(() -> {
            Barrier barrier = new Barrier(3);
            List<Boolean> results = new ArrayList<>();
            ThrowingRunnable coro = () -> {
                barrier.await();
                results.add(true);
            };
            Task<Void> t1 = Asyncio.createTask(coro);
            Asyncio.sleep(0);
            assertEquals(1, barrier.nWaiting());
            Task<Void> t2 = Asyncio.createTask(coro);
            Asyncio.sleep(0);
            assertEquals(2, barrier.nWaiting());

            t1.cancel();
            Asyncio.sleep(0);
            assertEquals(1, barrier.nWaiting());
            assertThrows(CancelledError.class, t1::await);
            assertTrue(t1.cancelled());

            Task<Void> t3 = Asyncio.createTask(coro);
            Asyncio.sleep(0);
            assertEquals(2, barrier.nWaiting());
            Task<Void> t4 = Asyncio.createTask(coro);
            Asyncio.gather(List.of(t2, t3, t4));

            assertEquals(3, results.size());
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
        });
    }

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
    void theLastArrivalReturnsWithoutSwitchingAndTheOthersResumeInArrivalOrder() {
        runVirtual(() -> {
            Barrier barrier = new Barrier(4);
            List<String> events = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                tasks.add(Asyncio.createTask(() -> {
                    int i = barrier.await();
                    events.add(name + " " + i);
                }));
            }
            Asyncio.sleep(0);
            Task<Void> bystander = Asyncio.createTask(() -> {
                events.add("bystander ran");
            });
            int index = barrier.await();
            events.add("main " + index);
            Asyncio.gather(tasks);
            bystander.await();
            assertEquals(List.of("main 3", "bystander ran", "a 0", "b 1", "c 2"), events);
        });
    }

    @Test
    void aTaskCancelledAfterTheBarrierReleasedItRaisesAndTheOthersPass() {
        runVirtual(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> a = Asyncio.createTask(barrier::await);
            Task<Integer> b = Asyncio.createTask(barrier::await);
            Asyncio.sleep(0);
            assertEquals(2, barrier.await()); // releases a and b
            a.cancel();                       // before a resumes
            assertThrows(CancelledError.class, a::await);
            assertEquals(1, b.await());
            assertEquals("Barrier[filling, waiters=0/3]", barrier.toString());
        });
    }

    @Test
    void aTimeoutAroundAwaitLeavesTheBarrierUnbroken() {
        runVirtual(() -> {
            Barrier barrier = new Barrier(2);
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(1.0, barrier::await));
            assertEquals(1.0, now());
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
            Task<Integer> other = Asyncio.createTask(barrier::await); // starts once we wait
            assertEquals(0, Asyncio.waitFor(barrier::await, 5.0));
            assertEquals(1, other.await());
        });
    }

    @Test
    void anArrivalIndexRepeatsAfterAWaiterWasCancelled() {
        // asyncio's (and threading's) index is the count of tasks inside on arrival; a cancelled waiter leaves
        runVirtual(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> t1 = Asyncio.createTask(barrier::await);
            Task<Integer> t2 = Asyncio.createTask(barrier::await);
            Asyncio.sleep(0);
            t1.cancel();
            Asyncio.sleep(0);
            Task<Integer> t3 = Asyncio.createTask(barrier::await);
            Asyncio.sleep(0);
            assertEquals(2, barrier.await());
            assertEquals(1, t2.await());
            assertEquals(1, t3.await());
            assertTrue(t1.cancelled());
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

    @Test
    void usingABarrierFromAPlainThreadIsAClearError() {
        Barrier barrier = new Barrier(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, barrier::await);
        assertTrue(e.getMessage().contains("Barrier.await()"), e.getMessage());
        assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
    }

    @Test
    void usingABarrierFromASecondLoopIsAClearError() {
        Barrier barrier = new Barrier(1);
        runVirtual(() -> assertEquals(0, barrier.await()));
        try (Runner second = Runner.builder().virtualTime(true).build()) {
            IllegalStateException e = second.run(() -> assertThrows(IllegalStateException.class, barrier::reset));
            assertTrue(e.getMessage().startsWith("Barrier.reset(): this Barrier is bound to"), e.getMessage());
        }
    }
}
