package io.asyncio4j;

import io.asyncio4j.sync.Event;
import io.asyncio4j.sync.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A loop that can never wake by itself ({@link StuckLoop}): every task waits for another, no timer is
 * pending. On virtual time {@code run} raises a report naming each task and what it waits on; on real time
 * the loop keeps waiting (another thread may still wake it) and, in debug mode, logs that report once. The
 * loops here use a 50 ms slow-callback duration: the real time a stuck loop waits before it reports.
 */
class StuckLoopTest {
    private static final Duration THRESHOLD = Duration.ofMillis(50);

    private final WarningCapture capture = new WarningCapture();
    private final List<String> warnings = capture.warnings();

    @AfterEach
    void stopCapturing() {
        capture.stop();
    }

    private static Runner virtual() {
        return Runner.builder().virtualTime(true).slowCallbackDuration(THRESHOLD).build();
    }

    @Test
    void tasksWaitingForEachOtherOnVirtualTimeMakeRunRaiseAReportNamingEachAndWhatItWaitsOn() {
        Lock lock = new Lock();
        Event never = new Event();
        try (Runner runner = virtual()) {
            long realStart = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> runner.run(() -> {
                Asyncio.createTask(() -> {
                    lock.acquire();
                    never.await();
                }, "holder");
                Asyncio.sleep(1);
                lock.acquire();
            }));
            String report = e.getMessage();
            assertTrue(report.contains("can never wake"), report);
            assertTrue(report.contains("each of its 2 tasks waits"), report);
            assertTrue(report.contains("\n  'holder' waits in the wait queue of"), report);
            assertTrue(report.contains("at io.asyncio4j.sync.Event.await("), report);
            assertTrue(report.contains("\n  'Task-1' waits in the wait queue of"), report);
            assertTrue(report.contains("at io.asyncio4j.sync.Lock.acquire("), report);
            assertTrue(report.contains("StuckLoopTest.lambda$"), "the user's frame: " + report);
            // the jump to the last timer (1 s), then the real time the loop waited before it reported
            double clock = runner.getLoop().time();
            double realSeconds = (System.nanoTime() - realStart) / 1e9;
            assertTrue(clock >= 1.0 && clock <= 1.0 + realSeconds,
                    "the clock jumped to the last timer, then stopped: " + clock + " s after " + realSeconds + " s");
        } // close() cancels both tasks: nothing is left behind
    }

    @Test
    void taskAwaitingAFutureNobodyCompletesIsReportedWithTheFuture() {
        try (Runner runner = virtual()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> runner.run(() -> new Future<String>().await()));
            assertTrue(e.getMessage().contains("'Task-1' awaits Future[pending]"), e.getMessage());
        }
    }

    @Test
    void aLoopThatATimerWillWakeIsNotStuck() {
        try (Runner runner = virtual()) {
            String got = runner.run(() -> {
                Future<String> f = new Future<>();
                Asyncio.getRunningLoop().callLater(3600, () -> f.setResult("woken by a timer"));
                return f.await();
            });
            assertEquals("woken by a timer", got);
        }
    }

    @Test
    void aForeignThreadThatWakesTheLoopInTimeIsNotADeadlock() {
        try (Runner runner = Runner.builder().virtualTime(true).build()) { // 1 s to wake it
            String got = runner.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<String> f = new Future<>();
                Thread.ofPlatform().start(() -> loop.callSoonThreadsafe(() -> f.setResult("woken")));
                return f.await();
            });
            assertEquals("woken", got);
        }
    }

    @Test
    void onRealTimeInDebugModeAStuckLoopLogsOnceAndKeepsWaitingForAnotherThread() {
        capture.start();
        try (Runner runner = Runner.builder().debug(true).slowCallbackDuration(THRESHOLD).build()) {
            String got = runner.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<String> f = new Future<>();
                Thread.ofPlatform().start(() -> {
                    // wake the loop only once it has said it is stuck
                    while (warnings.stream().noneMatch(w -> w.contains("can never wake"))) {
                        Thread.onSpinWait();
                    }
                    loop.callSoonThreadsafe(() -> f.setResult("woken after the report"));
                });
                return f.await();
            });
            assertEquals("woken after the report", got);
        }
        List<String> reports = warnings.stream().filter(w -> w.contains("can never wake")).toList();
        assertEquals(1, reports.size(), reports::toString);
        assertTrue(reports.getFirst().contains("'Task-1' awaits Future[pending]"), reports.getFirst());
    }
}
