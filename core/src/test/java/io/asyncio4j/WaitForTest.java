package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.asyncio4j.TestLoops.awaitCancelled;
import static io.asyncio4j.TestLoops.now;
import static io.asyncio4j.TestLoops.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Asyncio#waitFor} on a body (run in the calling task, asyncio 3.12+) and on a future or task, as
 * asyncio 3.14 (CPython Lib/test/test_asyncio/test_waitfor.py), on virtual time.
 */
class WaitForTest {

    private static final Duration EPSILON = Duration.ofNanos(100_000); // asyncio's _EPSILON = 0.0001

    /** asyncio's SlowTask: runs until loop time {@code until}, ignoring every cancel on the way. */
    private static String slowTask(double until, List<String> events) {
        while (now() < until) {
            try {
                Asyncio.sleep(until - now());
            } catch (CancelledError e) {
                events.add("ignored a cancel at " + now());
            }
        }
        events.add("exited at " + now());
        return "slow";
    }

    // ---- bodies that ignore cancels (test_asyncio_wait_for_cancelled, test_asyncio_wait_for_timeout) -----

    @Test
    void cancelledWaitForLetsABodyThatIgnoresCancelsRunToItsEnd() {
        // test_asyncio_wait_for_cancelled
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<String> waiting = Asyncio.createTask(() -> Asyncio.waitFor(() -> slowTask(0.2, events), 0.4));
            Asyncio.sleep(0);
            waiting.cancel();
            assertEquals("slow", waiting.await());
            assertEquals(List.of("ignored a cancel at 0.0", "exited at 0.2"), events);
            assertFalse(waiting.cancelled());
            assertEquals(1, waiting.cancelling());
        });
    }

    @Test
    void expiredWaitForReturnsTheValueOfABodyThatIgnoresTheCancel() {
        // test_asyncio_wait_for_timeout
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            assertEquals("slow", Asyncio.waitFor(() -> slowTask(0.2, events), 0.1));
            assertEquals(List.of("ignored a cancel at 0.1", "exited at 0.2"), events);
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void bodyThatSwallowsTheCancelAndReturnsGivesItsValue() {
        // test_wait_for_cancellation_race_condition
        runVirtual(() -> {
            int result = Asyncio.waitFor(() -> {
                assertThrows(CancelledError.class, () -> Asyncio.sleep(1));
                return 1;
            }, 0.01);
            assertEquals(1, result);
            assertEquals(0.01, now());
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void bodyThatReturnsFromItsCancelHandlerGivesItsValue() {
        // test_wait_for_cancel_suppressed (gh-84849)
        runVirtual(() -> {
            int result = Asyncio.waitFor(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    return 42;
                }
                return 0;
            }, 0.1);
            assertEquals(42, result);
            assertEquals(0.1, now());
        });
    }

    @Test
    void taskThatSwallowsTheCancelAndReturnsGivesItsValue() {
        runVirtual(() -> {
            Task<Integer> inner = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    Asyncio.sleep(0.5);
                    return 42;
                }
                return 0;
            });
            assertEquals(42, Asyncio.waitFor(inner, Duration.ofSeconds(1)));
            assertEquals(1.5, now());
            assertFalse(inner.cancelled());
            assertEquals(1, inner.cancelling());
        });
    }

    // ---- zero and negative timeouts ----------------------------------------------------------------------

    @Test
    void zeroTimeoutOnAFinishedFutureReturnsItsResult() {
        // test_wait_for_timeout_less_then_0_or_0_future_done
        runVirtual(() -> {
            Future<String> fut = Asyncio.getRunningLoop().createFuture();
            fut.setResult("done");
            assertEquals("done", Asyncio.waitFor(fut, Duration.ZERO));
            assertTrue(fut.done());
            assertEquals(0.0, now());
        });
    }

    @Test
    void zeroTimeoutNeverStartsTheBody() {
        // test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started
        runVirtual(() -> {
            AtomicBoolean started = new AtomicBoolean();
            TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.waitFor(() -> {
                started.set(true);
                return null;
            }, Duration.ZERO));
            assertFalse(started.get());
            assertInstanceOf(CancelledError.class, e.getCause());
            assertEquals(0.0, now());
        });
    }

    @Test
    void zeroOrNegativeTimeoutCancelsARunningTask() {
        // test_wait_for_timeout_less_then_0_or_0
        for (Duration timeout : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
            runVirtual(() -> {
                List<String> events = new ArrayList<>();
                Future<Void> started = Asyncio.getRunningLoop().createFuture();
                Task<String> fut = Asyncio.createTask(() -> {
                    events.add("running");
                    started.setResult(null);
                    try {
                        Asyncio.sleep(10);
                    } finally {
                        events.add("stopped");
                    }
                    return "done";
                });
                started.await();
                TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.waitFor(fut, timeout));
                assertInstanceOf(CancelledError.class, e.getCause());
                assertTrue(fut.cancelled());
                assertEquals(List.of("running", "stopped"), events);
                assertEquals(0.0, now());
            });
        }
    }

    @Test
    void zeroTimeoutWaitsForTheTaskToFinishCancelling() {
        // test_wait_for_waits_for_task_cancellation_w_timeout_0
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> inner = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    Asyncio.sleep(EPSILON);
                    throw e;
                } finally {
                    events.add("inner done at " + now());
                }
            });
            Asyncio.sleep(EPSILON);
            TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.waitFor(inner, Duration.ZERO));
            events.add("TimeoutError at " + now());
            assertInstanceOf(CancelledError.class, e.getCause());
            assertEquals(List.of("inner done at 2.0E-4", "TimeoutError at 2.0E-4"), events);
        });
    }

    // ---- waitFor on a task -------------------------------------------------------------------------------

    @Test
    void expiredWaitForCancelsTheTaskAndRaisesTimeoutError() {
        // test_wait_for
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<String> fut = Asyncio.createTask(() -> {
                events.add("running");
                try {
                    Asyncio.sleep(10);
                } finally {
                    events.add("stopped at " + now());
                }
                return "done";
            });
            TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.waitFor(fut, Duration.ofMillis(100)));
            assertEquals(0.1, now());
            assertTrue(fut.cancelled());
            assertEquals(List.of("running", "stopped at 0.1"), events);
            assertInstanceOf(CancelledError.class, e.getCause());
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void noTimeoutWaitsAsLongAsItTakes() {
        // test_wait_for_blocking
        runVirtual(() -> {
            assertEquals("done", Asyncio.waitFor(() -> "done", (Duration) null));
            Task<String> slow = Asyncio.createTask(() -> {
                Asyncio.sleep(1000);
                return "late";
            });
            assertEquals("late", Asyncio.waitFor(slow, null));
            assertEquals(1000.0, now());
        });
    }

    @Test
    void futureCompletedBeforeTheDeadlineGivesItsResult() {
        // test_wait_for_race_condition
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<String> fut = loop.createFuture();
            loop.callLater(0.1, () -> fut.setResult("ok"));
            assertEquals("ok", Asyncio.waitFor(fut, Duration.ofMillis(200)));
            assertEquals(0.1, now());
        });
    }

    @Test
    void waitForWaitsForTheTaskToFinishCancellingBeforeRaisingTimeoutError() {
        // test_wait_for_waits_for_task_cancellation, with a cleanup that takes virtual time
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> inner = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError e) {
                    events.add("cleanup from " + now());
                    Asyncio.sleep(0.25);
                    throw e;
                } finally {
                    events.add("inner done at " + now());
                }
            });
            TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.waitFor(inner, Duration.ofMillis(500)));
            events.add("TimeoutError at " + now());
            assertEquals(List.of("cleanup from 0.5", "inner done at 0.75", "TimeoutError at 0.75"), events);
            CancelledError cause = assertInstanceOf(CancelledError.class, e.getCause());
            assertTrue(inner.cancelled());
            assertEquals(0, Asyncio.currentTask().cancelling());
            assertNull(cause.getMessage());
        });
    }

    @Test
    void exceptionRaisedByTheTaskWhileCancellingPropagates() {
        // test_wait_for_reraises_exception_during_cancellation
        runVirtual(() -> {
            Task<Void> inner = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(0.2);
                } finally {
                    throw new IllegalStateException("foo");
                }
            });
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Asyncio.waitFor(inner, EPSILON));
            assertEquals("foo", e.getMessage());
            assertEquals(1.0E-4, now());
            assertFalse(inner.cancelled());
        });
    }

    @Test
    void waitForIsCancellableEvenWhenTheTaskHoldsUpItsCancel() {
        // test_wait_for_self_cancellation
        runVirtual(() -> {
            Task<Integer> inner = Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(0.3);
                } catch (CancelledError e) {
                    try {
                        Asyncio.sleep(0.3);
                    } catch (CancelledError e2) {
                        Asyncio.sleep(0.3);
                    }
                }
                return 42;
            });
            Task<Integer> waiting = Asyncio.createTask(() -> Asyncio.waitFor(inner, Duration.ofMillis(100)));
            waiting.cancel();
            awaitCancelled(waiting);
            assertEquals(0.0, now());
            assertEquals(42, inner.await());
            assertEquals(0.3, now());
        });
    }

    @Test
    void cancellingTheWaitWithoutTimeoutCancelsTheTask() {
        // test_cancel_blocking_wait_for (bpo-23219)
        cancellingTheWaitCancelsTheTask(null);
    }

    @Test
    void cancellingTheWaitWithATimeoutCancelsTheTask() {
        // test_cancel_wait_for (bpo-23219)
        cancellingTheWaitCancelsTheTask(Duration.ofSeconds(60));
    }

    private static void cancellingTheWaitCancelsTheTask(Duration timeout) {
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Task<Void> task = Asyncio.createTask(() -> {
                loop.<Void>createFuture().await(); // never set
            });
            Task<Void> waiting = Asyncio.createTask(() -> {
                Asyncio.waitFor(task, timeout);
            });
            loop.callSoon(waiting::cancel);
            awaitCancelled(waiting);
            assertTrue(task.cancelled());
            assertEquals(0.0, now());
        });
    }

    @Test
    void cancelAfterAFinishedWaitForReachesTheNextWait() {
        // test_wait_for_issue86296
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> task = Asyncio.createTask(() -> {
                Asyncio.waitFor(() -> null, 100);
                Asyncio.sleep(1);
                events.add("reached the end");
            });
            Asyncio.sleep(0);
            assertFalse(task.done());
            task.cancel();
            awaitCancelled(task);
            assertEquals(List.of(), events);
            assertEquals(0.0, now());
        });
    }

    @Test
    void timeoutErrorOfAnExpiredBodyHasTheCancelledErrorAsCause() {
        runVirtual(() -> {
            AtomicReference<CancelledError> seen = new AtomicReference<>();
            TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.waitFor(() -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError ce) {
                    seen.set(ce);
                    throw ce;
                }
                return null;
            }, 2.5));
            assertSame(seen.get(), e.getCause());
            assertEquals(2.5, now());
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }
}
