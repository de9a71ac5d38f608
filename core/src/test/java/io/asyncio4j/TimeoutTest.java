package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
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
 * The timeout scopes ({@link Asyncio#timeout}, {@link Asyncio#timeoutAt}, {@link Timeout}) as asyncio 3.14
 * (CPython Lib/test/test_asyncio/test_timeouts.py), on virtual time: exact loop times, exact cancel counts.
 */
class TimeoutTest {

    private static Task<?> current() {
        return Asyncio.currentTask();
    }

    // ---- expiry (test_timeout_basic, test_timeout_at_basic, test_waiter_cancelled, test_timeout_zero*) ----

    @Test
    void expiredTimeoutRaisesTimeoutErrorAtItsDeadline() {
        // test_timeout_basic
        runVirtual(() -> {
            AtomicReference<Timeout> scope = new AtomicReference<>();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(Duration.ofMillis(500), t -> {
                scope.set(t);
                Asyncio.sleep(10);
                return null;
            }));
            assertEquals(0.5, now());
            assertTrue(scope.get().expired());
            assertEquals(0, current().cancelling());
        });
    }

    @Test
    void timeoutAtExpiresAtTheGivenLoopTimeAndKeepsIt() {
        // test_timeout_at_basic
        runVirtual(() -> {
            Asyncio.sleep(1);
            double deadline = now() + 0.25;
            AtomicReference<Timeout> scope = new AtomicReference<>();
            assertThrows(TimeoutError.class, () -> Asyncio.timeoutAt(deadline, t -> {
                scope.set(t);
                Asyncio.sleep(10);
                return null;
            }));
            assertEquals(1.25, now());
            assertTrue(scope.get().expired());
            assertEquals(OptionalDouble.of(1.25), scope.get().when());
        });
    }

    @Test
    void bodySeesTheCancelledErrorAtItsWaitBeforeTheTimeoutError() {
        // test_waiter_cancelled
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.timeout(1.0, () -> {
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError ce) {
                    events.add("cancelled at " + now() + ", cancelling=" + current().cancelling());
                    throw ce;
                }
            }));
            events.add("timeout error at " + now() + ", cancelling=" + current().cancelling());
            assertEquals(List.of("cancelled at 1.0, cancelling=1", "timeout error at 1.0, cancelling=0"), events);
            assertInstanceOf(CancelledError.class, e.getCause());
        });
    }

    @Test
    void timeoutErrorHasTheCancelledErrorAsCause() {
        // test_timeout_exception_cause
        runVirtual(() -> {
            AtomicReference<CancelledError> seen = new AtomicReference<>();
            TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.0, () -> {
                try {
                    Asyncio.sleep(1);
                } catch (CancelledError ce) {
                    seen.set(ce);
                    throw ce;
                }
            }));
            assertSame(seen.get(), e.getCause());
        });
    }

    @Test
    void aDurationTimeoutIsDueItsDelayAfterTheLoopsNowAndAHugeOneNeverExpires() {
        runVirtual(() -> {
            Asyncio.sleep(1.5);
            AtomicReference<Timeout> scope = new AtomicReference<>();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(Duration.ofMillis(250), t -> {
                scope.set(t);
                assertEquals(OptionalDouble.of(1.75), t.when());
                Asyncio.sleep(10);
                return null;
            }));
            assertEquals(1.75, now());
            assertTrue(scope.get().expired());
            // a delay past the end of the loop's clock saturates: no overflow into the past, no expiry
            assertEquals("done", Asyncio.timeout(Duration.ofSeconds(Long.MAX_VALUE), t -> {
                assertTrue(t.when().getAsDouble() > 9e9, t.toString());
                Asyncio.sleep(5);
                return "done";
            }));
            // a negative delay is due at once, before the body's first wait ends
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(Duration.ofSeconds(-1), t -> {
                Asyncio.sleep(1);
                return null;
            }));
            assertEquals(6.75, now());
        });
    }

    @Test
    void zeroTimeoutExpiresBeforeTheBodyWaits() {
        // test_timeout_zero
        runVirtual(() -> {
            Asyncio.sleep(2);
            AtomicReference<Timeout> scope = new AtomicReference<>();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(Duration.ZERO, t -> {
                scope.set(t);
                Asyncio.sleep(10);
                return null;
            }));
            assertEquals(2.0, now());
            assertTrue(scope.get().expired());
            assertEquals(OptionalDouble.of(2.0), scope.get().when());
        });
    }

    @Test
    void zeroTimeoutInterruptsEvenASleepZero() {
        // test_timeout_zero_sleep_zero
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.0, () -> {
                events.add("body");
                Asyncio.sleep(0);
                events.add("after sleep(0)");
            }));
            assertEquals(List.of("body"), events);
            assertEquals(0.0, now());
        });
    }

    @Test
    void timeoutInThePastExpiresAtOnceAndKeepsItsDeadline() {
        // test_timeout_in_the_past_sleep_zero
        runVirtual(() -> {
            Asyncio.sleep(20);
            AtomicReference<Timeout> scope = new AtomicReference<>();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(Duration.ofSeconds(-11), t -> {
                scope.set(t);
                Asyncio.sleep(0);
                return null;
            }));
            assertEquals(20.0, now());
            assertTrue(scope.get().expired());
            assertEquals(OptionalDouble.of(9.0), scope.get().when());
        });
    }

    // ---- no expiry (test_timeout_not_called, test_timeout_disabled, test_outer_task_is_not_cancelled) ---

    @Test
    void bodyThatEndsInTimeReturnsItsValueAndTheScopeKeepsItsDeadline() {
        // test_timeout_not_called
        runVirtual(() -> {
            AtomicReference<Timeout> scope = new AtomicReference<>();
            String value = Asyncio.timeout(Duration.ofSeconds(10), t -> {
                scope.set(t);
                Asyncio.sleep(0.5);
                return "done";
            });
            assertEquals("done", value);
            assertEquals(0.5, now());
            assertFalse(scope.get().expired());
            assertEquals(OptionalDouble.of(10.0), scope.get().when());
        });
    }

    @Test
    void timeoutWithoutDeadlineNeverExpires() {
        // test_timeout_disabled, test_timeout_at_disabled
        runVirtual(() -> {
            AtomicReference<Timeout> scope = new AtomicReference<>();
            Asyncio.timeout((Duration) null, t -> {
                scope.set(t);
                assertEquals(OptionalDouble.empty(), t.when());
                Asyncio.sleep(1000);
                return null;
            });
            assertEquals(1000.0, now());
            assertFalse(scope.get().expired());
            assertEquals(OptionalDouble.empty(), scope.get().when());
        });
    }

    @Test
    void taskThatCatchesTheTimeoutErrorEndsNormallyNotCancelled() {
        // test_outer_task_is_not_cancelled
        runVirtual(() -> {
            Task<String> task = Asyncio.createTask(() -> {
                assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.001, () -> Asyncio.sleep(10)));
                return "caught";
            });
            assertEquals("caught", task.await());
            assertFalse(task.cancelled());
            assertEquals(0, task.cancelling());
        });
    }

    // ---- foreign exceptions and foreign cancels ---------------------------------------------------------

    @Test
    void exceptionOfTheBodyPassesThroughAnUnexpiredScope() {
        // test_foreign_exception_passed
        runVirtual(() -> {
            AtomicReference<Timeout> scope = new AtomicReference<>();
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            assertSame(boom, assertThrows(IllegalArgumentException.class, () -> Asyncio.timeout(Duration.ofSeconds(1), t -> {
                scope.set(t);
                throw boom;
            })));
            assertFalse(scope.get().expired());
            assertEquals(0, boom.getSuppressed().length);
        });
    }

    @Test
    void exceptionRaisedWhileTheBodyIsCancelledByTheDeadlineWinsOverTheTimeoutError() {
        // test_foreign_exception_on_timeout: asyncio chains a TimeoutError as __context__; we attach it as suppressed
        runVirtual(() -> {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> Asyncio.timeout(0.5, () -> {
                try {
                    Asyncio.sleep(1);
                } finally {
                    throw new ArithmeticException("/ by zero");
                }
            }));
            assertEquals(0.5, now());
            assertEquals(1, e.getSuppressed().length);
            assertInstanceOf(TimeoutError.class, e.getSuppressed()[0]);
            assertEquals(0, current().cancelling());
        });
    }

    @Test
    void anExceptionGroupLeavingAnExpiredScopeHasTheTimeoutNotedOnItAndOnEachOfItsErrors() {
        // asyncio 3.13+ inserts the TimeoutError into the group and into each of its errors
        runVirtual(() -> {
            ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> Asyncio.timeout(0.5, () -> {
                try {
                    Asyncio.sleep(1);
                } finally {
                    throw new ExceptionGroup("cleanup failed", List.of(new IllegalStateException("a"),
                            new IllegalArgumentException("b")));
                }
            }));
            assertEquals(0.5, now());
            assertInstanceOf(TimeoutError.class, eg.getSuppressed()[eg.getSuppressed().length - 1]);
            for (Throwable t : eg.exceptions()) {
                assertEquals(1, t.getSuppressed().length);
                assertInstanceOf(TimeoutError.class, t.getSuppressed()[0]);
            }
        });
    }

    @Test
    void cancelFromOutsideBeforeTheDeadlinePropagatesAsCancelledError() {
        // test_foreign_cancel_doesnt_timeout_if_not_expired
        runVirtual(() -> {
            Task<Timeout> task = Asyncio.createTask(() -> Asyncio.timeout(Duration.ofSeconds(10), t -> {
                current().cancel();
                try {
                    Asyncio.sleep(10);
                } finally {
                    assertFalse(t.expired());
                }
                return t;
            }));
            awaitCancelled(task);
            assertEquals(0.0, now());
            assertEquals(1, task.cancelling());
        });
    }

    @Test
    void outsideCancelArrivingJustBeforeTheExpiryWins() {
        runVirtual(() -> {
            AtomicReference<Timeout> scope = new AtomicReference<>();
            Task<Void> task = Asyncio.createTask(() -> {
                Task<?> self = current();
                Asyncio.getRunningLoop().callAt(1.0, () -> self.cancel("from outside"));
                Asyncio.timeoutAt(1.0, t -> {
                    scope.set(t);
                    Asyncio.sleep(10);
                    return null;
                });
            });
            // as asyncio: the expiry's cancel finds the sleep already cancelled, so its own (null) message is
            // the one delivered; what matters is that it comes out as CancelledError, not TimeoutError
            assertNull(awaitCancelled(task).getMessage());
            assertEquals(1.0, now());
            assertTrue(scope.get().expired());
            assertEquals(1, task.cancelling());
        });
    }

    @Test
    void outsideCancelArrivingAfterTheExpiryButBeforeTheBodyResumesWins() {
        runVirtual(() -> {
            AtomicReference<Timeout> scope = new AtomicReference<>();
            List<String> events = new ArrayList<>();
            Task<Void> task = Asyncio.createTask(() -> Asyncio.timeoutAt(1.0, t -> {
                scope.set(t);
                Task<?> self = current();
                // scheduled after the scope's timer: both run in the same loop iteration, the expiry first
                Asyncio.getRunningLoop().callAt(1.0, () -> {
                    events.add("outside cancel, expired=" + t.expired() + ", cancelling=" + self.cancelling());
                    self.cancel("from outside");
                });
                try {
                    Asyncio.sleep(10);
                } catch (CancelledError ce) {
                    events.add("body cancelled, cancelling=" + self.cancelling());
                    throw ce;
                }
                return null;
            }));
            awaitCancelled(task);
            assertEquals(List.of("outside cancel, expired=true, cancelling=1", "body cancelled, cancelling=2"), events);
            assertEquals(1.0, now());
            assertTrue(scope.get().expired());
            assertEquals(1, task.cancelling());
        });
    }

    // ---- nested scopes -----------------------------------------------------------------------------------

    @Test
    void nestedTimeoutsWithTheSameDeadlineRaiseTimeoutErrorOnlyFromTheOuter() {
        // test_nested_timeouts
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AtomicReference<Timeout> inner = new AtomicReference<>();
            AtomicReference<Timeout> outer = new AtomicReference<>();
            assertThrows(TimeoutError.class, () -> Asyncio.timeoutAt(0.5, o -> {
                outer.set(o);
                try {
                    return Asyncio.timeoutAt(0.5, i -> {
                        inner.set(i);
                        Asyncio.sleep(10);
                        return null;
                    });
                } catch (CancelledError ce) {
                    events.add("inner scope let the CancelledError through, cancelling=" + current().cancelling());
                    throw ce;
                }
            }));
            assertEquals(List.of("inner scope let the CancelledError through, cancelling=1"), events);
            assertTrue(outer.get().expired());
            assertTrue(inner.get().expired());
            assertEquals(0.5, now());
            assertEquals(0, current().cancelling());
        });
    }

    @Test
    void innerTimeoutExpiringWhileTheOuterAlsoExpiresLetsOnlyTheOuterRaise() {
        // test_nested_timeouts_loop_busy, on virtual time: the body holds the inner's cancel until the outer expires
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(1.0, () -> {
                try {
                    Asyncio.timeout(0.25, () -> {
                        try {
                            Asyncio.sleep(10);
                        } catch (CancelledError first) {
                            events.add("inner expired at " + now());
                            Asyncio.sleep(10); // cleanup that the outer deadline interrupts
                        }
                    });
                    events.add("inner scope returned");
                } catch (TimeoutError e) {
                    events.add("inner TimeoutError");
                } catch (CancelledError e) {
                    events.add("CancelledError through the inner at " + now() + ", cancelling="
                            + current().cancelling());
                    throw e;
                }
                Asyncio.sleep(10);
            }));
            assertEquals(List.of("inner expired at 0.25", "CancelledError through the inner at 1.0, cancelling=1"),
                    events);
            assertEquals(1.0, now());
            assertEquals(0, current().cancelling());
        });
    }

    @Test
    void outerExpiringWhileTheInnerScopeIsActivePassesThroughTheInner() {
        // test_nested_timeouts_concurrent
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.002, () -> {
                try {
                    Asyncio.timeout(0.1, () -> Asyncio.sleep(1));
                } catch (CancelledError e) {
                    events.add("inner let it through at " + now());
                    throw e;
                }
            }));
            assertEquals(List.of("inner let it through at 0.002"), events);
        });
    }

    @Test
    void innerTimeoutInAFinallyBlockOfAnExpiredScopeRaisesItsOwnTimeoutError() {
        // test_nested_timeout_in_finally
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.5, () -> {
                try {
                    Asyncio.sleep(1);
                } finally {
                    assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.5, () -> Asyncio.sleep(10)));
                    events.add("inner timed out at " + now() + ", cancelling=" + current().cancelling());
                }
            }));
            assertEquals(List.of("inner timed out at 1.0, cancelling=1"), events);
            assertEquals(0, current().cancelling());
        });
    }

    // ---- timeouts after a cancellation (test_timeout_after_cancellation, ...) ----------------------------

    @Test
    void zeroTimeoutAfterACaughtCancellationStillRaisesTimeoutError() {
        // test_timeout_after_cancellation
        runVirtual(() -> {
            Task<String> task = Asyncio.createTask(() -> {
                try {
                    current().cancel();
                    Asyncio.sleep(1);
                } catch (CancelledError e) {
                    // swallowed, not uncancelled: cancelling() stays 1
                }
                assertEquals(1, current().cancelling());
                assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.0, () -> Asyncio.sleep(1)));
                return "cleanup timed out, cancelling=" + current().cancelling();
            });
            assertEquals("cleanup timed out, cancelling=1", task.await());
        });
    }

    @Test
    void cancelInsideATimeoutAfterACaughtCancellationPropagates() {
        // test_cancel_in_timeout_after_cancellation
        runVirtual(() -> {
            Task<String> task = Asyncio.createTask(() -> {
                try {
                    current().cancel();
                    Asyncio.sleep(1);
                } catch (CancelledError e) {
                    // swallowed
                }
                assertThrows(CancelledError.class, () -> Asyncio.timeout(1.0, () -> {
                    current().cancel();
                    Asyncio.sleep(2);
                }));
                return "cancelling=" + current().cancelling();
            });
            assertEquals("cancelling=2", task.await());
            assertEquals(0.0, now());
        });
    }

    @Test
    void zeroTimeoutDoesNotSwallowACancelThatWasPendingWhenItBegan() {
        // Deliberate difference (gh-134471): asyncio 3.14 raises TimeoutError here and the earlier cancel is lost.
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> task = Asyncio.createTask(() -> {
                current().cancel("earlier");
                try {
                    Asyncio.timeout(0.0, () -> Asyncio.sleep(1));
                } catch (TimeoutError e) {
                    events.add("TimeoutError");
                } catch (CancelledError e) {
                    events.add("CancelledError, cancelling=" + current().cancelling());
                    throw e;
                }
                events.add("went on");
            });
            awaitCancelled(task);
            assertEquals(List.of("CancelledError, cancelling=1"), events);
            assertTrue(task.cancelled());
        });
    }

    // ---- the Timeout object: when(), reschedule(), expired() ---------------------------------------------

    @Test
    void rescheduleMovesAndRemovesTheDeadlineFromAnotherTask() {
        // test_reschedule
        runVirtual(() -> {
            Future<Timeout> entered = Asyncio.getRunningLoop().createFuture();
            Task<Void> task = Asyncio.createTask(() -> Asyncio.timeoutAt(10.0, t -> {
                entered.setResult(t);
                Asyncio.sleep(50);
                return null;
            }));
            Timeout cm = entered.await();
            assertEquals(OptionalDouble.of(10.0), cm.when());
            cm.reschedule(30.0);
            assertEquals(OptionalDouble.of(30.0), cm.when());
            cm.reschedule(OptionalDouble.empty());
            assertEquals(OptionalDouble.empty(), cm.when());
            Asyncio.sleep(40); // past both deadlines: the scope no longer has one
            assertFalse(task.done());
            task.cancel();
            awaitCancelled(task);
            assertFalse(cm.expired());
            assertEquals(40.0, now());
        });
    }

    @Test
    void rescheduleToALaterTimeExtendsTheDeadline() {
        runVirtual(() -> {
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(Duration.ofSeconds(1), t -> {
                Asyncio.sleep(0.5);
                t.reschedule(now() + 2);
                Asyncio.sleep(10);
                return null;
            }));
            assertEquals(2.5, now());
        });
    }

    @Test
    void rescheduleToThePastExpiresTheScopeAtOnce() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(Duration.ofSeconds(10), t -> {
                Asyncio.sleep(1);
                t.reschedule(0.5);
                events.add("expired right after reschedule: " + t.expired());
                Asyncio.sleep(0);
                events.add("not reached");
                return null;
            }));
            assertEquals(List.of("expired right after reschedule: false"), events);
            assertEquals(1.0, now());
        });
    }

    @Test
    void rescheduleAfterTheScopeEndedIsAnIllegalStateException() {
        // test_timeout_finished
        runVirtual(() -> {
            Timeout cm = Asyncio.timeout(Duration.ofMillis(10), t -> t);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cm.reschedule(0.02));
            assertTrue(e.getMessage().contains("exited"), e.getMessage());
            assertFalse(cm.expired());
        });
    }

    @Test
    void rescheduleOfAnExpiredScopeIsAnIllegalStateException() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            AtomicReference<Timeout> scope = new AtomicReference<>();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(Duration.ofMillis(500), t -> {
                scope.set(t);
                try {
                    Asyncio.sleep(1);
                } finally {
                    events.add("expired=" + t.expired());
                    IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.reschedule(5.0));
                    events.add(e.getMessage());
                }
                return null;
            }));
            assertEquals(List.of("expired=true", "Cannot change the deadline of a Timeout that is expiring"), events);
            assertThrows(IllegalStateException.class, () -> scope.get().reschedule(5.0));
            assertThrows(IllegalStateException.class, () -> scope.get().reschedule(OptionalDouble.empty()));
            assertTrue(scope.get().expired());
        });
    }

    @Test
    void rescheduleToNaNIsRejected() {
        runVirtual(() -> Asyncio.timeout(Duration.ofSeconds(1), t -> {
            assertThrows(IllegalArgumentException.class, () -> t.reschedule(Double.NaN));
            assertEquals(OptionalDouble.of(1.0), t.when());
            return null;
        }));
    }

    @Test
    void toStringShowsTheDeadlineAndTheState() {
        // test_repr_active, test_repr_expired, test_repr_finished, test_repr_disabled
        runVirtual(() -> {
            Timeout active = Asyncio.timeout(Duration.ofSeconds(10), t -> {
                assertEquals("Timeout[when=10.0, entered]", t.toString());
                return t;
            });
            assertEquals("Timeout[when=10.0, exited]", active.toString());
            Asyncio.timeout((Duration) null, t -> {
                assertEquals("Timeout[when=none, entered]", t.toString());
                return null;
            });
            AtomicReference<Timeout> expired = new AtomicReference<>();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(Duration.ofMillis(500), t -> {
                expired.set(t);
                Asyncio.sleep(1);
                return null;
            }));
            assertEquals("Timeout[when=0.5, expired]", expired.get().toString());
        });
    }

    @Test
    void timeoutOutsideATaskIsRejected() {
        // test_timeout_without_task
        runVirtual(() -> {
            Future<Throwable> seen = Asyncio.getRunningLoop().createFuture();
            Asyncio.getRunningLoop().callSoon(() -> {
                try {
                    Asyncio.timeout(1.0, () -> "never");
                    seen.setResult(null);
                } catch (Throwable e) {
                    seen.setResult(e);
                }
            });
            IllegalStateException e = assertInstanceOf(IllegalStateException.class, seen.await());
            assertTrue(e.getMessage().contains("Asyncio.timeout() must be called inside a task"), e.getMessage());
        });
    }
}
