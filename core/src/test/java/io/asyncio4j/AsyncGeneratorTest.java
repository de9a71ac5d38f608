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
import static io.asyncio4j.TestLoops.arange;
import static io.asyncio4j.TestLoops.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AsyncGenerator} as asyncio's async generators (CPython Lib/test/test_asyncgen.py: iteration,
 * exceptions, async comprehensions), on virtual time. Closing and cancellation: {@link AsyncGeneratorCloseTest}.
 */
class AsyncGeneratorTest {

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
