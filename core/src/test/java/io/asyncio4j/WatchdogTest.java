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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocked-loop watchdog: one warning on the {@code io.asyncio4j} logger, naming the culprit and showing
 * its stack, when one task step or callback holds the loop past the loop's slow-callback duration; none
 * for a loop that idles or takes many short steps (those two tests tick the watchdog's check with a clock of
 * their own, so a busy machine cannot make them fail). The only test class allowed real busy time: the spins
 * last tens to a few hundred milliseconds, and end as soon as the warning they wait for has come.
 */
class WatchdogTest {
    private static final Duration THRESHOLD = Duration.ofMillis(50);
    // computed here rather than inside a task: a JVM's first Duration.multipliedBy initialises BigDecimal,
    // which on a busy machine may itself hold the loop past the threshold, and the report would show that
    // stack instead of the spinning task's
    private static final Duration HOLD = THRESHOLD.multipliedBy(3);
    // the loops of the tests that expect no warning: the watchdog thread never reports them, the test ticks
    private static final Duration NEVER = Duration.ofDays(1);
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int TICKS = 50;
    private static final long GIVE_UP_SECONDS = 60; // a wait for a warning or a step that never comes

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
            runner.run(() -> Asyncio.createTask(() -> spinUntilWarnedThenHoldOn(HOLD), "busy-spinner").await());
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
            runner.run(() -> callbackThatSpins(HOLD).await());
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
    //
    // The watchdog judges by the wall clock, and a busy machine can stall a loop thread between two short
    // steps for longer than any threshold. So these tests give the loop a threshold no stall reaches and tick
    // the watchdog's check themselves, with a clock that says minutes pass between ticks: the loop's real
    // state (idle, or a new entry since the last tick) is what decides, never how fast the machine is.

    @Test
    void loopThatIdlesIsNotReported() throws Exception {
        captureWarnings();
        try (Runner runner = Runner.builder().slowCallbackDuration(NEVER).build()) {
            EventLoop loop = runner.getLoop();
            CompletableFuture<Void> blocked = new CompletableFuture<>();
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Watchdog.Sample> ticked = tickWhileIdle(loop, blocked, release);
            runner.run(() -> {
                Task<Void> jdkWait = Asyncio.createTask(() -> {
                    blocked.complete(null);
                    release.await(); // a JDK wait: the task parks, the loop goes on
                }, "jdk-wait");
                // our wait, with a timer pending: the loop parks until the timer or an outside wake-up
                Asyncio.waitFor(jdkWait, Duration.ofHours(1));
            });
            assertEquals(-1, ticked.get().reportedSeq, "an idle loop was reported");
        }
        assertEquals(List.of(), warnings);
    }

    /**
     * On a new platform thread: once {@code blocked} is done and the blocking task's step has ended (the loop
     * then idles: nothing else is ready), ticks the watchdog's check {@link #TICKS} times a minute apart on
     * its clock; then releases the task. The sample the ticks left.
     */
    private static CompletableFuture<Watchdog.Sample> tickWhileIdle(EventLoop loop, CompletableFuture<Void> blocked,
                                                                    CountDownLatch release) {
        CompletableFuture<Watchdog.Sample> out = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                blocked.get();
                awaitUntil(() -> loop.runningEntryAcquire() == null, "the blocking task's step never ended");
                Watchdog.Sample s = new Watchdog.Sample();
                long t0 = System.nanoTime();
                for (int i = 0; i < TICKS; i++) {
                    Watchdog.check(loop, s, THRESHOLD.toNanos(), t0 + i * MINUTE_NANOS);
                }
                assertNull(loop.runningEntryAcquire(), "the loop ran an entry while it had nothing to run");
                out.complete(s);
            } catch (Throwable e) {
                out.completeExceptionally(e);
            } finally {
                release.countDown();
            }
        });
        return out;
    }

    @Test
    void loopThatTakesManyShortStepsIsNotReported() throws Exception {
        captureWarnings();
        try (Runner runner = Runner.builder().slowCallbackDuration(NEVER).build()) {
            EventLoop loop = runner.getLoop();
            CompletableFuture<Void> started = new CompletableFuture<>();
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Watchdog.Sample> ticked = tickBetweenSteps(loop, started, stop);
            int steps = runner.run(() -> {
                Task<Integer> a = Asyncio.createTask(() -> yieldUntil(started, stop), "a");
                Task<Integer> b = Asyncio.createTask(() -> yieldUntil(started, stop), "b");
                return a.await() + b.await();
            });
            Watchdog.Sample s = ticked.get();
            assertEquals(-1, s.reportedSeq, "a loop of short steps was reported");
            assertTrue(steps >= TICKS, "only " + steps + " steps");
        }
        assertEquals(List.of(), warnings);
    }

    /**
     * On a new platform thread: once the tasks have started, ticks the watchdog's check {@link #TICKS} times a
     * minute apart on its clock, each time after the loop has begun a new entry (the same two tasks, step after
     * step); then sets {@code stop}. The sample the ticks left.
     */
    private static CompletableFuture<Watchdog.Sample> tickBetweenSteps(EventLoop loop, CompletableFuture<Void> started,
                                                                       AtomicBoolean stop) {
        CompletableFuture<Watchdog.Sample> out = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                started.get();
                Watchdog.Sample s = new Watchdog.Sample();
                long t0 = System.nanoTime();
                for (int i = 0; i < TICKS; i++) {
                    long seen = s.seq; // -1: the last tick found the loop between entries
                    awaitUntil(() -> seen == -1 || loop.entrySeqAcquire() != seen, "the loop stopped taking steps");
                    Watchdog.check(loop, s, THRESHOLD.toNanos(), t0 + i * MINUTE_NANOS);
                }
                out.complete(s);
            } catch (Throwable e) {
                out.completeExceptionally(e);
            } finally {
                stop.set(true);
            }
        });
        return out;
    }

    /** Yields until {@code stop} is set; returns how many steps it took. */
    private static int yieldUntil(CompletableFuture<Void> started, AtomicBoolean stop) {
        started.complete(null);
        int steps = 0;
        while (!stop.get()) {
            Asyncio.sleep(0);
            steps++;
        }
        return steps;
    }

    /** Polls {@code condition} every 0.1 ms; fails after {@link #GIVE_UP_SECONDS} (a broken loop, not a slow one). */
    private static void awaitUntil(BooleanSupplier condition, String failure) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < giveUp, failure);
            LockSupport.parkNanos(100_000);
        }
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
