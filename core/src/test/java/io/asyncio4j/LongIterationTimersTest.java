package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Timers that come due while one iteration runs many entries: on real time they (and the tasks they wake) run
 * after the next 64 entries instead of after the whole iteration; on virtual time the order is asyncio's. And
 * a very long iteration does not leave the ready queue's grown array behind.
 */
class LongIterationTimersTest {
    private static final int SOON = 200;

    @Test
    void onRealTimeATimerDueDuringALongIterationRunsAfterItsNext64EntriesNotAfterAllOfThem() {
        List<String> order = runLongIteration(new Runner(), loop -> {
            double due = loop.time() + 0.001;
            loop.callAt(due, () -> ORDER.get().add("timer"));
            spinUntil(loop, due);
        });
        assertEquals(expectedWithAt(EventLoop.TIMER_CHECK_ENTRIES - 1, "timer"), order);
    }

    @Test
    void onRealTimeATaskWokenByATimerDueDuringALongIterationRunsRightAfterThatTimer() {
        try (Runner runner = new Runner()) {
            List<String> order = runner.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                List<String> out = new ArrayList<>();
                Future<String> wakeUp = loop.createFuture();
                Task<Boolean> waiter = Asyncio.createTask(() -> out.add(wakeUp.await()));
                Asyncio.sleep(0); // the waiter now waits for the future
                loop.callSoon(() -> {
                    double due = loop.time() + 0.001;
                    loop.callAt(due, () -> wakeUp.setResult("woke"));
                    spinUntil(loop, due);
                });
                for (int i = 0; i < SOON; i++) {
                    int k = i;
                    loop.callSoon(() -> out.add("soon-" + k));
                }
                waiter.await();
                Asyncio.sleep(0);
                return out;
            });
            assertEquals(expectedWithAt(EventLoop.TIMER_CHECK_ENTRIES - 1, "woke"), order);
        }
    }

    @Test
    void onVirtualTimeATimerMadeDueDuringAnIterationRunsAfterAllOfItAsInAsyncio() {
        List<String> order = runLongIteration(TestLoops.virtualRunner(),
                loop -> loop.callLater(0, () -> ORDER.get().add("timer")));
        assertEquals(expectedWithAt(SOON, "timer"), order);
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    // the list the callbacks of the running test append to (callbacks run on the loop thread)
    private static final ThreadLocal<List<String>> ORDER = new ThreadLocal<>();

    /**
     * In one iteration: {@code first} (which schedules a timer), then {@value #SOON} callbacks recording
     * "soon-i"; returns what was recorded.
     */
    private static List<String> runLongIteration(Runner runner, java.util.function.Consumer<EventLoop> first) {
        try (runner) {
            return runner.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                List<String> out = new ArrayList<>();
                loop.callSoon(() -> {
                    ORDER.set(out);
                    first.accept(loop);
                });
                for (int i = 0; i < SOON; i++) {
                    int k = i;
                    loop.callSoon(() -> out.add("soon-" + k));
                }
                Asyncio.sleep(0);
                Asyncio.sleep(0);
                ORDER.remove();
                return out;
            });
        }
    }

    /** soon-0 .. soon-(SOON-1) with {@code what} inserted at {@code index}. */
    private static List<String> expectedWithAt(int index, String what) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < SOON; i++) {
            expected.add("soon-" + i);
        }
        expected.add(index, what);
        return expected;
    }

    /** Holds the loop until its clock reaches {@code when} (a long entry: the clock moves under it). */
    private static void spinUntil(EventLoop loop, double when) {
        while (loop.time() < when) {
            Thread.onSpinWait();
        }
    }

    /** A burst of first steps (a million in W4) must not keep megabytes of empty ready queue for the loop's life. */
    @Test
    void anIterationOfMoreThan65536EntriesLeavesAFreshReadyQueueBehindItWhenItAddedNothing() throws Exception {
        java.lang.reflect.Field ready = EventLoop.class.getDeclaredField("ready");
        ready.setAccessible(true);
        int n = EventLoop.SHRINK_READY_AFTER + 1;
        Object[] queues = TestLoops.runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            int[] ran = {0};
            for (int i = 0; i < n; i++) {
                loop.callSoon(() -> ran[0]++);
            }
            Object grown = ready.get(loop);
            Asyncio.sleep(0); // one iteration runs the n callbacks, then this task last
            assertEquals(n, ran[0]);
            Object after = ready.get(loop);
            for (int i = 0; i < 10; i++) {
                loop.callSoon(() -> ran[0]++);
            }
            Asyncio.sleep(0); // an iteration of 11 entries keeps its queue
            return new Object[] {grown, after, ready.get(loop)};
        });
        assertNotSame(queues[0], queues[1], "the grown queue was replaced");
        assertSame(queues[1], queues[2], "a short iteration keeps the queue");
    }
}
