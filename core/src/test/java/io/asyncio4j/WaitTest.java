package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.asyncio4j.TestLoops.now;
import static io.asyncio4j.TestLoops.runVirtual;
import static io.asyncio4j.TestLoops.virtualRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wait} as asyncio 3.14 (CPython Lib/test/test_asyncio/test_tasks.py: test_wait*,
 * test_yield_wait_does_not_shield_cancel, test_cancel_traceback_for_future_exception), on virtual time.
 */
class WaitTest {

    private static Task<Void> sleeper(double seconds) {
        return Asyncio.createTask(() -> Asyncio.sleep(seconds));
    }

    @Test
    void allCompletedReturnsWhenTheLastFutureIsDone() {
        // test_wait
        runVirtual(() -> {
            Task<Void> a = sleeper(0.1);
            Task<Void> b = sleeper(0.15);
            Done<Void> d = Asyncio.wait(List.of(b, a));
            assertEquals(Set.of(a, b), d.done());
            assertEquals(Set.of(), d.pending());
            assertEquals(0.15, now());
            // again: takes no time
            d = Asyncio.wait(List.of(b, a));
            assertEquals(Set.of(a, b), d.done());
            assertEquals(0.15, now());
        });
    }

    @Test
    void waitOnDoneFuturesStillLetsOtherTasksRunOnce() {
        // asyncio: the done callbacks run via call_soon, so wait() always yields
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Future<String> f = new Future<>();
            f.setResult("x");
            Asyncio.createTask(() -> events.add("other task ran"));
            Done<String> d = Asyncio.wait(List.of(f));
            events.add("wait returned");
            assertEquals(Set.of(f), d.done());
            assertEquals(List.of("other task ran", "wait returned"), events);
        });
    }

    @Test
    void duplicateFuturesCountOnce() {
        // test_wait_duplicate_coroutines
        runVirtual(() -> {
            Task<String> c = Asyncio.createTask(() -> "test");
            Task<String> spam = Asyncio.createTask(() -> "spam");
            Done<String> d = Asyncio.wait(List.of(c, c, spam));
            assertEquals(Set.of(c, spam), d.done());
            assertTrue(d.pending().isEmpty());
        });
    }

    @Test
    void emptyCollectionNullWhenAndForeignFuturesAreClearErrors() {
        // test_wait_errors, test_wait_invalid_args
        try (Runner other = virtualRunner()) {
            Future<Void> foreign = new Future<>(other.getLoop());
            runVirtual(() -> {
                IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                        () -> Asyncio.wait(List.<Future<Void>>of()));
                assertTrue(empty.getMessage().contains("Set of Tasks/Futures is empty."), empty.getMessage());
                Future<Void> mine = new Future<>();
                NullPointerException npe = assertThrows(NullPointerException.class,
                        () -> Asyncio.wait(List.of(mine), null, null));
                assertTrue(npe.getMessage().startsWith("Asyncio.wait(): when is null"), npe.getMessage());
                IllegalArgumentException loopError = assertThrows(IllegalArgumentException.class,
                        () -> Asyncio.wait(List.of(mine, foreign)));
                assertTrue(loopError.getMessage().contains("different event loop"), loopError.getMessage());
            });
        }
        IllegalStateException outside = assertThrows(IllegalStateException.class,
                () -> Asyncio.wait(List.<Future<Void>>of()));
        assertTrue(outside.getMessage().startsWith("Asyncio.wait() must be called inside a task"));
    }

    @Test
    void firstCompletedReturnsWithTheFirstDoneAndLeavesTheOthersPending() {
        // test_wait_first_completed
        runVirtual(() -> {
            Task<Void> a = sleeper(10);
            Task<Void> b = sleeper(0.1);
            Done<Void> d = Asyncio.wait(List.of(b, a), ReturnWhen.FIRST_COMPLETED, null);
            assertEquals(Set.of(b), d.done());
            assertEquals(Set.of(a), d.pending());
            assertFalse(a.done());
            assertEquals(0.1, now());
            a.cancel();
        });
    }

    @Test
    void futuresThatFinishedBeforeTheWaitResumedAreReportedDone() {
        // test_wait_really_done: b became done while its callbacks had not run yet
        runVirtual(() -> {
            Task<Void> a = Asyncio.createTask(() -> Asyncio.sleep(0));
            Task<Void> b = Asyncio.createTask(() -> {
                Asyncio.sleep(0);
                Asyncio.sleep(0);
            });
            Done<Void> d = Asyncio.wait(List.of(b, a), ReturnWhen.FIRST_COMPLETED, null);
            assertEquals(Set.of(a, b), d.done());
        });
    }

    @Test
    void firstExceptionReturnsAtOnceWhenAFutureAlreadyFailed() {
        // test_wait_first_exception
        runVirtual(() -> {
            Task<Void> a = sleeper(10);
            Task<Void> b = Asyncio.createTask(() -> {
                throw new ArithmeticException("err");
            });
            Done<Void> d = Asyncio.wait(List.of(b, a), ReturnWhen.FIRST_EXCEPTION, null);
            assertEquals(Set.of(b), d.done());
            assertEquals(Set.of(a), d.pending());
            assertEquals(0.0, now());
            assertInstanceOf(ArithmeticException.class, b.exception());
            a.cancel();
        });
    }

    @Test
    void firstExceptionReturnsWhenAFutureFailsDuringTheWait() {
        // test_wait_first_exception_in_wait
        runVirtual(() -> {
            Task<Void> a = sleeper(10);
            Task<Void> b = Asyncio.createTask(() -> {
                Asyncio.sleep(0.01);
                throw new ArithmeticException("err");
            });
            Done<Void> d = Asyncio.wait(List.of(b, a), ReturnWhen.FIRST_EXCEPTION, null);
            assertEquals(Set.of(b), d.done());
            assertEquals(Set.of(a), d.pending());
            assertEquals(0.01, now());
            b.exception();
            a.cancel();
        });
    }

    @Test
    void firstExceptionDoesNotCountACancelledFutureAsAFailure() {
        runVirtual(() -> {
            Task<Void> a = sleeper(1);
            Task<Void> b = sleeper(10);
            Asyncio.getRunningLoop().callLater(0.5, b::cancel);
            Done<Void> d = Asyncio.wait(List.of(a, b), ReturnWhen.FIRST_EXCEPTION, null);
            assertEquals(Set.of(a, b), d.done());
            assertEquals(1.0, now());
        });
    }

    @Test
    void allCompletedWithAFailureNeitherRaisesNorStopsEarly() {
        // test_wait_with_exception
        runVirtual(() -> {
            Task<Void> a = sleeper(0.1);
            Task<Void> b = Asyncio.createTask(() -> {
                Asyncio.sleep(0.15);
                throw new ArithmeticException("really");
            });
            Done<Void> d = Asyncio.wait(List.of(b, a));
            assertEquals(2, d.done().size());
            assertEquals(0.15, now());
            assertEquals(1, d.done().stream().filter(f -> f.exception() != null).count());
        });
    }

    @Test
    void timeoutReturnsWhatIsDoneWithoutRaisingOrCancelling() {
        // test_wait_with_timeout
        runVirtual(() -> {
            Task<Void> a = sleeper(0.1);
            Task<Void> b = sleeper(0.15);
            Done<Void> d = Asyncio.wait(List.of(b, a), ReturnWhen.ALL_COMPLETED, Duration.ofMillis(110));
            assertEquals(Set.of(a), d.done());
            assertEquals(Set.of(b), d.pending());
            assertEquals(0.11, now(), 1e-9);
            assertFalse(b.cancelled());
            b.await();
            assertEquals(0.15, now(), 1e-9);
        });
    }

    @Test
    void futureDueAtTheSameTimeAsTheTimeoutCountsAsDone() {
        // test_wait_concurrent_complete
        runVirtual(() -> {
            Task<Void> a = sleeper(0.1);
            Task<Void> b = sleeper(0.15);
            Asyncio.sleep(0); // a and b start first, as in asyncio's test: a's timer comes before the timeout's
            Done<Void> d = Asyncio.wait(List.of(b, a), ReturnWhen.ALL_COMPLETED, Duration.ofMillis(100));
            assertEquals(Set.of(a), d.done());
            assertEquals(Set.of(b), d.pending());
            assertEquals(0.1, now(), 1e-9);
            b.cancel();
        });
    }

    @Test
    void cancellingTheWaitingTaskLeavesTheFuturesRunning() {
        // test_yield_wait_does_not_shield_cancel
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Future<Void> waiter = new Future<>();
            Task<Void> inner = Asyncio.createTask(() -> {
                waiter.await();
                events.add("inner done");
            });
            Task<Void> outer = Asyncio.createTask(() -> {
                Asyncio.wait(List.of(inner));
                events.add("outer got past wait");
            });
            Asyncio.sleep(0);
            outer.cancel();
            assertThrows(CancelledError.class, outer::await);
            assertFalse(inner.done());
            waiter.setResult(null);
            inner.await();
            assertEquals(List.of("inner done"), events);
            assertEquals(List.of(), inner.awaitedBy()); // wait forgot its record on the way out
        });
    }

    @Test
    void cancelledTaskIsReturnedDoneAndItsExceptionRaisesCancelledError() {
        // test_cancel_traceback_for_future_exception
        runVirtual(() -> {
            Task<Void> t = sleeper(10);
            Asyncio.sleep(0);
            t.cancel();
            Done<Void> d = Asyncio.wait(List.of(t));
            assertEquals(Set.of(t), d.done());
            assertThrows(CancelledError.class, t::exception);
        });
    }

    @Test
    void waitedFuturesRecordTheWaitingTaskOnlyWhileItWaits() {
        runVirtual(() -> {
            Task<?> me = Asyncio.currentTask();
            Task<Void> a = sleeper(1);
            Task<Void> b = sleeper(2);
            List<String> seen = new ArrayList<>();
            Asyncio.createTask(() -> {
                Asyncio.sleep(0.5);
                seen.add("a: " + a.awaitedBy().equals(List.of(me)) + ", b: " + b.awaitedBy().equals(List.of(me)));
            });
            Asyncio.wait(List.of(a, b), ReturnWhen.FIRST_COMPLETED, null);
            assertEquals(List.of("a: true, b: true"), seen);
            assertEquals(List.of(), b.awaitedBy());
            b.cancel();
        });
    }
}
