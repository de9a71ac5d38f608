package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static io.asyncio4j.TestLoops.awaitCancelled;
import static io.asyncio4j.TestLoops.recordExceptions;
import static io.asyncio4j.TestLoops.runVirtual;
import static io.asyncio4j.TestLoops.virtualRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asyncio.Future behaviour (CPython Lib/test/test_asyncio/test_futures.py), on virtual time. */
class FutureTest {

    // ---- states (test_initial_state, test_result, test_exception, test_cancel) --------------------------

    @Test
    void newFutureIsPendingAndNotCancelled() {
        runVirtual(() -> {
            Future<Integer> f = new Future<>();
            assertFalse(f.done());
            assertFalse(f.cancelled());
            assertTrue(f.toString().contains("pending"), f.toString());
        });
    }

    @Test
    void resultAndExceptionOfAPendingFutureRaiseInvalidStateError() {
        runVirtual(() -> {
            Future<Integer> f = new Future<>();
            InvalidStateError e = assertThrows(InvalidStateError.class, f::result);
            assertTrue(e.getMessage().contains("Result is not ready"), e.getMessage());
            assertThrows(InvalidStateError.class, f::exception);
        });
    }

    @Test
    void resultIsSetOnceAndThenRefusesEveryOtherCompletion() {
        runVirtual(() -> {
            Future<Integer> f = new Future<>();
            f.setResult(42);
            assertTrue(f.done());
            assertFalse(f.cancelled());
            assertEquals(42, f.result());
            assertNull(f.exception());
            InvalidStateError twice = assertThrows(InvalidStateError.class, () -> f.setResult(43));
            assertTrue(twice.getMessage().contains("already done"), twice.getMessage());
            assertThrows(InvalidStateError.class, () -> f.setException(new RuntimeException()));
            assertFalse(f.cancel());
            assertEquals(42, f.result());
        });
    }

    @Test
    void exceptionIsSetOnceAndSurfacesUnchangedWhenUnchecked() {
        runVirtual(() -> {
            Future<Integer> f = new Future<>();
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            f.setException(boom);
            assertTrue(f.done());
            assertFalse(f.cancelled());
            assertSame(boom, assertThrows(IllegalArgumentException.class, f::result));
            assertSame(boom, assertThrows(IllegalArgumentException.class, f::await));
            assertSame(boom, f.exception());
            assertThrows(InvalidStateError.class, () -> f.setResult(1));
            assertThrows(InvalidStateError.class, () -> f.setException(new RuntimeException()));
            assertFalse(f.cancel());
        });
    }

    @Test
    void checkedExceptionSurfacesAsCompletionExceptionButExceptionReturnsTheOriginal() {
        runVirtual(() -> {
            Future<String> f = new Future<>();
            IOException io = new IOException("disk");
            f.setException(io);
            assertSame(io, assertThrows(CompletionException.class, f::result).getCause());
            assertSame(io, assertThrows(CompletionException.class, f::await).getCause());
            assertSame(io, f.exception());
        });
    }

    @Test
    void cancelledFutureRaisesCancelledErrorAndRefusesResults() {
        runVirtual(() -> {
            Future<Integer> f = new Future<>();
            assertTrue(f.cancel());
            assertTrue(f.cancelled());
            assertTrue(f.done());
            assertThrows(CancelledError.class, f::result);
            assertThrows(CancelledError.class, f::exception);
            assertThrows(InvalidStateError.class, () -> f.setResult(null));
            assertThrows(InvalidStateError.class, () -> f.setException(new RuntimeException()));
            assertFalse(f.cancel());
            assertTrue(f.toString().contains("cancelled"), f.toString());
        });
    }

    @Test
    void cancelMessageReachesTheCancelledErrorOfResultExceptionAndAwait() {
        runVirtual(() -> {
            Future<Integer> f = new Future<>();
            f.cancel("my message");
            assertEquals("my message", assertThrows(CancelledError.class, f::result).getMessage());
            assertEquals("my message", assertThrows(CancelledError.class, f::exception).getMessage());
            assertEquals("my message", awaitCancelled(f).getMessage());
        });
    }

    @Test
    void toStringShowsTheStateAndTheOutcome() {
        runVirtual(() -> {
            Future<Integer> result = new Future<>();
            result.setResult(4);
            assertEquals("Future[finished result=4]", result.toString());
            Future<Integer> failed = new Future<>();
            failed.setException(new IllegalStateException("x"));
            assertTrue(failed.toString().startsWith("Future[finished exception="), failed.toString());
            failed.exception();
        });
    }

    // ---- loop binding (test_constructor_*, test_other_loop_future) --------------------------------------

    @Test
    void newFutureInsideALoopBindsToTheRunningLoop() {
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            assertSame(loop, new Future<>().getLoop());
            assertSame(loop, loop.createFuture().getLoop());
        });
    }

    @Test
    void newFutureOutsideALoopIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Future::new);
        assertTrue(e.getMessage().contains("needs a running event loop"), e.getMessage());
    }

    @Test
    void awaitingAFutureOfAnotherLoopInATaskIsRefused() {
        try (Runner other = virtualRunner()) {
            Future<String> foreign = other.getLoop().createFuture();
            runVirtual(() -> {
                IllegalStateException e = assertThrows(IllegalStateException.class, foreign::await);
                assertTrue(e.getMessage().contains("belongs to another event loop"), e.getMessage());
            });
        }
    }

    // ---- done callbacks (BaseFutureDoneCallbackTests) ----------------------------------------------------

    @Test
    void doneCallbacksRunThroughCallSoonInRegistrationOrder() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            EventLoop loop = Asyncio.getRunningLoop();
            Future<String> f = new Future<>();
            f.addDoneCallback(x -> events.add("first saw " + x.result()));
            f.addDoneCallback(x -> events.add("second"));
            loop.callSoon(() -> events.add("scheduled before setResult"));
            f.setResult("r");
            events.add("setResult returned");
            loop.callSoon(() -> events.add("scheduled after setResult"));
            Asyncio.sleep(0);
            assertEquals(List.of("setResult returned", "scheduled before setResult", "first saw r", "second",
                    "scheduled after setResult"), events);
        });
    }

    @Test
    void doneCallbacksAreInvokedOnSetException() {
        runVirtual(() -> {
            List<Object> bag = new ArrayList<>();
            Future<String> f = new Future<>();
            f.addDoneCallback(x -> bag.add(100));
            RuntimeException exc = new RuntimeException();
            f.setException(exc);
            assertEquals(List.of(), bag);
            Asyncio.sleep(0);
            assertEquals(List.of(100), bag);
            assertSame(exc, f.exception());
        });
    }

    @Test
    void doneCallbacksAreInvokedOnCancel() {
        runVirtual(() -> {
            List<Boolean> seen = new ArrayList<>();
            Future<String> f = new Future<>();
            f.addDoneCallback(x -> seen.add(x.cancelled()));
            f.cancel();
            Asyncio.sleep(0);
            assertEquals(List.of(true), seen);
        });
    }

    @Test
    void doneCallbackRunsInTheContextCurrentWhenItWasAdded() {
        runVirtual(() -> {
            ContextVar<String> var = new ContextVar<>("var", "unset");
            List<String> seen = new ArrayList<>();
            Future<String> f = new Future<>();
            var.set("when added");
            f.addDoneCallback(x -> seen.add(var.get()));
            var.set("when completed");
            f.setResult("r");
            Asyncio.sleep(0);
            assertEquals(List.of("when added"), seen);
        });
    }

    @Test
    void callbackAddedToADoneFutureIsScheduledNotRunAtOnce() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Future<String> f = new Future<>();
            f.setResult("x");
            f.addDoneCallback(x -> events.add("callback"));
            events.add("addDoneCallback returned");
            Asyncio.sleep(0);
            assertEquals(List.of("addDoneCallback returned", "callback"), events);
        });
    }

    @Test
    void removingTheFirstCallbackKeepsTheOthersInOrder() {
        assertEquals(List.of(17, 100), callbacksLeftAfterRemoving(0));
    }

    @Test
    void removingTheFirstAndSecondCallbackKeepsTheThird() {
        assertEquals(List.of(100), callbacksLeftAfterRemoving(0, 1));
    }

    @Test
    void removingTheThirdCallbackKeepsTheFirstTwo() {
        assertEquals(List.of(42, 17), callbacksLeftAfterRemoving(2));
    }

    /** Adds callbacks that add 42, 17 and 100 to a bag, removes the given ones (twice each), completes. */
    private static List<Integer> callbacksLeftAfterRemoving(int... indexes) {
        return runVirtual(() -> {
            List<Integer> bag = new ArrayList<>();
            List<Consumer<Future<String>>> callbacks = List.of(f -> bag.add(42), f -> bag.add(17), f -> bag.add(100));
            Future<String> f = new Future<>();
            callbacks.forEach(f::addDoneCallback);
            for (int i : indexes) {
                f.removeDoneCallback(callbacks.get(i));
                f.removeDoneCallback(callbacks.get(i));
            }
            f.setResult("foo");
            Asyncio.sleep(0);
            assertEquals("foo", f.result());
            return bag;
        });
    }

    @Test
    void removeDoneCallbackRemovesEveryRegistrationAndCountsThem() {
        runVirtual(() -> {
            List<Integer> bag = new ArrayList<>();
            Consumer<Future<String>> cb1 = f -> bag.add(1);
            Consumer<Future<String>> cb2 = f -> bag.add(2);
            Consumer<Future<String>> cb3 = f -> bag.add(3);
            Future<String> f = new Future<>();
            f.addDoneCallback(cb1);
            f.addDoneCallback(cb2);
            assertEquals(1, f.removeDoneCallback(cb2));
            assertEquals(0, f.removeDoneCallback(cb3));
            f.addDoneCallback(cb2);
            for (int i = 0; i < 5; i++) {
                f.addDoneCallback(cb1);
            }
            assertEquals(6, f.removeDoneCallback(cb1));
            f.setResult("foo");
            Asyncio.sleep(0);
            assertEquals(List.of(2), bag);
        });
    }

    @Test
    void exceptionThrownByADoneCallbackReachesTheLoopExceptionHandler() {
        runVirtual(() -> {
            List<ExceptionContext> seen = recordExceptions(Asyncio.getRunningLoop());
            List<String> events = new ArrayList<>();
            Future<String> f = new Future<>();
            IllegalStateException failure = new IllegalStateException("callback failed");
            f.addDoneCallback(x -> {
                throw failure;
            });
            f.addDoneCallback(x -> events.add("next callback still runs"));
            f.setResult("r");
            Asyncio.sleep(0);
            assertEquals(1, seen.size());
            ExceptionContext ctx = seen.get(0);
            assertSame(failure, ctx.exception());
            assertSame(f, ctx.future());
            assertNull(ctx.task());
            assertTrue(ctx.message().startsWith("Exception in callback"), ctx.message());
            assertEquals(List.of("next callback still runs"), events);
        });
    }

    // ---- await ---------------------------------------------------------------------------------------------

    @Test
    void awaitParksTheTaskUntilTheFutureIsSet() {
        runVirtual(() -> {
            Future<String> f = new Future<>();
            Asyncio.getRunningLoop().callLater(2.0, () -> f.setResult("later"));
            assertEquals("later", f.await());
            assertEquals(2.0, TestLoops.now());
        });
    }

    @Test
    void awaitOnAFinishedFutureReturnsWithoutSwitchingTasks() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Future<String> f = new Future<>();
            f.setResult("done");
            Asyncio.createTask(() -> events.add("other task ran"));
            events.add("await returned " + f.await());
            Asyncio.sleep(0);
            assertEquals(List.of("await returned done", "other task ran"), events);
        });
    }

    @Test
    void awaitOnAPlainThreadBlocksUntilTheLoopSetsTheFuture() {
        runVirtual(() -> {
            Future<String> f = new Future<>();
            AtomicReference<String> got = new AtomicReference<>();
            Thread waiter = Thread.ofPlatform().start(() -> got.set(f.await()));
            Asyncio.toThread(() -> {
                while (waiter.getState() != Thread.State.WAITING) {
                    Thread.sleep(1);
                }
            });
            assertNull(got.get());
            f.setResult("set by the loop");
            waiter.join(); // parks this task; the loop runs the callback that releases the waiter
            assertEquals("set by the loop", got.get());
        });
    }

    @Test
    void awaitOnAPlainThreadOfAPendingFutureWhoseLoopIsClosedIsRefused() {
        Future<String> f;
        try (Runner runner = virtualRunner()) {
            f = runner.getLoop().createFuture();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, f::await);
        assertTrue(e.getMessage().contains("its event loop is closed"), e.getMessage());
    }

    @Test
    void awaitInACallbackOnTheLoopThreadIsRefused() {
        runVirtual(() -> {
            Future<String> f = new Future<>();
            AtomicReference<IllegalStateException> refused = new AtomicReference<>();
            Asyncio.getRunningLoop().callSoon(() -> refused.set(assertThrows(IllegalStateException.class, f::await)));
            Asyncio.sleep(0);
            assertTrue(refused.get().getMessage().contains("cannot block the event loop's thread"),
                    refused.get().getMessage());
        });
    }

    @Test
    void setResultFromAForeignThreadIsRefusedNamingCallSoonThreadsafe() {
        runVirtual(() -> {
            Future<String> f = new Future<>();
            IllegalStateException e = Asyncio.toThread(
                    () -> assertThrows(IllegalStateException.class, () -> f.setResult("x")));
            assertTrue(e.getMessage().contains("Future.setResult()"), e.getMessage());
            assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
            assertFalse(f.done());
        });
    }

    // ---- unretrieved exceptions (test_tb_logger_*, test_future_exception_never_retrieved) ----------------

    @Test
    void exceptionNobodyRetrievedIsReportedWhenTheRunnerCloses() {
        List<ExceptionContext> seen;
        IllegalStateException boom = new IllegalStateException("boom");
        AtomicReference<Future<String>> future = new AtomicReference<>();
        try (Runner runner = virtualRunner()) {
            seen = recordExceptions(runner.getLoop());
            runner.run(() -> {
                Future<String> f = new Future<>();
                f.setException(boom);
                future.set(f);
            });
            assertEquals(List.of(), seen);
        }
        assertEquals(1, seen.size());
        assertEquals("Future exception was never retrieved", seen.get(0).message());
        assertSame(boom, seen.get(0).exception());
        assertSame(future.get(), seen.get(0).future());
        assertNull(seen.get(0).task());
    }

    @Test
    void exceptionRetrievedByResultExceptionOrAwaitIsNotReported() {
        List<ExceptionContext> seen;
        try (Runner runner = virtualRunner()) {
            seen = recordExceptions(runner.getLoop());
            runner.run(() -> {
                Future<String> a = new Future<>();
                a.setException(new IllegalStateException("a"));
                assertThrows(IllegalStateException.class, a::result);
                Future<String> b = new Future<>();
                b.setException(new IllegalStateException("b"));
                b.exception();
                Future<String> c = new Future<>();
                c.setException(new IllegalStateException("c"));
                assertThrows(IllegalStateException.class, c::await);
                Future<String> ok = new Future<>();
                ok.setResult("never read");
            });
        }
        assertEquals(List.of(), seen);
    }

    @Test
    void cancelOnAFailedFutureSilencesItsReport() {
        // asyncio: Future.cancel() clears __log_traceback before it looks at the state (test_tb_logger_not_called_after_cancel)
        List<ExceptionContext> seen;
        try (Runner runner = virtualRunner()) {
            seen = recordExceptions(runner.getLoop());
            runner.run(() -> {
                Future<String> f = new Future<>();
                f.setException(new IllegalStateException("boom"));
                assertFalse(f.cancel());
            });
        }
        assertEquals(List.of(), seen);
    }

    // ---- CompletableFuture interop (toCompletableFuture, wrap = asyncio.wrap_future) --------------------

    @Test
    void toCompletableFutureCompletesWithTheResult() {
        runVirtual(() -> {
            Future<String> f = new Future<>();
            CompletableFuture<String> cf = f.toCompletableFuture();
            assertFalse(cf.isDone());
            f.setResult("v");
            Asyncio.sleep(0);
            assertEquals("v", cf.getNow(null));
        });
    }

    @Test
    void toCompletableFutureFailsWithTheOriginalException() {
        runVirtual(() -> {
            Future<String> f = new Future<>();
            CompletableFuture<String> cf = f.toCompletableFuture();
            IOException io = new IOException("disk");
            f.setException(io);
            Asyncio.sleep(0);
            assertSame(io, assertThrows(ExecutionException.class, cf::get).getCause());
        });
    }

    @Test
    void toCompletableFutureOfACancelledFutureIsCancelled() {
        runVirtual(() -> {
            Future<String> f = new Future<>();
            CompletableFuture<String> cf = f.toCompletableFuture();
            f.cancel();
            Asyncio.sleep(0);
            assertTrue(cf.isCancelled());
        });
    }

    @Test
    void cancellingTheCompletableFutureCancelsTheFuture() {
        runVirtual(() -> {
            Future<String> f = new Future<>();
            f.toCompletableFuture().cancel(true);
            Asyncio.sleep(0);
            assertTrue(f.cancelled());
        });
    }

    @Test
    void cancellingTheCompletableFutureOfATaskCancelsTheTask() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> t = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    events.add("task cancelled");
                    throw e;
                }
            });
            Asyncio.sleep(0);
            t.toCompletableFuture().cancel(false);
            awaitCancelled(t);
            assertEquals(List.of("task cancelled"), events);
            assertEquals(0.0, TestLoops.now());
        });
    }

    @Test
    void toCompletableFutureWorksFromAForeignThread() {
        runVirtual(() -> {
            Future<String> f = new Future<>();
            CompletableFuture<String> cf = Asyncio.toThread(f::toCompletableFuture);
            f.setResult("v");
            Asyncio.sleep(0);
            assertEquals("v", cf.getNow(null));
            Future<String> done = new Future<>();
            done.setResult("already");
            assertEquals("already", Asyncio.toThread(() -> done.toCompletableFuture().getNow(null)));
        });
    }

    @Test
    void wrapAwaitsACompletableFutureCompletedByAnotherThread() {
        runVirtual(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            Future<String> w = Future.wrap(cf);
            assertSame(Asyncio.getRunningLoop(), w.getLoop());
            Thread.ofPlatform().start(() -> cf.complete("from a thread"));
            assertEquals("from a thread", w.await());
        });
    }

    @Test
    void wrapUnwrapsTheCompletionExceptionOfAFailedStage() {
        runVirtual(() -> {
            CompletableFuture<String> cf = CompletableFuture.supplyAsync(() -> {
                throw new IllegalStateException("failed in the pool");
            });
            Future<String> w = Future.wrap(cf);
            IllegalStateException e = assertThrows(IllegalStateException.class, w::await);
            assertEquals("failed in the pool", e.getMessage());
            assertSame(e, w.exception());
        });
    }

    @Test
    void cancellingAWrappedFutureCancelsTheCompletableFuture() {
        runVirtual(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            Future<String> w = Future.wrap(cf);
            assertTrue(w.cancel());
            Asyncio.sleep(0);
            assertTrue(cf.isCancelled());
            assertTrue(w.cancelled());
        });
    }

    @Test
    void cancellingTheCompletableFutureCancelsTheWrappedFuture() {
        runVirtual(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            Future<String> w = Future.wrap(cf);
            cf.cancel(false);
            awaitCancelled(w);
            assertTrue(w.cancelled());
        });
    }

    @Test
    void cancellingAWrappedFutureAfterTheStageCompletedKeepsTheStageResult() {
        // test_wrap_future_cancel2
        runVirtual(() -> {
            CompletableFuture<Integer> cf = new CompletableFuture<>();
            Future<Integer> w = Future.wrap(cf);
            cf.complete(42);
            assertTrue(w.cancel());
            Asyncio.sleep(0);
            assertFalse(cf.isCancelled());
            assertEquals(42, cf.getNow(null));
            assertTrue(w.cancelled());
        });
    }

    @Test
    void wrapOutsideALoopIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Future.wrap(new CompletableFuture<String>()));
        assertTrue(e.getMessage().contains("Future.wrap()"), e.getMessage());
    }
}
