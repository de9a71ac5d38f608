package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

import static io.asyncio4j.TestLoops.now;
import static io.asyncio4j.TestLoops.recordExceptions;
import static io.asyncio4j.TestLoops.reportsAfter;
import static io.asyncio4j.TestLoops.runVirtual;
import static io.asyncio4j.TestLoops.virtualRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code gather} and {@code gatherSettled} as asyncio 3.14 (CPython Lib/test/test_asyncio/test_tasks.py:
 * GatherTestsBase, FutureGatherTests, CoroutineGatherTests, test_cancel_gather_*), on virtual time.
 */
class GatherTest {

    // ---- results (test_success, test_result_exception_success, test_return_exceptions) -----------------

    @Test
    void resultsComeInInputOrderNotInCompletionOrder() {
        // test_success
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Future<Integer> a = new Future<>();
            Future<Integer> b = new Future<>();
            Future<Integer> c = new Future<>();
            EventLoop loop = Asyncio.getRunningLoop();
            loop.callLater(1, () -> b.setResult(1));
            loop.callLater(2, () -> a.setResult(2));
            loop.callLater(3, () -> c.setResult(3));
            Asyncio.createTask(() -> {
                Asyncio.sleep(2.5);
                events.add("a and b done, gather still waiting: " + a.done() + b.done());
            });
            List<Integer> results = Asyncio.gather(List.of(a, b, c));
            events.add("gathered " + results + " at " + now());
            assertEquals(List.of("a and b done, gather still waiting: truetrue", "gathered [2, 1, 3] at 3.0"),
                    events);
        });
    }

    @Test
    void settledGatherOfSuccessesReturnsSuccesses() {
        // test_result_exception_success
        runVirtual(() -> {
            List<Outcome<String>> out = Asyncio.gatherSettled(() -> {
                Asyncio.sleep(2);
                return "a";
            }, () -> {
                Asyncio.sleep(1);
                return "b";
            });
            assertEquals(List.of(new Outcome.Success<>("a"), new Outcome.Success<>("b")), out);
        });
    }

    @Test
    void settledGatherCollectsFailuresInInputOrder() {
        // test_return_exceptions
        runVirtual(() -> {
            ArithmeticException zde = new ArithmeticException("zero");
            IllegalStateException rte = new IllegalStateException("rte");
            Future<Integer> a = new Future<>();
            Future<Integer> b = new Future<>();
            Future<Integer> c = new Future<>();
            Future<Integer> d = new Future<>();
            EventLoop loop = Asyncio.getRunningLoop();
            loop.callLater(1, () -> {
                b.setResult(1);
                c.setException(zde);
                a.setResult(3);
            });
            loop.callLater(2, () -> d.setException(rte));
            List<Outcome<Integer>> out = Asyncio.gatherSettled(List.of(a, b, c, d));
            assertEquals(2.0, now());
            assertEquals(List.of(new Outcome.Success<>(3), new Outcome.Success<>(1), new Outcome.Failure<>(zde),
                    new Outcome.Failure<>(rte)), out);
        });
    }

    @Test
    void callableFormCreatesOneTaskPerCallableInOrder() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            List<String> results = Asyncio.gather(() -> {
                events.add("first starts");
                Asyncio.sleep(2);
                return "first";
            }, () -> {
                events.add("second starts");
                Asyncio.sleep(1);
                events.add("second ends");
                return "second";
            });
            assertEquals(List.of("first", "second"), results);
            assertEquals(List.of("first starts", "second starts", "second ends"), events);
            assertEquals(2.0, now());
        });
    }

    @Test
    void mapFormRunsTheFunctionOnEachItemConcurrently() {
        runVirtual(() -> {
            List<Integer> squares = Asyncio.gather(List.of(3, 1, 2), n -> {
                Asyncio.sleep(n);
                return n * n;
            });
            assertEquals(List.of(9, 1, 4), squares);
            assertEquals(3.0, now());
        });
    }

    @Test
    void gatherOfNothingReturnsAnEmptyListWithoutLettingOtherTasksRun() {
        // test_constructor_empty_sequence_use_running_loop
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Asyncio.createTask(() -> events.add("other task ran"));
            List<Object> none = Asyncio.gather(List.<Future<Object>>of());
            events.add("gathered " + none);
            assertEquals(List.of(), Asyncio.gatherSettled());
            assertEquals(List.of("gathered []"), events);
        });
    }

    @Test
    void gatherOfDoneFuturesReturnsWithoutLettingOtherTasksRun() {
        // asyncio 3.12+: children already done are collected before gather is awaited
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Future<String> a = new Future<>();
            a.setResult("a");
            Future<String> b = new Future<>();
            b.setResult("b");
            Asyncio.createTask(() -> events.add("other task ran"));
            events.add("gathered " + Asyncio.gather(List.of(a, b)));
            Asyncio.sleep(0);
            assertEquals(List.of("gathered [a, b]", "other task ran"), events);
        });
    }

    @Test
    void duplicateFutureIsGatheredOnceAndAppearsOncePerOccurrence() {
        // test_duplicate_coroutines
        runVirtual(() -> {
            Task<String> c = Asyncio.createTask(() -> "abc");
            Task<String> d = Asyncio.createTask(() -> "def");
            assertEquals(List.of("abc", "abc", "def", "abc"), Asyncio.gather(List.of(c, c, d, c)));
        });
    }

    // ---- failures (test_one_exception, test_exception_marking) -----------------------------------------

    @Test
    void firstFailureReachesTheCallerAtOnceWhileTheOthersKeepRunning() {
        // test_one_exception
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            IllegalStateException boom = new IllegalStateException("boom");
            Task<String> slow = Asyncio.createTask(() -> {
                Asyncio.sleep(5);
                events.add("slow finished");
                return "slow";
            });
            Task<String> failing = Asyncio.createTask(() -> {
                Asyncio.sleep(1);
                throw boom;
            });
            IllegalStateException seen = assertThrows(IllegalStateException.class,
                    () -> Asyncio.gather(List.of(slow, failing)));
            assertSame(boom, seen);
            events.add("caller got the failure at " + now());
            assertFalse(slow.done());
            assertEquals("slow", slow.await());
            assertEquals(List.of("caller got the failure at 1.0", "slow finished"), events);
        });
    }

    @Test
    void laterFailuresAreMarkedRetrievedSoNothingIsReported() {
        // test_exception_marking, test_one_exception ("Does nothing")
        List<ExceptionContext> seen = reportsAfter(() -> {
            Task<Void> first = Asyncio.createTask(() -> {
                Asyncio.sleep(1);
                throw new IllegalStateException("first");
            });
            Task<Void> second = Asyncio.createTask(() -> {
                Asyncio.sleep(2);
                throw new IllegalStateException("should not be ignored, but retrieved");
            });
            Future<Void> never = new Future<>();
            Future<Void> cancelled = new Future<>();
            assertThrows(IllegalStateException.class, () -> Asyncio.gather(List.of(first, second, never, cancelled)));
            cancelled.cancel();
            never.setException(new IllegalStateException("after"));
            Asyncio.sleep(3);
            assertTrue(second.done());
        });
        assertEquals(List.of(), seen);
    }

    @Test
    void checkedFailureIsWrappedInCompletionException() {
        runVirtual(() -> {
            IOException io = new IOException("disk");
            CompletionException e = assertThrows(CompletionException.class, () -> Asyncio.gather(() -> {
                throw io;
            }));
            assertSame(io, e.getCause());
        });
    }

    @Test
    void settledGatherReportsACheckedFailureUnwrapped() {
        runVirtual(() -> {
            IOException io = new IOException("disk");
            List<Outcome<Object>> out = Asyncio.gatherSettled(() -> {
                throw io;
            });
            assertEquals(List.of(new Outcome.Failure<>(io)), out);
            CompletionException e = assertThrows(CompletionException.class, () -> out.get(0).getOrThrow());
            assertSame(io, e.getCause());
        });
    }

    // ---- a child cancelled by other means (test_one_cancellation, test_result_exception_one_cancellation) -

    @Test
    void childCancelledByOtherMeansMakesGatherRaiseCancelledErrorWithoutCancellingTheOthers() {
        // test_one_cancellation
        runVirtual(() -> {
            Future<Integer> a = new Future<>();
            Future<Integer> b = new Future<>();
            Future<Integer> c = new Future<>();
            Asyncio.getRunningLoop().callLater(1, () -> {
                a.setResult(1);
                b.cancel("b went away");
            });
            Task<List<Integer>> gathering = Asyncio.createTask(() -> Asyncio.gather(List.of(a, b, c)));
            CancelledError e = assertThrows(CancelledError.class, gathering::await);
            assertEquals("b went away", e.getMessage());
            assertTrue(gathering.cancelled()); // the CancelledError escaped its body
            assertFalse(c.done());
            c.setResult(3); // does nothing
        });
    }

    @Test
    void settledGatherReportsCancelledChildrenAsFailuresWithTheirMessage() {
        // test_result_exception_one_cancellation
        runVirtual(() -> {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                fs.add(new Future<>());
            }
            ArithmeticException zde = new ArithmeticException();
            IllegalStateException rte = new IllegalStateException();
            EventLoop loop = Asyncio.getRunningLoop();
            loop.callLater(1, () -> {
                fs.get(0).setResult(1);
                fs.get(1).setException(zde);
                fs.get(2).cancel();
            });
            loop.callLater(2, () -> {
                fs.get(3).setResult(3);
                fs.get(4).cancel("four");
                fs.get(5).setException(rte);
            });
            List<Outcome<Integer>> out = Asyncio.gatherSettled(fs);
            assertEquals(new Outcome.Success<>(1), out.get(0));
            assertEquals(new Outcome.Failure<>(zde), out.get(1));
            CancelledError two = assertInstanceOf(CancelledError.class, ((Outcome.Failure<?>) out.get(2)).exception());
            assertNull(two.getMessage());
            assertEquals(new Outcome.Success<>(3), out.get(3));
            CancelledError four = assertInstanceOf(CancelledError.class, ((Outcome.Failure<?>) out.get(4)).exception());
            assertEquals("four", four.getMessage());
            assertEquals(new Outcome.Failure<>(rte), out.get(5));
        });
    }

    // ---- cancelling the caller (test_cancellation_broadcast, test_cancel_gather_1/2) --------------------

    @Test
    void cancellingTheCallerCancelsEveryChildAndRaisesCancelledError() {
        // test_cancellation_broadcast
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Future<Void> waiter = new Future<>();
            ThrowingRunnable inner = () -> {
                waiter.await();
                events.add("child got past the waiter");
            };
            Task<Void> child1 = Asyncio.createTask(inner);
            Task<Void> child2 = Asyncio.createTask(inner);
            Task<Void> outer = Asyncio.createTask(() -> {
                Asyncio.gather(List.of(child1, child2));
                events.add("outer got past gather");
            });
            Asyncio.sleep(0);
            assertTrue(outer.cancel());
            assertThrows(CancelledError.class, outer::await);
            assertTrue(outer.cancelled());
            assertTrue(waiter.cancelled());
            assertTrue(child1.cancelled());
            assertTrue(child2.cancelled());
            Asyncio.sleep(0);
            assertEquals(List.of(), events);
        });
    }

    @Test
    void cancelMessageOfTheCallerReachesItThroughASettledGather() {
        // test_cancel_gather_2: return_exceptions=True does not swallow the cancel of the caller
        runVirtual(() -> {
            Task<Void> looping = Asyncio.createTask(() -> {
                while (true) {
                    Asyncio.gatherSettled(() -> {
                        Asyncio.sleep(0.05);
                        return null;
                    });
                }
            });
            Asyncio.sleep(0.2);
            looping.cancel("my message");
            CancelledError e = assertThrows(CancelledError.class, looping::await);
            assertEquals("my message", e.getMessage());
            assertTrue(looping.cancelled());
        });
    }

    @Test
    void childThatSwallowsTheCancelStillMakesTheCallerRaiseCancelledError() {
        // asyncio issue 32684: once gather was cancelled, the caller gets CancelledError whatever the mode
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<String> stubborn = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    events.add("child swallowed the cancel");
                }
                return "done anyway";
            });
            Task<List<Outcome<String>>> caller = Asyncio.createTask(() -> Asyncio.gatherSettled(List.of(stubborn)));
            Asyncio.sleep(1);
            caller.cancel();
            CancelledError e = assertThrows(CancelledError.class, caller::await);
            // made from the last child, which was not cancelled: no message (not its result, as a future keeps
            // its result and its cancel's message in one field)
            assertNull(e.getMessage());
            assertEquals("done anyway", stubborn.result());
            assertEquals(List.of("child swallowed the cancel"), events);
        });
    }

    @Test
    void gatherRefusesACancelOnceAllChildrenAreDone() {
        // test_cancel_gather_1 (Python issue 26923: gather drops cancellation)
        runVirtual(() -> {
            Future<Integer> fut = new Future<>();
            Task<Integer> child = Asyncio.createTask(fut::await);
            Asyncio.sleep(0);
            GatheringFuture<List<Object>> gathering = Gather.start(Asyncio.getRunningLoop(), null, List.of(child), false);
            List<Boolean> cancelResult = new ArrayList<>();
            // runs after the child finished and before gather's own callback collected it
            fut.addDoneCallback(f -> cancelResult.add(gathering.cancel()));
            fut.setResult(42);
            assertEquals(List.of(42), gathering.await());
            assertEquals(List.of(false), cancelResult);
            assertFalse(gathering.cancelled());
        });
    }

    @Test
    void cancelOfTheCallerRefusedByAGatherWhoseChildrenAreDoneWaitsForTheGatherToComplete() {
        // asyncio: Task.cancel() finds _fut_waiter.cancel() refused, sets _must_cancel and keeps waiting; the
        // CancelledError comes when the gather completes
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Future<Integer> fut = new Future<>();
            Task<Integer> child = Asyncio.createTask(fut::await);
            Asyncio.sleep(0);
            GatheringFuture<List<Object>> gathering = Gather.start(Asyncio.getRunningLoop(), null, List.of(child), false);
            Task<Void> caller = Asyncio.createTask(() -> {
                try {
                    gathering.await();
                } catch (CancelledError e) {
                    events.add("caller cancelled; gather done: " + gathering.done());
                    throw e;
                }
            });
            Asyncio.sleep(0);
            fut.addDoneCallback(f -> events.add("cancel returned " + caller.cancel()));
            fut.setResult(42);
            assertThrows(CancelledError.class, caller::await);
            assertEquals(List.of("cancel returned true", "caller cancelled; gather done: true"), events);
            assertEquals(List.of(42), gathering.result());
        });
    }

    @Test
    void cancelledGatherAfterItFailedCancelsNothing() {
        // the docstring: cancelling gather after it propagated a failure does not cancel the other children
        runVirtual(() -> {
            Future<Integer> a = new Future<>();
            Future<Integer> b = new Future<>();
            GatheringFuture<List<Object>> gathering = Gather.start(Asyncio.getRunningLoop(), null, List.of(a, b), false);
            a.setException(new IllegalStateException("a"));
            Asyncio.sleep(0);
            assertTrue(gathering.done());
            assertFalse(gathering.cancel());
            assertFalse(b.cancelled());
            assertInstanceOf(IllegalStateException.class, gathering.exception());
        });
    }

    // ---- errors and the call graph ---------------------------------------------------------------------

    @Test
    void futureOfAnotherLoopIsRejected() {
        // test_constructor_heterogenous_futures
        try (Runner other = virtualRunner()) {
            Future<Integer> foreign = new Future<>(other.getLoop());
            runVirtual(() -> {
                Future<Integer> mine = new Future<>();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Asyncio.gather(List.of(mine, foreign)));
                assertTrue(e.getMessage().startsWith("Asyncio.gather(): "), e.getMessage());
                assertTrue(e.getMessage().contains("different event loop"), e.getMessage());
            });
        }
    }

    @Test
    void gatherOutsideATaskIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.gather(() -> 1));
        assertTrue(e.getMessage().startsWith("Asyncio.gather() must be called inside a task"), e.getMessage());
    }

    @Test
    void childrenRecordTheCallerAsTheirAwaiterWhileGathered() {
        runVirtual(() -> {
            Task<?> me = Asyncio.currentTask();
            Future<Void> release = new Future<>();
            Task<Void> a = Asyncio.createTask(release::await);
            Task<Void> b = Asyncio.createTask(() -> Asyncio.sleep(1));
            List<String> seen = new ArrayList<>();
            Asyncio.createTask(() -> {
                Asyncio.sleep(0.5);
                seen.add("a awaited by caller: " + a.awaitedBy().equals(List.of(me)));
                seen.add("b awaited by caller: " + b.awaitedBy().equals(List.of(me)));
                Asyncio.sleep(1);
                seen.add("b after it finished: " + b.awaitedBy());
                release.setResult(null);
            });
            Asyncio.gather(List.of(a, b));
            assertEquals(List.of("a awaited by caller: true", "b awaited by caller: true", "b after it finished: []"),
                    seen);
            assertEquals(List.of(), a.awaitedBy());
        });
    }
}
