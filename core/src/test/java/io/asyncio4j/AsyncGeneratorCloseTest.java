package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.asyncio4j.TestLoops.now;
import static io.asyncio4j.TestLoops.reportsAfter;
import static io.asyncio4j.TestLoops.arange;
import static io.asyncio4j.TestLoops.runVirtual;
import static io.asyncio4j.TestLoops.virtualRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AsyncGenerator#close()} and cancellation: asyncio's aclose(), a consumer cancelled while it waits,
 * and shutdown_asyncgens (CPython Lib/test/test_asyncgen.py, test_async_gen_asyncio_aclose_* and
 * shutdown_*), on virtual time.
 */
class AsyncGeneratorCloseTest {

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
}
