package io.asyncio4j;

import io.asyncio4j.graph.CallGraph;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import static io.asyncio4j.TestLoops.now;
import static io.asyncio4j.TestLoops.reportsAfter;
import static io.asyncio4j.TestLoops.runVirtual;
import static io.asyncio4j.TestLoops.virtualRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AsyncGenerator} as asyncio's async generators (CPython Lib/test/test_asyncgen.py: iteration,
 * exceptions, aclose, shutdown_asyncgens, async comprehensions), on virtual time.
 */
class AsyncGeneratorTest {

    /** Yields 0..n-1, sleeping 0.01 s before each value. */
    private static AsyncGenerator<Integer> arange(int n) {
        return Asyncio.generator(out -> {
            for (int i = 0; i < n; i++) {
                Asyncio.sleep(0.01);
                out.yield(i);
            }
        });
    }

    // ---- iteration (test_async_gen_iteration_*, test_async_gen_asyncio_01, anext_04) ------------------

    @Test
    void valuesArriveInOrderAndTheGeneratorEndsWhenTheBodyReturns() {
        runVirtual(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                out.yield(1);
                Asyncio.sleep(0.01);
                out.yield(2);
                Asyncio.sleep(0.01);
            });
            List<Integer> got = new ArrayList<>();
            for (int v : gen) {
                got.add(v);
            }
            assertEquals(List.of(1, 2), got);
            assertEquals(0.02, now());
            assertFalse(gen.hasNext());
            assertThrows(NoSuchElementException.class, gen::next);
        });
    }

    @Test
    void bodyRunsOnlyWhileTheConsumerAsks() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<String> gen = Asyncio.generator(out -> {
                events.add("body starts");
                out.yield("a");
                events.add("body resumed");
                out.yield("b");
                events.add("body ends");
            });
            Asyncio.sleep(1);
            events.add("first request");
            assertEquals("a", gen.next());
            Asyncio.sleep(1);
            events.add("second request");
            assertTrue(gen.hasNext());
            assertTrue(gen.hasNext()); // the value is waiting: the body is not resumed again
            Asyncio.sleep(1);
            assertEquals("b", gen.next());
            events.add("third request");
            assertFalse(gen.hasNext());
            assertEquals(List.of("first request", "body starts", "second request", "body resumed", "third request",
                    "body ends"), events);
        });
    }

    @Test
    void aSecondLoopContinuesWhereTheFirstStopped() {
        runVirtual(() -> {
            AsyncGenerator<Integer> gen = arange(5);
            List<Integer> first = new ArrayList<>();
            for (int v : gen) {
                first.add(v);
                if (v == 1) {
                    break;
                }
            }
            List<Integer> second = new ArrayList<>();
            for (int v : gen) {
                second.add(v);
            }
            assertEquals(List.of(0, 1), first);
            assertEquals(List.of(2, 3, 4), second);
            assertSame(gen.iterator(), gen.iterator());
        });
    }

    @Test
    void nullIsAValueLikeAnyOther() {
        List<String> got = runVirtual(() -> Asyncio.<String>generator(out -> {
            out.yield(null);
            out.yield("x");
        }).toList());
        assertEquals(java.util.Arrays.asList(null, "x"), got);
    }

    // ---- async comprehensions and streams (test_async_gen_expression_01/02, aiter) ---------------------

    @Test
    void toListIsTheAsyncComprehension() {
        runVirtual(() -> {
            assertEquals(List.of(0, 1, 2, 3), arange(4).toList());
            assertEquals(0.04, now());
        });
    }

    @Test
    void streamMapsAndFiltersLikeAGeneratorExpression() {
        runVirtual(() -> {
            try (Stream<Integer> s = arange(10).stream()) {
                assertEquals(List.of(0, 4, 8, 12, 16), s.filter(i -> i % 2 == 0).map(i -> i * 2).toList());
            }
        });
    }

    @Test
    void closingAShortCircuitedStreamStopsTheBodyAtItsYield() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    for (int i = 0; ; i++) {
                        events.add("yield " + i);
                        out.yield(i);
                    }
                } finally {
                    events.add("finally");
                }
            });
            try (Stream<Integer> s = gen.stream()) {
                assertEquals(List.of(0, 1, 2), s.limit(3).toList());
                events.add("limit done");
            }
            assertEquals(List.of("yield 0", "yield 1", "yield 2", "limit done", "finally"), events);
            assertFalse(gen.hasNext());
        });
    }

    // ---- exceptions (test_async_gen_exception_03/04/07, asyncio_02, asend_02/03) ------------------------

    @Test
    void anUncheckedExceptionReachesTheConsumerUnchangedAndEndsTheGenerator() {
        runVirtual(() -> {
            ArithmeticException boom = new ArithmeticException("/ by zero");
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                out.yield(123);
                throw boom;
            });
            assertEquals(123, gen.next());
            assertSame(boom, assertThrows(ArithmeticException.class, gen::hasNext));
            assertFalse(gen.hasNext());
            assertThrows(NoSuchElementException.class, gen::next);
        });
    }

    @Test
    void aCheckedExceptionArrivesWrappedAsFutureAwaitDoesIt() {
        runVirtual(() -> {
            IOException io = new IOException("disk");
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                throw io;
            });
            CompletionException e = assertThrows(CompletionException.class, gen::toList);
            assertSame(io, e.getCause());
        });
    }

    @Test
    void valuesYieldedInAFinallyAfterAFailureStillReachTheConsumerFirst() {
        runVirtual(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    out.yield(1);
                    throw new ArithmeticException("/ by zero");
                } finally {
                    out.yield(2);
                    out.yield(3);
                }
            });
            List<Object> got = new ArrayList<>();
            try {
                for (int v : gen) {
                    got.add(v);
                }
            } catch (ArithmeticException e) {
                got.add("ArithmeticException");
            }
            assertEquals(List.of(1, 2, 3, "ArithmeticException"), got);
        });
    }

    @Test
    void aFailureRunsTheBodysWaitingFinallyBeforeItReachesTheConsumer() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    out.yield(1);
                    Asyncio.sleep(0.01);
                    throw new ArithmeticException("crash");
                } finally {
                    Asyncio.sleep(0.01);
                    Asyncio.sleep(0.01);
                    events.add("finally at " + now());
                }
            });
            assertEquals(1, gen.next());
            assertThrows(ArithmeticException.class, gen::next);
            events.add("consumer saw it at " + now());
            assertEquals(List.of("finally at 0.03", "consumer saw it at 0.03"), events);
        });
    }

    @Test
    void aCancellationInsideTheBodyReachesTheConsumerAsCancelledError() {
        runVirtual(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                out.yield(1);
                Future<Void> fut = new Future<>();
                Asyncio.getRunningLoop().callLater(0.005, fut::cancel);
                fut.await();
                out.yield(2);
            });
            assertEquals(1, gen.next());
            assertThrows(CancelledError.class, gen::next);
            assertFalse(gen.hasNext());
        });
    }

    // ---- close (test_async_gen_asyncio_aclose_06..12, aclose twice / after exhaustion) -----------------

    @Test
    void closeBeforeTheFirstRequestMeansTheBodyNeverRuns() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> events.add("body ran"));
            gen.close();
            assertFalse(gen.hasNext());
            Asyncio.sleep(1);
            assertEquals(List.of(), events);
            assertEquals(1, Asyncio.allTasks().size());
        });
    }

    @Test
    void closeOfAGeneratorNeverUsedWorksOutsideALoop() {
        AsyncGenerator<Integer> gen = Asyncio.generator(out -> out.yield(1));
        gen.close();
        gen.close();
        assertEquals("AsyncGenerator[done]", gen.toString());
    }

    @Test
    void closeAtASuspendedYieldRunsTheBodysFinallyAndItsWaitsBeforeReturning() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    out.yield(1);
                    events.add("after yield");
                } finally {
                    Asyncio.sleep(0.01);
                    Asyncio.sleep(0.01);
                    events.add("finally");
                }
                events.add("after finally");
            });
            assertEquals(1, gen.next());
            gen.close();
            events.add("closed at " + now());
            assertEquals(List.of("finally", "closed at 0.02"), events);
            assertFalse(gen.hasNext());
            assertEquals(1, Asyncio.allTasks().size()); // the body's task has ended
        });
    }

    @Test
    void theBodySeesTheCloseAsACancelledErrorAtItsYield() {
        runVirtual(() -> {
            List<Object> seen = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    out.yield(1);
                } catch (CancelledError e) {
                    seen.add(e.getMessage());
                    throw e;
                }
            });
            gen.next();
            gen.close();
            assertEquals(List.of("AsyncGenerator.close()"), seen);
        });
    }

    @Test
    void closeWaitsForATaskTheFinallyAwaits() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                Task<Void> target = Asyncio.createTask(() -> {
                    Asyncio.sleep(0.01);
                    throw new ArithmeticException("target failed");
                });
                try {
                    out.yield(1);
                } finally {
                    try {
                        target.await();
                    } catch (ArithmeticException e) {
                        events.add("finally saw " + e.getMessage());
                    }
                }
            });
            gen.next();
            gen.close();
            assertEquals(List.of("finally saw target failed"), events);
            assertEquals(0.01, now());
        });
    }

    @Test
    void aBodyThatYieldsAgainAfterTheCloseMakesCloseThrowIllegalState() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    out.yield(1);
                } finally {
                    Asyncio.sleep(0.01);
                    out.yield(12);
                    events.add("after the second yield");
                }
            });
            gen.next();
            IllegalStateException e = assertThrows(IllegalStateException.class, gen::close);
            assertTrue(e.getMessage().contains("ignored close()"), e.getMessage());
            assertTrue(e.getMessage().contains("GeneratorExit"), e.getMessage());
            assertEquals(List.of(), events);
            assertFalse(gen.hasNext());
            assertEquals(1, Asyncio.allTasks().size());
        });
    }

    @Test
    void aBodyThatSwallowsTheCloseAndReturnsClosesQuietly() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    out.yield(1);
                } catch (Throwable swallowed) {
                    events.add("swallowed");
                }
                events.add("returns");
            });
            gen.next();
            gen.close();
            events.add("closed");
            assertEquals(List.of("swallowed", "returns", "closed"), events);
        });
    }

    @Test
    void closeThrowsWhatTheBodysFinallyThrows() {
        runVirtual(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    out.yield(1);
                } finally {
                    throw new IllegalArgumentException("cleanup failed");
                }
            });
            gen.next();
            assertEquals("cleanup failed", assertThrows(IllegalArgumentException.class, gen::close).getMessage());
            gen.close();
        });
    }

    @Test
    void closeIsIdempotentAndDoesNothingAfterExhaustion() {
        runVirtual(() -> {
            AsyncGenerator<Integer> gen = arange(2);
            assertEquals(List.of(0, 1), gen.toList());
            gen.close();
            gen.close();
            AsyncGenerator<Integer> other = arange(2);
            other.next();
            other.close();
            other.close();
            assertFalse(other.hasNext());
        });
    }

    @Test
    void closeDropsAValueTheConsumerHasNotTaken() {
        runVirtual(() -> {
            AsyncGenerator<Integer> gen = arange(3);
            assertTrue(gen.hasNext());
            gen.close();
            assertFalse(gen.hasNext());
        });
    }

    @Test
    void aCloserCancelledWhileTheFinallyWaitsRaisesAfterTheBodyHasEnded() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    out.yield(1);
                } finally {
                    try {
                        Asyncio.sleep(1);
                        events.add("slept");
                    } finally {
                        events.add("finally ends at " + now());
                    }
                }
            });
            Task<Void> closer = Asyncio.createTask(() -> {
                gen.next();
                try {
                    gen.close();
                } catch (CancelledError e) {
                    events.add("closer cancelled at " + now());
                    throw e;
                }
            });
            Asyncio.sleep(0.5);
            closer.cancel();
            assertThrows(CancelledError.class, closer::await);
            assertEquals(List.of("finally ends at 0.5", "closer cancelled at 0.5"), events);
        });
    }

    @Test
    void breakingAfterTheFirstValueAndClosingReportsNothing() {
        List<ExceptionContext> reports = reportsAfter(() -> {
            try (AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                out.yield(1);
                out.yield(2);
            })) {
                for (int v : gen) {
                    break;
                }
            }
        });
        assertEquals(List.of(), reports);
    }

    // ---- cancellation of the consumer ------------------------------------------------------------------

    @Test
    void aConsumerCancelledWhileWaitingCancelsTheBodyAndRaisesOnceTheBodyHasEnded() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    Asyncio.sleep(10);
                    out.yield(1);
                } catch (CancelledError e) {
                    events.add("body cancelled at " + now());
                    throw e;
                } finally {
                    Asyncio.sleep(0.25);
                    events.add("body finally done at " + now());
                }
            });
            Task<Integer> consumer = Asyncio.createTask(gen::next);
            Asyncio.sleep(1);
            consumer.cancel("stop");
            CancelledError e = assertThrows(CancelledError.class, consumer::await);
            events.add("consumer cancelled at " + now());
            assertEquals("stop", e.getMessage());
            assertEquals(List.of("body cancelled at 1.0", "body finally done at 1.25", "consumer cancelled at 1.25"),
                    events);
            assertFalse(gen.hasNext());
        });
    }

    @Test
    void aConsumerCancelledAfterTheHandOffKeepsTheValueForTheNextRequest() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                for (int i = 1; i <= 2; i++) {
                    Asyncio.sleep(1);
                    events.add("yield " + i);
                    out.yield(i);
                }
            });
            Task<Integer> consumer = Asyncio.createTask(gen::next);
            Asyncio.sleep(0.5);
            // Its timer is due with the body's, after it: it runs once the body has yielded and woken the
            // consumer, before the consumer resumes.
            Asyncio.createTask(() -> {
                Asyncio.sleep(0.5);
                consumer.cancel();
            });
            assertThrows(CancelledError.class, consumer::await);
            assertTrue(gen.hasNext());
            assertEquals(1, gen.next()); // kept: the body was not resumed for it
            assertEquals(List.of("yield 1"), events);
            assertEquals(2, gen.next());
        });
    }

    @Test
    void aCancelPendingWhenTheConsumerAsksIsRaisedWithoutResumingTheBody() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                events.add("body ran");
                out.yield(1);
            });
            Asyncio.currentTask().cancel();
            assertThrows(CancelledError.class, gen::hasNext);
            Asyncio.currentTask().uncancel();
            assertEquals(List.of(), events);
            assertEquals(1, gen.next());
        });
    }

    @Test
    void aBodyThatSwallowsTheConsumersCancelAndYieldsGivesItThatValue() {
        runVirtual(() -> {
            AsyncGenerator<String> gen = Asyncio.generator(out -> {
                try {
                    Asyncio.sleep(10);
                    out.yield("late");
                } catch (CancelledError e) {
                    out.yield("instead");
                }
            });
            Task<String> consumer = Asyncio.createTask(gen::next);
            Asyncio.sleep(1);
            consumer.cancel();
            assertEquals("instead", consumer.await()); // as awaiting a task that swallows its cancel
            assertFalse(gen.hasNext());
        });
    }

    @Test
    void aTimeoutAroundNextStopsTheBodyAndRaisesTimeoutError() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    Asyncio.sleep(10);
                    out.yield(1);
                } finally {
                    events.add("finally at " + now());
                }
            });
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(1.0, gen::next));
            assertEquals(List.of("finally at 1.0"), events);
            assertFalse(gen.hasNext());
        });
    }

    @Test
    void aConsumerCancelledDuringToListLeavesNoBodyBehind() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                try {
                    for (int i = 0; ; i++) {
                        Asyncio.sleep(1);
                        out.yield(i);
                    }
                } finally {
                    events.add("finally at " + now());
                }
            });
            Task<List<Integer>> consumer = Asyncio.createTask(gen::toList);
            Asyncio.sleep(2.5);
            consumer.cancel();
            assertThrows(CancelledError.class, consumer::await);
            assertEquals(List.of("finally at 2.5"), events);
            assertEquals(1, Asyncio.allTasks().size());
        });
    }

    @Test
    void aBodyCancelledByAnotherTaskIsReportedOnceToTheConsumer() {
        runVirtual(() -> {
            AsyncGenerator<Integer> gen = arange(3);
            gen.next();
            for (Task<?> t : Asyncio.allTasks()) {
                if (t != Asyncio.currentTask()) {
                    t.cancel();
                }
            }
            Asyncio.sleep(0);
            assertThrows(CancelledError.class, gen::hasNext);
            assertFalse(gen.hasNext());
        });
    }

    // ---- shutdown (test_async_gen_asyncio_gc_aclose_09, shutdown_01) -----------------------------------

    @Test
    void anAbandonedGeneratorIsFinalizedByRunnerClose() {
        List<String> events = new ArrayList<>();
        List<ExceptionContext> reports;
        try (Runner runner = virtualRunner()) {
            reports = TestLoops.recordExceptions(runner.getLoop());
            runner.run(() -> {
                AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                    try {
                        while (true) {
                            out.yield(1);
                        }
                    } finally {
                        Asyncio.sleep(0.01);
                        Asyncio.sleep(0.01);
                        events.add("finalized");
                    }
                });
                gen.next();
                gen.next();
            });
            assertEquals(List.of(), events);
        }
        assertEquals(List.of("finalized"), events);
        assertEquals(List.of(), reports);
    }

    @Test
    void consumersCancelledAtShutdownFinalizeTheirGenerators() {
        List<String> events = new ArrayList<>();
        try (Runner runner = virtualRunner()) {
            runner.run(() -> {
                for (int i = 0; i < 2; i++) {
                    Asyncio.createTask(() -> {
                        for (int ignored : Asyncio.<Integer>generator(out -> {
                            try {
                                Asyncio.sleep(1);
                                out.yield(1);
                            } finally {
                                Asyncio.sleep(0);
                                events.add("finalized");
                            }
                        })) {
                            events.add("unreachable");
                        }
                    });
                }
                Asyncio.sleep(0.1);
            });
        }
        assertEquals(List.of("finalized", "finalized"), events);
    }

    @Test
    void aConsumerCancelledBeforeTheBodysFirstStepEndsItsWaitAndTheBodyNeverRuns() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> events.add("body ran"));
            Task<List<Integer>> consumer = Asyncio.createTask(gen::toList);
            Asyncio.sleep(0); // the consumer creates the body's task and waits; the body has not run yet
            consumer.cancel();
            assertThrows(CancelledError.class, consumer::await);
            assertEquals(List.of(), events);
            assertFalse(gen.hasNext());
            assertEquals(1, Asyncio.allTasks().size());
        });
    }

    // ---- rules ---------------------------------------------------------------------------------------

    @Test
    void aSecondTaskAskingWhileOneWaitsGetsAlreadyRunning() {
        runVirtual(() -> {
            AsyncGenerator<Integer> gen = arange(3);
            Task<Integer> first = Asyncio.createTask(gen::next);
            Asyncio.sleep(0.001);
            IllegalStateException e = assertThrows(IllegalStateException.class, gen::hasNext);
            assertTrue(e.getMessage().contains("already running"), e.getMessage());
            assertThrows(IllegalStateException.class, gen::close);
            assertEquals(0, first.await());
            assertEquals(1, gen.next()); // another task may consume once nobody waits
        });
    }

    @Test
    void yieldFromAnotherTaskIsAnIllegalStateException() {
        runVirtual(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                Task<Void> helper = Asyncio.createTask(() -> out.yield(1));
                helper.await();
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, gen::next);
            assertTrue(e.getMessage().startsWith("Yielder.yield() must be called by the generator's own body"),
                    e.getMessage());
        });
    }

    @Test
    void theBodyCannotConsumeItself() {
        runVirtual(() -> {
            AsyncGenerator<?>[] self = new AsyncGenerator<?>[1];
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> {
                self[0].close();
            });
            self[0] = gen;
            IllegalStateException e = assertThrows(IllegalStateException.class, gen::next);
            assertTrue(e.getMessage().contains("already running"), e.getMessage());
        });
    }

    @Test
    void usingAGeneratorFromAPlainThreadOrAnotherLoopIsAClearError() {
        AsyncGenerator<Integer> gen = Asyncio.generator(out -> out.yield(1));
        IllegalStateException plain = assertThrows(IllegalStateException.class, gen::hasNext);
        assertTrue(plain.getMessage().contains("callSoonThreadsafe"), plain.getMessage());
        runVirtual(() -> assertEquals(1, gen.next()));
        IllegalStateException other = assertThrows(IllegalStateException.class,
                () -> runVirtual(() -> gen.hasNext()));
        assertTrue(other.getMessage().contains("is bound to"), other.getMessage());
    }

    @Test
    void theCallGraphShowsTheConsumerAwaitingTheBody() {
        runVirtual(() -> {
            Task<?> main = Asyncio.currentTask();
            AsyncGenerator<List<Future<?>>> gen = Asyncio.generator(out -> {
                Task<?> body = Asyncio.currentTask();
                List<Future<?>> awaiters = new ArrayList<>();
                CallGraph.capture(body).awaitedBy().forEach(g -> awaiters.add(g.future()));
                assertTrue(Asyncio.formatCallGraph().contains("Task(name='" + main.getName() + "'"));
                out.yield(awaiters);
            });
            assertEquals(List.of(main), gen.next());
        });
    }

    @Test
    void toStringShowsTheStateAndTheBodysTask() {
        runVirtual(() -> {
            AsyncGenerator<Integer> gen = Asyncio.generator(out -> out.yield(1));
            assertEquals("AsyncGenerator[created]", gen.toString());
            gen.next();
            assertTrue(gen.toString().matches("AsyncGenerator\\[suspended, task=AsyncGenerator-\\d+]"), gen.toString());
            gen.close();
            assertTrue(gen.toString().startsWith("AsyncGenerator[done, "), gen.toString());
        });
    }

    // ---- context variables -----------------------------------------------------------------------------

    @Test
    void theBodySeesTheConsumersContextAtTheFirstRequestAndItsOwnSetsStayInIt() {
        ContextVar<String> var = new ContextVar<>("var", "unset");
        runVirtual(() -> {
            var.set("at creation");
            AsyncGenerator<String> gen = Asyncio.generator(out -> {
                out.yield(var.get());
                var.set("set by the body");
                out.yield(var.get());
                out.yield(var.get());
            });
            var.set("at the first request");
            assertEquals("at the first request", gen.next());
            assertEquals("set by the body", gen.next());
            assertEquals("at the first request", var.get());
            var.set("later");
            assertEquals("set by the body", gen.next());
            gen.close();
        });
    }

    @Test
    void iteratorHasNoRemove() {
        runVirtual(() -> {
            AsyncGenerator<Integer> gen = arange(1);
            Iterator<Integer> it = gen.iterator();
            it.next();
            assertThrows(UnsupportedOperationException.class, it::remove);
        });
    }
}
