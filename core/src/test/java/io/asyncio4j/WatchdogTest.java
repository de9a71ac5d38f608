package io.asyncio4j;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocked-loop watchdog: one warning on the {@code io.asyncio4j} logger, naming the culprit and showing
 * its stack, when one task step or callback holds the loop past the loop's slow-callback duration; none
 * for a loop that idles or takes many short steps. The only test class allowed real busy time: the spins
 * last tens to a few hundred milliseconds, and end as soon as the warning they wait for has come.
 */
class WatchdogTest {
    private static final Duration THRESHOLD = Duration.ofMillis(50);
    // for tests that expect no warning: room for a loop thread that a busy machine deschedules mid-step
    private static final Duration NO_WARNING_THRESHOLD = Duration.ofMillis(100);
    private static final long GIVE_UP_SECONDS = 10; // a spin that waits for a warning that never comes

    private final WarningCapture capture = new WarningCapture();
    private final List<String> warnings = capture.warnings();

    /** Starts recording warnings; called after a warm-up run, so that class loading is not what is measured. */
    private void captureWarnings() {
        capture.start();
    }

    @AfterEach
    void stopCapturing() {
        capture.stop();
    }

    // ---- what is reported --------------------------------------------------------------------------------

    @Test
    void taskThatHoldsTheLoopPastTheThresholdIsReportedOnceWithItsNameAndStack() {
        try (Runner runner = Runner.builder().slowCallbackDuration(THRESHOLD).build()) {
            runner.run(() -> Asyncio.createTask(() -> spinUntilWarnedThenHoldOn(Duration.ZERO), "busy-spinner").await());
            captureWarnings();
            runner.run(() -> Asyncio.createTask(() -> spinUntilWarnedThenHoldOn(THRESHOLD.multipliedBy(3)), "busy-spinner").await());
        }
        assertEquals(1, warnings.size(), () -> "expected one warning, got " + warnings);
        String warning = warnings.getFirst();
        assertTrue(warning.startsWith("Task 'busy-spinner' has held the event loop"), warning);
        assertTrue(warning.contains("Asyncio.toThread"), "the warning says what to do: " + warning);
        assertTrue(warning.contains("at io.asyncio4j.WatchdogTest.spinUntilWarnedThenHoldOn(WatchdogTest.java:"),
                "the warning shows the task's stack: " + warning);
    }

    @Test
    void aReportIsAlsoALoopBlockedEventForARecordingThatEnablesIt() throws Exception {
        Path file = Files.createTempFile("loop-blocked", ".jfr");
        try {
            try (Recording recording = new Recording()) {
                recording.enable("io.asyncio4j.LoopBlocked");
                recording.start();
                try (Runner runner = Runner.builder().slowCallbackDuration(THRESHOLD).build()) {
                    runner.run(() -> Asyncio.createTask(() -> spinUntilWarnedThenHoldOn(Duration.ZERO), "busy-spinner").await());
                    captureWarnings();
                    runner.run(() -> Asyncio.createTask(() -> spinUntilWarnedThenHoldOn(Duration.ofMillis(1)), "busy-spinner")
                            .await());
                }
                recording.stop();
                recording.dump(file);
            }
            List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("io.asyncio4j.LoopBlocked")).toList();
            assertEquals(1, events.size(), events::toString);
            RecordedEvent e = events.getFirst();
            assertEquals("task 'busy-spinner'", e.getString("holder"));
            assertTrue(e.getDuration("held").compareTo(THRESHOLD) >= 0, e.toString());
            assertTrue(e.getString("message").startsWith("Task 'busy-spinner' has held the event loop"), e.toString());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void callbackThatHoldsTheLoopPastTheThresholdIsReportedOnceWithTheLoopThreadsStack() {
        try (Runner runner = Runner.builder().slowCallbackDuration(THRESHOLD).build()) {
            runner.run(() -> callbackThatSpins(Duration.ZERO).await());
            captureWarnings();
            runner.run(() -> callbackThatSpins(THRESHOLD.multipliedBy(3)).await());
        }
        assertEquals(1, warnings.size(), () -> "expected one warning, got " + warnings);
        String warning = warnings.getFirst();
        assertTrue(warning.startsWith("Callback "), warning);
        assertTrue(warning.contains("at io.asyncio4j.WatchdogTest.spinUntilWarnedThenHoldOn(WatchdogTest.java:"),
                "the warning shows the loop thread's stack: " + warning);
    }

    /** A future completed by a callback that spins on the loop thread. */
    private Future<Void> callbackThatSpins(Duration holdOnAfterWarning) {
        Future<Void> done = Asyncio.getRunningLoop().createFuture();
        Asyncio.getRunningLoop().callSoon(() -> {
            spinUntilWarnedThenHoldOn(holdOnAfterWarning);
            done.setResult(null);
        });
        return done;
    }

    /**
     * Holds the loop without waiting until a warning has been logged (at most {@link #GIVE_UP_SECONDS}),
     * then for {@code holdOn} more: time in which a watchdog that repeats itself would warn again. A zero
     * {@code holdOn} returns at once (the warm-up runs).
     */
    private void spinUntilWarnedThenHoldOn(Duration holdOn) {
        if (holdOn.isZero()) {
            return;
        }
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS);
        while (warnings.isEmpty() && System.nanoTime() < giveUp) {
            Thread.onSpinWait();
        }
        long end = System.nanoTime() + holdOn.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    // ---- what is not reported ----------------------------------------------------------------------------

    @Test
    void loopThatIdlesIsNotReported() {
        try (Runner runner = Runner.builder().slowCallbackDuration(NO_WARNING_THRESHOLD).build()) {
            runner.run(idleFor(Duration.ofMillis(1)));
            captureWarnings();
            runner.run(idleFor(NO_WARNING_THRESHOLD.multipliedBy(3)));
        }
        assertEquals(List.of(), warnings);
    }

    /** A body after which the loop has idled for {@code time}: its tasks wait, in a JDK call and in ours. */
    private static ThrowingRunnable idleFor(Duration time) {
        return () -> {
            Task<Void> jdkWait = Asyncio.createTask(() -> Thread.sleep(time), "jdk-wait");
            Asyncio.sleep(time); // the loop parks: nothing runs on it
            jdkWait.await();
        };
    }

    @Test
    void loopThatTakesManyShortStepsIsNotReported() {
        try (Runner runner = Runner.builder().slowCallbackDuration(NO_WARNING_THRESHOLD).build()) {
            runner.run(() -> pingPongFor(Duration.ofMillis(5)));
            captureWarnings();
            int steps = runner.run(() -> pingPongFor(NO_WARNING_THRESHOLD.multipliedBy(4)));
            assertTrue(steps > 100, "only " + steps + " steps");
        }
        assertEquals(List.of(), warnings);
    }

    /** Two tasks that take turns on the loop for {@code time}; returns how many steps they took. */
    private static int pingPongFor(Duration time) {
        long end = System.nanoTime() + time.toNanos();
        Task<Integer> a = Asyncio.createTask(() -> yieldUntil(end), "a");
        Task<Integer> b = Asyncio.createTask(() -> yieldUntil(end), "b");
        return a.await() + b.await();
    }

    private static int yieldUntil(long endNanos) {
        int steps = 0;
        while (System.nanoTime() < endNanos) {
            Asyncio.sleep(0);
            steps++;
        }
        return steps;
    }

    // ---- the threshold -----------------------------------------------------------------------------------

    @Test
    void thresholdIsOneSecondByDefaultAnd100MillisecondsInDebugMode() {
        try (Runner runner = Runner.builder().debug(false).build()) {
            EventLoop loop = runner.getLoop();
            assertFalse(loop.getDebug());
            assertEquals(Duration.ofSeconds(1), loop.slowCallbackDuration());
            loop.setDebug(true);
            assertEquals(Duration.ofMillis(100), loop.slowCallbackDuration());
            loop.setDebug(false);
            assertEquals(Duration.ofSeconds(1), loop.slowCallbackDuration());
            loop.setSlowCallbackDuration(THRESHOLD); // an explicit threshold stays when debug mode changes
            loop.setDebug(true);
            assertEquals(THRESHOLD, loop.slowCallbackDuration());
        }
        try (Runner runner = Runner.builder().debug(true).build()) {
            assertTrue(runner.getLoop().getDebug());
            assertEquals(Duration.ofMillis(100), runner.getLoop().slowCallbackDuration());
        }
        assertEquals(Duration.ofMillis(100), Asyncio.run(() -> {
            assertTrue(Asyncio.getRunningLoop().getDebug());
            return Asyncio.getRunningLoop().slowCallbackDuration();
        }, true));
        assertEquals(Duration.ofSeconds(1), Asyncio.run(() -> Asyncio.getRunningLoop().slowCallbackDuration(), false));
    }

    @Test
    void inDebugModeATaskHoldingTheLoopForAFewHundredMillisecondsIsReported() {
        Duration atMost = Duration.ofMillis(600); // far over debug mode's 100 ms, far under the default 1 s
        try (Runner runner = Runner.builder().debug(true).build()) {
            runner.run(() -> Asyncio.sleep(0));
            captureWarnings();
            runner.run(() -> Asyncio.createTask(() -> {
                long end = System.nanoTime() + atMost.toNanos();
                while (warnings.isEmpty() && System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            }, "debug-spinner").await());
        }
        assertEquals(1, warnings.size(), () -> "expected one warning, got " + warnings);
        assertTrue(warnings.getFirst().startsWith("Task 'debug-spinner' has held the event loop"), warnings.getFirst());
    }

    // ---- ASYNCIO4J_DEBUG ---------------------------------------------------------------------------------

    @Test
    void environmentVariableAsyncio4jDebug1TurnsDebugModeOn() throws Exception {
        ForkedJvm.main(DebugFromEnvironment.class).env("ASYNCIO4J_DEBUG", "1").arg("debugIsOn").run()
                .assertExitedNormally();
    }

    @Test
    void withoutTheEnvironmentVariableDebugModeIsOff() throws Exception {
        ForkedJvm.main(DebugFromEnvironment.class).arg("debugIsOff").run().assertExitedNormally();
        ForkedJvm.main(DebugFromEnvironment.class).env("ASYNCIO4J_DEBUG", "0").arg("debugIsOff").run()
                .assertExitedNormally();
    }

    /** The child JVM of the two tests above. */
    public static final class DebugFromEnvironment {
        public static void main(String[] args) {
            ForkedJvm.runScenario(DebugFromEnvironment.class, args);
        }

        static void debugIsOn() {
            try (Runner runner = new Runner()) {
                assertTrue(runner.getLoop().getDebug(), "new Runner()");
                assertEquals(Duration.ofMillis(100), runner.getLoop().slowCallbackDuration());
            }
            assertTrue(Asyncio.run(() -> Asyncio.getRunningLoop().getDebug()), "Asyncio.run(main)");
            try (Runner runner = Runner.builder().build()) {
                assertTrue(runner.getLoop().getDebug(), "Runner.builder().build()");
            }
            try (Runner runner = Runner.builder().debug(false).build()) {
                assertFalse(runner.getLoop().getDebug(), "debug(false) wins over the environment");
            }
            assertFalse(Asyncio.run(() -> Asyncio.getRunningLoop().getDebug(), false), "Asyncio.run(main, false)");
        }

        static void debugIsOff() {
            try (Runner runner = new Runner()) {
                assertFalse(runner.getLoop().getDebug(), "new Runner()");
                assertEquals(Duration.ofSeconds(1), runner.getLoop().slowCallbackDuration());
            }
            assertFalse(Asyncio.run(() -> Asyncio.getRunningLoop().getDebug()), "Asyncio.run(main)");
            assertTrue(Asyncio.run(() -> Asyncio.getRunningLoop().getDebug(), true), "Asyncio.run(main, true)");
        }
    }
}
