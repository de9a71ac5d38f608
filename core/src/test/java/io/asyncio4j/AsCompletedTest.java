package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static io.asyncio4j.TestLoops.now;
import static io.asyncio4j.TestLoops.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code asCompleted} as asyncio 3.13+'s {@code async for} form (CPython Lib/test/test_asyncio/test_tasks.py:
 * test_as_completed*), on virtual time.
 */
class AsCompletedTest {

    private static <T> Task<T> after(double seconds, T value) {
        return Asyncio.createTask(() -> {
            Asyncio.sleep(seconds);
            return value;
        });
    }

    @Test
    void yieldsTheFuturesInCompletionOrder() {
        // test_as_completed
        runVirtual(() -> {
            Task<String> a = after(0.01, "a");
            Task<String> b = after(0.01, "b");
            Task<String> c = after(0.15, "c");
            List<String> values = new ArrayList<>();
            for (Future<String> f : Asyncio.asCompleted(List.of(b, c, a), null)) {
                values.add(f.await() + "@" + now());
            }
            assertEquals(List.of("a@0.01", "b@0.01", "c@0.15"), values);
        });
    }

    @Test
    void yieldsTheOriginalFutures() {
        // test_as_completed_same_tasks_in_as_out
        runVirtual(() -> {
            Task<String> b = after(0.2, "b");
            Task<String> d = after(0.1, "d");
            List<Future<String>> out = new ArrayList<>();
            Asyncio.asCompleted(List.of(b, d), null).forEach(out::add);
            assertEquals(2, out.size());
            assertSame(d, out.get(0));
            assertSame(b, out.get(1));
        });
    }

    @Test
    void futuresAlreadyDoneComeFirstInInputOrder() {
        runVirtual(() -> {
            Task<String> late = after(1, "late");
            Future<String> x = new Future<>();
            x.setResult("x");
            Future<String> y = new Future<>();
            y.setException(new IllegalStateException("y"));
            List<Future<String>> out = new ArrayList<>();
            for (Future<String> f : Asyncio.asCompleted(List.of(late, y, x), null)) {
                out.add(f);
            }
            assertEquals(List.of(y, x, late), out);
            assertThrows(IllegalStateException.class, y::result);
        });
    }

    @Test
    void timeoutRaisesTimeoutErrorFromTheIterationWithoutCancelling() {
        // test_as_completed_with_timeout
        runVirtual(() -> {
            Task<String> a = after(0.1, "a");
            Task<String> b = after(0.15, "b");
            List<String> values = new ArrayList<>();
            Iterator<Future<String>> it = Asyncio.asCompleted(List.of(a, b), Duration.ofMillis(120)).iterator();
            assertTrue(it.hasNext());
            values.add(it.next().result());
            assertTrue(it.hasNext());
            TimeoutError e = assertThrows(TimeoutError.class, it::next);
            assertTrue(e.getMessage().startsWith("Asyncio.asCompleted(): the timeout of PT0.12S passed"), e.getMessage());
            assertEquals(0.12, now(), 1e-9);
            assertFalse(it.hasNext());
            assertEquals(List.of("a"), values);
            assertFalse(b.cancelled());
            assertEquals("b", b.await());
        });
    }

    @Test
    void everyFutureStillToComeAfterTheTimeoutRaisesTimeoutError() {
        runVirtual(() -> {
            Task<String> a = after(1, "a");
            Task<String> b = after(2, "b");
            Iterator<Future<String>> it = Asyncio.asCompleted(List.of(a, b), Duration.ofMillis(500)).iterator();
            assertThrows(TimeoutError.class, it::next);
            assertTrue(it.hasNext());
            Asyncio.sleep(2); // both are done by now, but the iteration has timed out
            assertThrows(TimeoutError.class, it::next);
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
        });
    }

    @Test
    void unusedTimeoutDoesNothing() {
        // test_as_completed_with_unused_timeout
        runVirtual(() -> {
            Task<String> a = after(0.01, "a");
            for (Future<String> f : Asyncio.asCompleted(List.of(a), Duration.ofSeconds(1))) {
                assertEquals("a", f.result());
            }
            Asyncio.sleep(2);
            assertEquals(2.01, now(), 1e-9);
        });
    }

    @Test
    void iteratingAgainResumesTheSameIteration() {
        // test_as_completed_resume_iterator
        runVirtual(() -> {
            List<Task<Integer>> tasks = List.of(after(0.4, 0), after(0.3, 1), after(0.2, 2), after(0.1, 3));
            Iterable<Future<Integer>> iterable = Asyncio.asCompleted(tasks, null);
            List<Integer> collected = new ArrayList<>();
            for (Future<Integer> f : iterable) {
                collected.add(f.result());
                if (collected.size() == 2) {
                    break;
                }
            }
            for (Future<Integer> f : iterable) {
                collected.add(f.result());
            }
            assertEquals(List.of(3, 2, 1, 0), collected);
        });
    }

    @Test
    void duplicateFuturesAreYieldedOnce() {
        // test_as_completed_duplicate_coroutines
        runVirtual(() -> {
            Task<String> ham = after(0, "ham");
            Task<String> spam = after(0, "spam");
            List<String> result = new ArrayList<>();
            for (Future<String> f : Asyncio.asCompleted(List.of(ham, ham, spam), null)) {
                result.add(f.result());
            }
            assertEquals(List.of("ham", "spam"), result);
        });
    }

    @Test
    void emptyCollectionYieldsNothing() {
        runVirtual(() -> {
            assertFalse(Asyncio.asCompleted(List.<Future<String>>of(), Duration.ZERO).iterator().hasNext());
        });
    }

    @Test
    void cancellingTheIteratingTaskLeavesTheFuturesRunning() {
        runVirtual(() -> {
            Task<String> a = after(1, "a");
            Task<Void> iterating = Asyncio.createTask(() -> {
                for (Future<String> f : Asyncio.asCompleted(List.of(a), null)) {
                    f.result();
                }
            });
            Asyncio.sleep(0.5);
            iterating.cancel();
            assertThrows(CancelledError.class, iterating::await);
            assertEquals(0.5, now());
            assertEquals("a", a.await());
        });
    }

    @Test
    void iteratingOutsideATaskIsAClearError() {
        runVirtual(() -> {
            Task<String> a = after(1, "a");
            Iterator<Future<String>> it = Asyncio.asCompleted(List.of(a), null).iterator();
            Future<String> error = new Future<>();
            Asyncio.getRunningLoop().callSoon(() -> {
                try {
                    it.next();
                    error.setResult("no error");
                } catch (IllegalStateException e) {
                    error.setResult(e.getMessage());
                }
            });
            assertTrue(error.await().startsWith("iterating Asyncio.asCompleted() must be called inside a task"),
                    error.result());
            assertSame(a, it.next());
        });
    }
}
