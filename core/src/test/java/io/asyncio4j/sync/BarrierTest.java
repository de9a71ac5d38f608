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

import static io.asyncio4j.sync.SyncTests.gatherTasks;
import static io.asyncio4j.sync.SyncTests.makeTasks;
import static io.asyncio4j.sync.SyncTests.now;
import static io.asyncio4j.sync.SyncTests.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Barrier} as asyncio's (CPython Lib/test/test_asyncio/test_locks.py, BarrierTests), on virtual time. */
class BarrierTest {
    private static final int N = 5;

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
