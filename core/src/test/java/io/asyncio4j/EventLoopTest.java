package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.asyncio4j.TestLoops.awaitCancelled;
import static io.asyncio4j.TestLoops.now;
import static io.asyncio4j.TestLoops.recordExceptions;
import static io.asyncio4j.TestLoops.runVirtual;
import static io.asyncio4j.TestLoops.virtualRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event loop: callbacks, timers, the virtual clock, threads and the exception handler (CPython
 * Lib/test/test_asyncio/test_base_events.py, test_events.py and test_threads.py), on virtual time.
 */
class EventLoopTest {

    // ---- callSoon --------------------------------------------------------------------------------------

    @Test
    void callSoonRunsCallbacksInFifoOrder() {
        runVirtual(() -> {
            List<Integer> events = new ArrayList<>();
            EventLoop loop = Asyncio.getRunningLoop();
            for (int i = 0; i < 5; i++) {
                int n = i;
                loop.callSoon(() -> events.add(n));
            }
            Asyncio.sleep(0);
            assertEquals(List.of(0, 1, 2, 3, 4), events);
        });
    }

    @Test
    void callbackScheduledByACallbackRunsInTheNextIteration() {
        // asyncio's _run_once runs only what was ready when the iteration began
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            EventLoop loop = Asyncio.getRunningLoop();
            loop.callSoon(() -> {
                events.add("first");
                loop.callSoon(() -> events.add("scheduled by first"));
            });
            loop.callSoon(() -> events.add("second"));
            Asyncio.sleep(0);
            events.add("task resumed");
            Asyncio.sleep(0);
            assertEquals(List.of("first", "second", "task resumed", "scheduled by first"), events);
        });
    }

    @Test
    void callbacksAndTaskStepsShareOneFifoQueue() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            EventLoop loop = Asyncio.getRunningLoop();
            loop.callSoon(() -> events.add("callback 1"));
            Task<Boolean> t = Asyncio.createTask(() -> events.add("task"));
            loop.callSoon(() -> events.add("callback 2"));
            t.await();
            assertEquals(List.of("callback 1", "task", "callback 2"), events);
        });
    }

    @Test
    void cancelledHandleDoesNotRun() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            EventLoop loop = Asyncio.getRunningLoop();
            Handle h = loop.callSoon(() -> events.add("cancelled one"));
            loop.callSoon(() -> events.add("kept one"));
            assertFalse(h.cancelled());
            h.cancel();
            h.cancel();
            assertTrue(h.cancelled());
            Asyncio.sleep(0);
            assertEquals(List.of("kept one"), events);
        });
    }

    @Test
    void failingCallbackReachesTheExceptionHandlerAndTheLoopGoesOn() {
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<ExceptionContext> seen = recordExceptions(loop);
            List<String> events = new ArrayList<>();
            IllegalStateException boom = new IllegalStateException("boom");
            loop.callSoon(() -> {
                throw boom;
            });
            loop.callSoon(() -> events.add("next callback"));
            Asyncio.sleep(0);
            assertEquals(List.of("next callback"), events);
            assertEquals(1, seen.size());
            assertSame(boom, seen.get(0).exception());
            assertTrue(seen.get(0).message().startsWith("Exception in callback"), seen.get(0).message());
            assertNull(seen.get(0).future());
            assertNull(seen.get(0).task());
        });
    }

    // ---- timers ----------------------------------------------------------------------------------------

    @Test
    void callLaterRunsCallbacksByDueTimeThenInFifoOrder() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            EventLoop loop = Asyncio.getRunningLoop();
            loop.callLater(2.0, () -> events.add("2a@" + loop.time()));
            loop.callLater(1.0, () -> events.add("1@" + loop.time()));
            loop.callLater(Duration.ofSeconds(2), () -> events.add("2b@" + loop.time()));
            loop.callLater(3.0, () -> events.add("3@" + loop.time()));
            loop.callLater(2.0, () -> events.add("2c@" + loop.time()));
            Asyncio.sleep(5);
            assertEquals(List.of("1@1.0", "2a@2.0", "2b@2.0", "2c@2.0", "3@3.0"), events);
        });
    }

    @Test
    void callLaterWithNegativeDelaysRunsInDueTimeOrder() {
        // test_call_later_negative_delays
        runVirtual(() -> {
            List<Integer> calls = new ArrayList<>();
            EventLoop loop = Asyncio.getRunningLoop();
            loop.callLater(-1, () -> calls.add(1));
            loop.callLater(-2, () -> calls.add(2));
            Asyncio.sleep(0);
            // due timers join the ready queue behind the entries already there (this task's step): asyncio order
            assertEquals(List.of(), calls);
            Asyncio.sleep(0);
            assertEquals(List.of(2, 1), calls);
        });
    }

    @Test
    void callAtRunsWhenTheClockReachesTheGivenTime() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            EventLoop loop = Asyncio.getRunningLoop();
            Asyncio.sleep(1.5);
            loop.callAt(4.25, () -> events.add("at " + loop.time()));
            loop.callAt(2.0, () -> events.add("at " + loop.time()));
            Asyncio.sleep(10);
            assertEquals(List.of("at 2.0", "at 4.25"), events);
        });
    }

    @Test
    void timerHandleWhenIsTheDueTimeOnTheLoopClock() {
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Asyncio.sleep(1);
            assertEquals(3.5, loop.callLater(2.5, () -> { }).when());
            assertEquals(1.25, loop.callLater(Duration.ofMillis(250), () -> { }).when());
            assertEquals(7.0, loop.callAt(7.0, () -> { }).when());
        });
    }

    @Test
    void cancelledTimerDoesNotRunAndDoesNotHoldTheClock() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            EventLoop loop = Asyncio.getRunningLoop();
            TimerHandle h = loop.callLater(1.0, () -> events.add("cancelled timer"));
            loop.callLater(2.0, () -> events.add("kept timer"));
            h.cancel();
            assertTrue(h.cancelled());
            Asyncio.sleep(3);
            assertEquals(List.of("kept timer"), events);
            assertEquals(3.0, now());
        });
    }

    @Test
    void manyCancelledTimersAreDroppedAndTheOthersStillFire() {
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            AtomicInteger fired = new AtomicInteger();
            List<TimerHandle> handles = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                handles.add(loop.callLater(1 + i, fired::incrementAndGet));
            }
            for (int i = 0; i < 300; i++) {
                if (i % 3 != 0) {
                    handles.get(i).cancel();
                }
            }
            Asyncio.sleep(400);
            assertEquals(100, fired.get());
        });
    }

    @Test
    void callLaterNaNDelayIsRefused() {
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            assertThrows(IllegalArgumentException.class, () -> loop.callLater(Double.NaN, () -> { }));
            assertThrows(IllegalArgumentException.class, () -> loop.callAt(Double.NaN, () -> { }));
        });
    }

    // ---- virtual time ----------------------------------------------------------------------------------

    @Test
    void virtualClockStartsAtZero() {
        runVirtual(() -> {
            assertTrue(Asyncio.getRunningLoop().isVirtualTime());
            assertEquals(0.0, now());
        });
    }

    @Test
    void anHourOfSleepsTakesExactly3600VirtualSeconds() {
        runVirtual(() -> {
            for (int i = 0; i < 3600; i++) {
                Asyncio.sleep(1.0);
            }
            assertEquals(3600.0, now());
        });
    }

    @Test
    void clockDoesNotJumpWhileATaskIsParkedInAJdkCall() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            EventLoop loop = Asyncio.getRunningLoop();
            BlockingQueue<String> queue = new LinkedBlockingQueue<>();
            loop.callLater(10.0, () -> events.add("timer due at 10"));
            Task<Void> taker = Asyncio.createTask(() -> {
                events.add("took " + queue.take());
            });
            Asyncio.sleep(0);
            // A plain thread, not toThread: only the taker's JDK wait may keep the clock from jumping.
            Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(30);
                    queue.put("item");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            taker.await();
            assertTrue(now() < 10.0, "the clock jumped to " + now() + " while a task waited in take()");
            Asyncio.sleep(20);
            assertEquals(List.of("took item", "timer due at 10"), events);
        });
    }

    @Test
    void clockDoesNotJumpWhileToThreadWorkIsInFlight() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Asyncio.getRunningLoop().callLater(10.0, () -> events.add("timer due at 10"));
            events.add(Asyncio.toThread(() -> {
                Thread.sleep(30);
                return "worker done";
            }));
            assertTrue(now() < 10.0, "the clock jumped to " + now());
            Asyncio.sleep(20);
            assertEquals(List.of("worker done", "timer due at 10"), events);
        });
    }

    @Test
    void realTimeLoopClockIsMonotonic() {
        try (Runner runner = new Runner()) {
            runner.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                assertFalse(loop.isVirtualTime());
                double before = loop.time();
                Asyncio.sleep(0.01);
                assertTrue(loop.time() >= before + 0.01, loop.time() + " < " + before + " + 0.01");
            });
        }
    }

    // ---- threads ---------------------------------------------------------------------------------------

    @Test
    void callSoonThreadsafeFromAForeignThreadWakesTheLoop() {
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<String> f = new Future<>();
            Thread.ofPlatform().start(() -> loop.callSoonThreadsafe(() -> f.setResult("woken")));
            assertEquals("woken", f.await());
        });
    }

    @Test
    void callSoonThreadsafeOnTheLoopThreadRunsInFifoOrderWithCallSoon() {
        runVirtual(() -> {
            List<Integer> events = new ArrayList<>();
            EventLoop loop = Asyncio.getRunningLoop();
            loop.callSoon(() -> events.add(1));
            loop.callSoonThreadsafe(() -> events.add(2));
            loop.callSoon(() -> events.add(3));
            Asyncio.sleep(0);
            assertEquals(List.of(1, 2, 3), events);
        });
    }

    @Test
    void callSoonFromAForeignThreadWhileTheLoopRunsIsRefused() {
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            IllegalStateException soon = Asyncio.toThread(
                    () -> assertThrows(IllegalStateException.class, () -> loop.callSoon(() -> { })));
            assertTrue(soon.getMessage().contains("EventLoop.callSoon() must be called on the event loop's thread"),
                    soon.getMessage());
            assertTrue(soon.getMessage().contains("callSoonThreadsafe"), soon.getMessage());
            IllegalStateException later = Asyncio.toThread(
                    () -> assertThrows(IllegalStateException.class, () -> loop.callLater(1, () -> { })));
            assertTrue(later.getMessage().contains("callSoonThreadsafe"), later.getMessage());
        });
    }

    @Test
    void loopIsRunningWhileItRunsAndClosedAfterItsRunnerCloses() {
        EventLoop loop;
        try (Runner runner = virtualRunner()) {
            loop = runner.getLoop();
            assertFalse(loop.isRunning());
            assertTrue(runner.run(loop::isRunning));
            assertFalse(loop.isRunning());
            assertFalse(loop.isClosed());
        }
        assertTrue(loop.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.callSoon(() -> { }));
        assertTrue(e.getMessage().contains("the event loop is closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> loop.callSoonThreadsafe(() -> { }));
        assertThrows(IllegalStateException.class, loop::createFuture);
    }

    @Test
    void callbacksScheduledWhileTheLoopIsNotRunningRunFirstInTheNextRun() {
        try (Runner runner = virtualRunner()) {
            List<String> events = new ArrayList<>();
            EventLoop loop = runner.getLoop();
            loop.callSoon(() -> events.add("callSoon before the first run"));
            runner.run(() -> events.add("first body"));
            Thread foreign = Thread.ofPlatform().start(
                    () -> loop.callSoonThreadsafe(() -> events.add("callSoonThreadsafe between runs")));
            foreign.join();
            runner.run(() -> events.add("second body"));
            assertEquals(List.of("callSoon before the first run", "first body", "callSoonThreadsafe between runs",
                    "second body"), events);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    // ---- the exception handler -------------------------------------------------------------------------

    @Test
    void exceptionHandlerReceivesTheLoopAndTheContext() {
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<EventLoop> loops = new ArrayList<>();
            List<ExceptionContext> seen = new ArrayList<>();
            ExceptionHandler handler = (l, ctx) -> {
                loops.add(l);
                seen.add(ctx);
            };
            loop.setExceptionHandler(handler);
            assertSame(handler, loop.getExceptionHandler());
            ExceptionContext ctx = ExceptionContext.of("something odd", new IllegalStateException("x"));
            loop.callExceptionHandler(ctx);
            assertEquals(List.of(loop), loops);
            assertEquals(List.of(ctx), seen);
        });
    }

    @Test
    void withoutAHandlerTheDefaultOneReceivesTheFailure() {
        try (TestLoops.DefaultHandlerCapture capture = new TestLoops.DefaultHandlerCapture()) {
            runVirtual(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                assertNull(loop.getExceptionHandler());
                loop.callSoon(() -> {
                    throw new IllegalStateException("boom");
                });
                Asyncio.sleep(0);
            });
            assertEquals(1, capture.seen().size());
            assertEquals("boom", capture.seen().get(0).exception().getMessage());
        }
    }

    @Test
    void settingTheHandlerToNullRestoresTheDefault() {
        try (TestLoops.DefaultHandlerCapture capture = new TestLoops.DefaultHandlerCapture()) {
            runVirtual(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                List<ExceptionContext> custom = recordExceptions(loop);
                loop.setExceptionHandler(null);
                assertNull(loop.getExceptionHandler());
                loop.callExceptionHandler(ExceptionContext.of("to the default", null));
                assertEquals(List.of(), custom);
            });
            assertEquals(List.of("to the default"), capture.seen().stream().map(ExceptionContext::message).toList());
        }
    }

    @Test
    void handlerThatThrowsFallsBackToTheDefaultHandlerWithBothErrors() {
        // test_set_exc_handler_broken
        try (TestLoops.DefaultHandlerCapture capture = new TestLoops.DefaultHandlerCapture()) {
            IllegalStateException handlerBug = new IllegalStateException("handler bug");
            runVirtual(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                loop.setExceptionHandler((l, ctx) -> {
                    throw handlerBug;
                });
                loop.callExceptionHandler(ExceptionContext.of("original", new IllegalArgumentException("x")));
            });
            List<ExceptionContext> seen = capture.seen();
            assertEquals(List.of("Unhandled error in exception handler", "original"),
                    seen.stream().map(ExceptionContext::message).toList());
            assertSame(handlerBug, seen.get(0).exception());
        }
    }

    // ---- runInExecutor / toThread (test_threads.py) ------------------------------------------------------

    @Test
    void toThreadRunsOnAPlatformWorkerThreadNotOnTheLoop() {
        // test_to_thread
        runVirtual(() -> {
            Thread loopThread = loopThread();
            Thread worker = Asyncio.toThread(Thread::currentThread);
            assertFalse(worker.isVirtual());
            assertNotEquals(loopThread, worker);
            assertNotEquals(Thread.currentThread(), worker);
            assertTrue(worker.getName().startsWith("asyncio4j-worker-"), worker.getName());
        });
    }

    /** The loop's own thread, as seen by a callback. */
    private static Thread loopThread() throws Exception {
        Future<Thread> f = new Future<>();
        Asyncio.getRunningLoop().callSoon(() -> f.setResult(Thread.currentThread()));
        return f.await();
    }

    @Test
    void runInExecutorRunsOnTheGivenExecutor() {
        runVirtual(() -> {
            List<String> via = new ArrayList<>();
            Executor executor = r -> {
                via.add("given executor");
                Thread.ofPlatform().start(r);
            };
            assertEquals("ran", Asyncio.runInExecutor(executor, () -> "ran"));
            assertEquals(List.of("given executor"), via);
            Future<String> f = Asyncio.getRunningLoop().runInExecutor(executor, () -> "as a future");
            assertEquals("as a future", f.await());
        });
    }

    @Test
    void toThreadFailureSurfacesLikeAwait() {
        runVirtual(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            assertSame(boom, assertThrows(IllegalStateException.class, () -> Asyncio.toThread(() -> {
                throw boom;
            })));
            IOException io = new IOException("disk");
            assertSame(io, assertThrows(CompletionException.class, () -> Asyncio.toThread(() -> {
                throw io;
            })).getCause());
        });
    }

    @Test
    void toThreadRunsInACopyOfTheCallersContext() {
        // test_to_thread_contextvars
        runVirtual(() -> {
            ContextVar<String> var = new ContextVar<>("var", "default");
            var.set("parrot");
            assertEquals("parrot seen", Asyncio.toThread(() -> {
                String seen = var.get() + " seen";
                var.set("set by the worker");
                return seen;
            }));
            assertEquals("parrot", var.get());
        });
    }

    @Test
    void cancellingTheAwaitingTaskDoesNotInterruptTheWorkerAndDropsItsResult() {
        runVirtual(() -> {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<String> workerEnd = new CompletableFuture<>();
            Task<String> t = Asyncio.createTask(() -> Asyncio.toThread(() -> {
                started.countDown();
                release.await();
                workerEnd.complete(Thread.currentThread().isInterrupted() ? "interrupted" : "ran to its end");
                return "dropped result";
            }));
            Asyncio.toThread(() -> started.await());
            t.cancel();
            awaitCancelled(t);
            release.countDown();
            assertEquals("ran to its end", Future.wrap(workerEnd).await());
            Asyncio.sleep(0);
            assertTrue(t.cancelled());
        });
    }

    @Test
    void toThreadWhoseAwaiterWasCancelledBeforeAWorkerPickedItUpIsSkipped() {
        List<Runnable> queued = new ArrayList<>();
        try (Runner runner = Runner.builder().virtualTime(true).defaultExecutor(queued::add).build()) {
            runner.run(() -> {
                AtomicBoolean ran = new AtomicBoolean();
                Task<Boolean> t = Asyncio.createTask(() -> Asyncio.toThread(() -> ran.getAndSet(true)));
                Asyncio.sleep(0);
                assertEquals(1, queued.size());
                t.cancel();
                awaitCancelled(t);
                Runnable work = queued.get(0);
                Thread worker = Thread.ofPlatform().start(work);
                worker.join();
                assertFalse(ran.get());
            });
        }
    }

    @Test
    void futureCreatedByTheLoopBelongsToIt() {
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            assertSame(loop, loop.createFuture().getLoop());
        });
    }

    @Test
    void slowCallbackDurationMustBePositive() {
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            assertThrows(IllegalArgumentException.class, () -> loop.setSlowCallbackDuration(Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> loop.setSlowCallbackDuration(Duration.ofMillis(-1)));
            loop.setSlowCallbackDuration(Duration.ofMillis(250));
            assertEquals(Duration.ofMillis(250), loop.slowCallbackDuration());
            loop.setDebug(true); // an explicit duration wins over the debug default
            assertEquals(Duration.ofMillis(250), loop.slowCallbackDuration());
            loop.setDebug(false);
        });
    }
}
