package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

import static io.asyncio4j.TestLoops.now;
import static io.asyncio4j.TestLoops.recordExceptions;
import static io.asyncio4j.TestLoops.virtualRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asyncio.Runner and asyncio.run behaviour (CPython Lib/test/test_asyncio/test_runners.py), on virtual time. */
class RunnerTest {

    // ---- run -------------------------------------------------------------------------------------------

    @Test
    void runReturnsWhatTheBodyReturns() {
        // test_asyncio_run_return, test_run
        try (Runner runner = virtualRunner()) {
            assertEquals(42, runner.run(() -> {
                Asyncio.sleep(0);
                return 42;
            }));
        }
    }

    @Test
    void runRaisesTheBodyFailureUnchangedWhenUnchecked() {
        // test_asyncio_run_raises
        IllegalArgumentException spam = new IllegalArgumentException("spam");
        try (Runner runner = virtualRunner()) {
            assertSame(spam, assertThrows(IllegalArgumentException.class, () -> runner.run(() -> {
                Asyncio.sleep(0);
                throw spam;
            })));
        }
    }

    @Test
    void runRaisesACheckedFailureWrappedInCompletionException() {
        IOException io = new IOException("disk");
        try (Runner runner = virtualRunner()) {
            assertSame(io, assertThrows(CompletionException.class, () -> runner.run(() -> {
                throw io;
            })).getCause());
        }
    }

    @Test
    void runRaisesCancelledErrorWhenTheMainTaskIsCancelled() {
        try (Runner runner = virtualRunner()) {
            CancelledError e = assertThrows(CancelledError.class, () -> runner.run(() -> {
                Asyncio.currentTask().cancel("main cancelled");
                Asyncio.sleep(1);
                return "never";
            }));
            assertEquals("main cancelled", e.getMessage());
            assertEquals(0.0, runner.getLoop().time());
        }
    }

    @Test
    void runIsRepeatableOnTheSameLoopAndLeftoverTasksGoOn() {
        try (Runner runner = virtualRunner()) {
            List<String> events = new ArrayList<>();
            AtomicReference<Task<?>> leftover = new AtomicReference<>();
            runner.run(() -> {
                leftover.set(Asyncio.createTask(() -> {
                    Asyncio.sleep(1);
                    events.add("leftover finished at " + now());
                }));
            });
            EventLoop loop = runner.getLoop();
            assertFalse(leftover.get().done());
            runner.run(() -> {
                assertSame(loop, Asyncio.getRunningLoop());
                Asyncio.sleep(2);
                events.add("second run at " + now());
            });
            assertEquals(List.of("leftover finished at 1.0", "second run at 2.0"), events);
        }
    }

    @Test
    void runKeepsTheContextBetweenRuns() {
        // test_run_keeps_context: asyncio.Runner runs every body in one context of its own
        ContextVar<Integer> cvar = new ContextVar<>("cvar", -1);
        try (Runner runner = virtualRunner()) {
            assertEquals(-1, runner.run(() -> swap(cvar, 1)));
            assertEquals(1, runner.run(() -> swap(cvar, 2)));
            assertEquals(2, runner.run(() -> Context.copyContext().get(cvar)));
        }
        assertEquals(-1, cvar.get());
    }

    private static int swap(ContextVar<Integer> cvar, int value) {
        int old = cvar.get();
        Asyncio.sleep(0);
        cvar.set(value);
        return old;
    }

    @Test
    void runSeesTheContextOfTheCallingThread() {
        ContextVar<String> var = new ContextVar<>("request", "none");
        Token<String> token = var.set("from the caller");
        try {
            try (Runner runner = virtualRunner()) {
                assertEquals("from the caller", runner.run(() -> var.get()));
            }
        } finally {
            var.reset(token);
        }
    }

    @Test
    void runInsideARunningLoopIsRefused() {
        // test_recursive_run, test_asyncio_run_from_running_loop
        try (Runner runner = virtualRunner()) {
            runner.run(() -> {
                IllegalStateException recursive = assertThrows(IllegalStateException.class,
                        () -> runner.run(() -> "never"));
                assertTrue(recursive.getMessage().contains("Runner.run() cannot be called from a running event loop"),
                        recursive.getMessage());
                IllegalStateException nested = assertThrows(IllegalStateException.class,
                        () -> Asyncio.run(() -> "never"));
                assertTrue(nested.getMessage().contains("cannot be called from a running event loop"),
                        nested.getMessage());
                try (Runner other = virtualRunner()) {
                    assertThrows(IllegalStateException.class, () -> other.run(() -> "never"));
                }
            });
        }
    }

    @Test
    void runFromAVirtualThreadRunsTheLoopOnAPlatformThread() throws Exception {
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try (Runner runner = virtualRunner()) {
                outcome.set(runner.run(() -> {
                    Asyncio.getRunningLoop().callSoon(() -> loopThread.set(Thread.currentThread()));
                    Asyncio.sleep(1);
                    return "ran at " + now();
                }));
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        caller.join();
        assertEquals("ran at 1.0", outcome.get());
        assertFalse(loopThread.get().isVirtual());
        assertTrue(loopThread.get().getName().startsWith("asyncio4j-loop-"), loopThread.get().getName());
    }

    // ---- close -----------------------------------------------------------------------------------------

    @Test
    void closeCancelsAndAwaitsLeftoverTasks() {
        // test_asyncio_run_cancels_hanging_tasks
        List<String> events = new ArrayList<>();
        AtomicReference<Task<?>> leftover = new AtomicReference<>();
        try (Runner runner = virtualRunner()) {
            assertEquals(123, runner.run(() -> {
                leftover.set(Asyncio.createTask(() -> {
                    try {
                        Asyncio.sleep(0.1);
                    } finally {
                        events.add("leftover cleaned up");
                    }
                }));
                Asyncio.sleep(0);
                return 123;
            }));
            assertFalse(leftover.get().done());
        }
        assertTrue(leftover.get().cancelled());
        assertEquals(List.of("leftover cleaned up"), events);
    }

    @Test
    void closeAlsoCancelsTasksSpawnedWhileShuttingDown() {
        AtomicReference<Task<?>> spawned = new AtomicReference<>();
        AtomicReference<Task<?>> leftover = new AtomicReference<>();
        List<String> events = new ArrayList<>();
        try (Runner runner = virtualRunner()) {
            runner.run(() -> {
                leftover.set(Asyncio.createTask(() -> {
                    try {
                        Asyncio.sleep(10);
                    } finally {
                        spawned.set(Asyncio.createTask(() -> {
                            Asyncio.sleep(10);
                            events.add("spawned task slept 10 s");
                        }, "spawned in finally"));
                    }
                }));
                Asyncio.sleep(0);
            });
        }
        assertTrue(leftover.get().cancelled());
        assertTrue(spawned.get().done());
        assertTrue(spawned.get().cancelled());
        assertEquals(List.of(), events);
    }

    @Test
    void closeReportsAnExceptionNobodyRetrievedExactlyOnceNamingTheTask() {
        List<ExceptionContext> seen;
        AtomicReference<Task<?>> failing = new AtomicReference<>();
        IllegalStateException boom = new IllegalStateException("boom");
        try (Runner runner = virtualRunner()) {
            seen = recordExceptions(runner.getLoop());
            runner.run(() -> {
                failing.set(Asyncio.createTask(() -> {
                    throw boom;
                }, "failing"));
                Asyncio.sleep(0);
            });
            runner.run(() -> Asyncio.sleep(1));
            assertEquals(List.of(), seen); // not at garbage collection, not before close
        }
        assertEquals(1, seen.size());
        ExceptionContext ctx = seen.get(0);
        assertEquals("Task exception was never retrieved", ctx.message());
        assertSame(boom, ctx.exception());
        assertSame(failing.get(), ctx.task());
        assertSame(failing.get(), ctx.future());
        assertEquals("failing", ctx.task().getName());
    }

    @Test
    void inDebugModeTheReportSaysWhereTheTaskWasCreated() {
        List<ExceptionContext> seen;
        try (Runner runner = Runner.builder().virtualTime(true).debug(true).build()) {
            seen = recordExceptions(runner.getLoop());
            runner.run(() -> {
                Asyncio.createTask(() -> {
                    throw new IllegalStateException("boom");
                });
                Asyncio.sleep(0);
            });
        }
        assertEquals(1, seen.size());
        String message = seen.get(0).message();
        assertTrue(message.startsWith("Task exception was never retrieved (task created at "
                + RunnerTest.class.getName() + "."), message);
    }

    @Test
    void defaultHandlerReportNamesTheTask() {
        try (TestLoops.DefaultHandlerCapture capture = new TestLoops.DefaultHandlerCapture()) {
            try (Runner runner = virtualRunner()) {
                runner.run(() -> {
                    Asyncio.createTask(() -> {
                        throw new IllegalStateException("boom");
                    }, "named-failure");
                    Asyncio.sleep(0);
                });
            }
            assertEquals(1, capture.seen().size());
            assertEquals("named-failure", capture.seen().get(0).task().getName());
        }
    }

    @Test
    void closeReportsTheFailureOfATaskCancelledAtShutdown() {
        // test_asyncio_run_reports_hanging_tasks_errors
        List<ExceptionContext> seen;
        AtomicReference<Task<?>> leftover = new AtomicReference<>();
        try (Runner runner = virtualRunner()) {
            seen = recordExceptions(runner.getLoop());
            assertEquals(123, runner.run(() -> {
                leftover.set(Asyncio.createTask(() -> {
                    try {
                        Asyncio.sleep(0.1);
                    } catch (CancelledError e) {
                        throw new ArithmeticException("/ by zero");
                    }
                }));
                Asyncio.sleep(0);
                return 123;
            }));
        }
        assertTrue(leftover.get().done());
        assertEquals(1, seen.size());
        assertTrue(seen.get(0).message().contains("Runner.close() shutdown"), seen.get(0).message());
        assertSame(leftover.get(), seen.get(0).task());
        assertTrue(seen.get(0).exception() instanceof ArithmeticException);
    }

    @Test
    void closeShutsDownTheDefaultExecutor() throws Exception {
        Thread worker;
        try (Runner runner = virtualRunner()) {
            worker = runner.run(() -> Asyncio.toThread(Thread::currentThread));
            assertTrue(worker.isAlive());
        }
        worker.join(Duration.ofSeconds(10));
        assertFalse(worker.isAlive());
    }

    @Test
    void closeLeavesAGivenExecutorRunning() {
        List<String> ran = new ArrayList<>();
        Executor executor = r -> Thread.ofPlatform().start(r);
        try (Runner runner = Runner.builder().virtualTime(true).defaultExecutor(executor).build()) {
            runner.run(() -> ran.add(Asyncio.toThread(() -> "on the given executor")));
        }
        assertEquals(List.of("on the given executor"), ran);
    }

    @Test
    void runAfterCloseIsRefused() {
        // test_second_with_block_raises, test_explicit_close
        Runner runner = virtualRunner();
        EventLoop loop = runner.getLoop();
        runner.run(() -> "first");
        runner.close();
        assertTrue(loop.isClosed());
        IllegalStateException run = assertThrows(IllegalStateException.class, () -> runner.run(() -> "second"));
        assertTrue(run.getMessage().contains("the Runner is closed"), run.getMessage());
        IllegalStateException get = assertThrows(IllegalStateException.class, runner::getLoop);
        assertTrue(get.getMessage().contains("the Runner is closed"), get.getMessage());
    }

    @Test
    void closeTwiceIsANoOp() {
        // test_double_close
        Runner runner = virtualRunner();
        EventLoop loop = runner.getLoop();
        runner.close();
        assertTrue(loop.isClosed());
        runner.close();
        assertTrue(loop.isClosed());
    }

    @Test
    void closeInsideItsOwnLoopIsRefused() {
        try (Runner runner = virtualRunner()) {
            IllegalStateException e = runner.run(() -> assertThrows(IllegalStateException.class, runner::close));
            assertTrue(e.getMessage().contains("cannot be called from inside its own running loop"), e.getMessage());
        }
    }

    // ---- debug mode (test_debug, test_non_debug, test_asyncio_run_debug) --------------------------------

    @Test
    void builderDebugTurnsDebugModeOnWithA100MillisecondWatchdog() {
        try (Runner runner = Runner.builder().virtualTime(true).debug(true).build()) {
            assertTrue(runner.getLoop().getDebug());
            assertEquals(Duration.ofMillis(100), runner.getLoop().slowCallbackDuration());
        }
        try (Runner runner = Runner.builder().virtualTime(true).debug(false).build()) {
            assertFalse(runner.getLoop().getDebug());
            assertEquals(Duration.ofSeconds(1), runner.getLoop().slowCallbackDuration());
        }
    }

    @Test
    void asyncioRunWithDebugTurnsDebugModeOn() {
        assertEquals(true, Asyncio.run(() -> Asyncio.getRunningLoop().getDebug(), true));
        assertEquals(Duration.ofMillis(100), Asyncio.run(() -> Asyncio.getRunningLoop().slowCallbackDuration(), true));
        assertEquals(false, Asyncio.run(() -> Asyncio.getRunningLoop().getDebug(), false));
    }

    @Test
    void explicitSlowCallbackDurationWinsOverDebugMode() {
        try (Runner runner = Runner.builder().debug(true).slowCallbackDuration(Duration.ofMillis(250)).build()) {
            assertEquals(Duration.ofMillis(250), runner.getLoop().slowCallbackDuration());
        }
        assertThrows(IllegalArgumentException.class, () -> Runner.builder().slowCallbackDuration(Duration.ZERO));
    }

    // ---- interrupts and fatal errors -------------------------------------------------------------------

    @Test
    void interruptingTheIdleLoopThreadCancelsTheMainTaskAndTheFutureItAwaits() {
        // test_interrupt_wait (Ctrl-C is an interrupt of the loop's thread here)
        Thread loopThread = Thread.currentThread();
        AtomicReference<Future<String>> awaited = new AtomicReference<>();
        try (Runner runner = virtualRunner()) {
            assertThrows(CancelledError.class, () -> runner.run(() -> {
                Future<String> f = new Future<>();
                awaited.set(f);
                Thread.ofPlatform().start(() -> {
                    // the loop idles: nothing else can wake it (it waits with a timeout first: see StuckLoop)
                    while (loopThread.getState() != Thread.State.WAITING
                            && loopThread.getState() != Thread.State.TIMED_WAITING) {
                        Thread.onSpinWait();
                    }
                    loopThread.interrupt();
                });
                return f.await();
            }));
            assertTrue(awaited.get().cancelled());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void virtualMachineErrorInATaskStopsTheLoopAndPropagatesOutOfRun() {
        // test_baseexception_during_cancel (SystemExit / KeyboardInterrupt stop the loop in asyncio)
        StackOverflowError fatal = new StackOverflowError("deep");
        AtomicReference<Task<?>> culprit = new AtomicReference<>();
        List<String> events = new ArrayList<>();
        try (Runner runner = virtualRunner()) {
            assertSame(fatal, assertThrows(StackOverflowError.class, () -> runner.run(() -> {
                culprit.set(Asyncio.createTask(() -> {
                    Asyncio.sleep(1);
                    throw fatal;
                }));
                Asyncio.sleep(10);
                events.add("main went on");
            })));
            assertEquals(1.0, runner.getLoop().time());
            assertTrue(culprit.get().done());
            assertFalse(culprit.get().cancelled());
            assertSame(fatal, culprit.get().exception());
        }
        assertEquals(List.of(), events);
    }

    @Test
    void outOfMemoryErrorInATaskPropagatesOutOfRun() {
        OutOfMemoryError fatal = new OutOfMemoryError("simulated");
        try (Runner runner = virtualRunner()) {
            assertSame(fatal, assertThrows(OutOfMemoryError.class, () -> runner.run(() -> {
                Asyncio.createTask(() -> {
                    throw fatal;
                });
                Asyncio.sleep(10);
            })));
        }
    }

    @Test
    void asyncioRunUsesAFreshLoopEachTime() {
        EventLoop first = Asyncio.run(Asyncio::getRunningLoop);
        EventLoop second = Asyncio.run(Asyncio::getRunningLoop);
        assertTrue(first != second);
        assertTrue(first.isClosed());
        assertTrue(second.isClosed());
    }
}
