package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.asyncio4j.sync.SyncTests.now;
import static io.asyncio4j.sync.SyncTests.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RateLimiter}: a token bucket on the loop clock, exact on virtual time. */
class RateLimiterTest {

    @Test
    void elevenBackToBackAcquiresAtTenPerSecondFinishAtOneSecondExactly() {
        runVirtual(() -> {
            RateLimiter limiter = RateLimiter.perSecond(10);
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                limiter.acquire();
                times.add(now());
            }
            assertEquals(List.of(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0), times);
        });
    }

    @Test
    void concurrentAcquiresAreServedInArrivalOrderOneTokenApart() {
        runVirtual(() -> {
            RateLimiter limiter = RateLimiter.perSecond(10);
            List<String> events = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> {
                    limiter.acquire();
                    events.add(n + " at " + now());
                }));
            }
            Asyncio.gather(tasks);
            assertEquals(List.of("0 at 0.0", "1 at 0.1", "2 at 0.2", "3 at 0.3"), events);
        });
    }

    @Test
    void aRateThatDoesNotDivideASecondStaysExact() {
        runVirtual(() -> {
            RateLimiter limiter = RateLimiter.perSecond(3);
            for (int i = 0; i < 4; i++) {
                limiter.acquire();
            }
            assertEquals(1.0, now());
            for (int i = 0; i < 30; i++) {
                limiter.acquire();
            }
            assertEquals(11.0, now());
        });
    }

    @Test
    void slowAndOddRatesStayExactOverManyTokens() {
        runVirtual(() -> {
            RateLimiter seven = RateLimiter.perSecond(7);
            for (int i = 0; i < 71; i++) {
                seven.acquire();
            }
            assertEquals(10.0, now());
            RateLimiter half = RateLimiter.perSecond(0.5);
            half.acquire();
            half.acquire();
            assertEquals(12.0, now());
        });
    }

    @Test
    void aBurstAllowsThatManyAtOnceThenTheRate() {
        runVirtual(() -> {
            RateLimiter limiter = RateLimiter.of(4, 3);
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                limiter.acquire();
                times.add(now());
            }
            assertEquals(List.of(0.0, 0.0, 0.0, 0.25, 0.5), times);
        });
    }

    @Test
    void theBucketStartsFullAndTakingTokensThatAreThereDoesNotSwitchTasks() {
        runVirtual(() -> {
            RateLimiter limiter = RateLimiter.of(1, 3);
            List<String> events = new ArrayList<>();
            Task<Void> other = Asyncio.createTask(() -> {
                events.add("other ran");
            });
            limiter.acquire();
            limiter.acquire(2);
            events.add("three tokens taken");
            assertFalse(limiter.tryAcquire());
            other.await();
            assertEquals(List.of("three tokens taken", "other ran"), events);
            assertEquals(0.0, now());
        });
    }

    @Test
    void anIdleBucketFillsUpToItsBurstOnly() {
        runVirtual(() -> {
            RateLimiter limiter = RateLimiter.of(10, 2);
            limiter.acquire(2);
            Asyncio.sleep(60);
            assertTrue(limiter.tryAcquire(2));
            assertFalse(limiter.tryAcquire());
            limiter.acquire();
            assertEquals(60.1, now(), 1e-12);
        });
    }

    @Test
    void refundedTokensServeAWaiterAtOnceButNeverFillTheBucketBeyondItsBurst() {
        runVirtual(() -> {
            RateLimiter limiter = RateLimiter.of(10, 100);
            limiter.acquire(100);
            Task<Double> waiter = Asyncio.createTask(() -> {
                limiter.acquire(30);
                return now();
            });
            Asyncio.sleep(0.5); // 5 tokens came back by refill; the waiter still lacks 25
            limiter.refund(40); // an estimate of 40 that turned out unused
            assertEquals(0.5, waiter.await(), 1e-12);
            limiter.refund(100); // more than was ever taken: the bucket holds its burst, no more
            assertTrue(limiter.tryAcquire(100));
            assertFalse(limiter.tryAcquire());
            assertThrows(IllegalArgumentException.class, () -> limiter.refund(0));
        });
    }

    @Test
    void aWaiterAskingForManyTokensIsNotOvertakenByLaterSmallRequests() {
        runVirtual(() -> {
            RateLimiter limiter = RateLimiter.of(1, 5);
            limiter.acquire(5);
            List<String> events = new ArrayList<>();
            Task<Void> big = Asyncio.createTask(() -> {
                limiter.acquire(5);
                events.add("big at " + now());
            });
            Asyncio.sleep(1);
            Task<Void> small = Asyncio.createTask(() -> {
                limiter.acquire(1);
                events.add("small at " + now());
            });
            Asyncio.sleep(1);
            assertFalse(limiter.tryAcquire(), "a token is there, but big waits for it");
            Asyncio.gather(List.of(big, small));
            assertEquals(List.of("big at 5.0", "small at 6.0"), events);
        });
    }

    @Test
    void whenTheFirstWaiterIsCancelledTheNextIsServedAsSoonAsItsTokensAreThere() {
        runVirtual(() -> {
            RateLimiter limiter = RateLimiter.of(1, 5);
            limiter.acquire(5);
            List<String> events = new ArrayList<>();
            Task<Void> big = Asyncio.createTask(() -> limiter.acquire(5));
            Task<Void> small = Asyncio.createTask(() -> {
                limiter.acquire(2);
                events.add("small at " + now());
            });
            Asyncio.sleep(1.5);
            big.cancel();
            assertThrows(CancelledError.class, big::await);
            small.await();
            assertEquals(List.of("small at 2.0"), events);
        });
    }

    @Test
    void aWaiterCancelledAfterItWasHandedItsTokensGivesThemBack() {
        runVirtual(() -> {
            RateLimiter limiter = RateLimiter.perSecond(1);
            limiter.acquire();
            List<String> events = new ArrayList<>();
            Task<Void> first = Asyncio.createTask(() -> limiter.acquire());
            Task<Void> second = Asyncio.createTask(() -> {
                limiter.acquire();
                events.add("second at " + now());
            });
            Asyncio.sleep(0.5);
            // Due with the limiter's timer, after it: runs once the token is handed to `first`, before it resumes.
            Asyncio.getRunningLoop().callAt(1.0, first::cancel);
            assertThrows(CancelledError.class, first::await);
            second.await();
            assertEquals(List.of("second at 1.0"), events);
            assertFalse(limiter.tryAcquire());
        });
    }

    @Test
    void aTimeoutAroundAcquireEitherTakesTheTokensOrRaises() {
        runVirtual(() -> {
            RateLimiter limiter = RateLimiter.perSecond(2);
            limiter.acquire();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.25, () -> limiter.acquire()));
            Asyncio.timeout(0.3, () -> limiter.acquire()); // t = 0.25: the token is due at 0.5
            assertEquals(0.5, now());
            assertFalse(limiter.tryAcquire());
        });
    }

    @Test
    void aFreshWaiterBehindACancelledOneStillGetsATimer() {
        runVirtual(() -> {
            RateLimiter limiter = RateLimiter.perSecond(1);
            limiter.acquire();
            Task<Void> gone = Asyncio.createTask(() -> limiter.acquire());
            Asyncio.sleep(0.25);
            gone.cancel();
            limiter.acquire(); // queued while `gone` is still leaving
            assertEquals(1.0, now());
        });
    }

    @Test
    void badRatesBurstsAndCountsAreIllegalArguments() {
        assertEquals("RateLimiter.perSecond(): rate must be a positive, finite number of tokens per second, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> RateLimiter.perSecond(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> RateLimiter.perSecond(-1));
        assertThrows(IllegalArgumentException.class, () -> RateLimiter.perSecond(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> RateLimiter.of(Double.POSITIVE_INFINITY, 1));
        assertEquals("RateLimiter.of(): burst must be at least 1 token, got 0",
                assertThrows(IllegalArgumentException.class, () -> RateLimiter.of(1, 0)).getMessage());
        RateLimiter limiter = RateLimiter.of(1, 2);
        assertEquals("RateLimiter.acquire(n): n must be at least 1 token, got 0",
                assertThrows(IllegalArgumentException.class, () -> limiter.acquire(0)).getMessage());
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class, () -> limiter.acquire(3));
        assertTrue(tooMany.getMessage().contains("could never be served"), tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> limiter.tryAcquire(3));
    }

    @Test
    void toStringShowsRateBurstTokensAndWaiters() {
        runVirtual(() -> {
            RateLimiter limiter = RateLimiter.perSecond(10);
            assertEquals("RateLimiter[rate=10.0/s, burst=1, tokens=1.0, waiters=0]", limiter.toString());
            limiter.acquire();
            Asyncio.createTask(() -> limiter.acquire());
            Asyncio.createTask(() -> limiter.acquire());
            Asyncio.sleep(0);
            assertEquals("RateLimiter[rate=10.0/s, burst=1, tokens=0.0, waiters=2]", limiter.toString());
            Asyncio.sleep(0.05);
            assertEquals("RateLimiter[rate=10.0/s, burst=1, tokens=0.5, waiters=2]", limiter.toString());
        });
    }

    @Test
    void aRateLimiterFromAPlainThreadIsAClearError() {
        RateLimiter limiter = RateLimiter.perSecond(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, limiter::acquire);
        assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
    }
}
