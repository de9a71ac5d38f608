package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import static io.asyncio4j.TestLoops.now;
import static io.asyncio4j.TestLoops.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Timeout scopes opened with the same delay share one timer ({@link TimeoutLanes}); on virtual time, each still
 * expires exactly at its own deadline, in the order one timer per scope would give, and a lane with no open scope
 * keeps nothing in the loop's timer heap.
 */
class TimeoutLanesTest {

    /** Runs {@code delay}-scoped sleeps of {@code sleep} s started at {@code starts}; "start->outcome@time" each. */
    private static List<String> scopes(Duration delay, double sleep, double... starts) {
        return runVirtual(() -> {
            List<String> events = new ArrayList<>();
            TaskGroup.run(tg -> {
                for (double start : starts) {
                    tg.createTask(() -> {
                        Asyncio.sleep(start);
                        try {
                            Asyncio.timeout(delay, () -> {
                                Asyncio.sleep(sleep);
                                return null;
                            });
                            events.add(start + "->done@" + now());
                        } catch (TimeoutError e) {
                            events.add(start + "->timeout@" + now());
                        }
                    });
                }
                return null;
            });
            return events;
        });
    }

    @Test
    void scopesOfOneDelayOpenedAtDifferentTimesEachExpireAtTheirOwnDeadline() {
        assertEquals(List.of("0.0->timeout@10.0", "2.0->timeout@12.0", "3.5->timeout@13.5"),
                scopes(Duration.ofSeconds(10), 100, 0, 2, 3.5));
    }

    @Test
    void scopesOfOneDelayDueAtTheSameTimeAllExpireInOneIterationAsTimersOfTheirOwnWould() {
        // timers due together run in one iteration; so when the first timed-out task runs again, the second
        // has already been cancelled (it has not run since)
        assertEquals(List.of("first sees the second cancelling 1"), runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<?>[] second = new Task<?>[1];
            TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    try {
                        Asyncio.timeout(Duration.ofSeconds(3), () -> Asyncio.sleep(50));
                    } catch (TimeoutError e) {
                        events.add("first sees the second cancelling " + second[0].cancelling());
                    }
                });
                second[0] = tg.createTask(() -> {
                    try {
                        Asyncio.timeout(Duration.ofSeconds(3), () -> Asyncio.sleep(50));
                    } catch (TimeoutError e) {
                        // expected: both expire at 3
                    }
                });
                return null;
            });
            return events;
        }));
    }

    @Test
    void aScopeBehindOnesThatClosedEarlyStillExpiresAtItsDeadline() {
        // the lane's timer is left at the deadline of the first scope, which closed: it fires early and re-arms
        List<String> events = runVirtual(() -> {
            List<String> seen = new ArrayList<>();
            Asyncio.timeout(Duration.ofSeconds(10), () -> Asyncio.sleep(1)); // 0..1, deadline 10
            Asyncio.timeout(Duration.ofSeconds(10), () -> Asyncio.sleep(1)); // 1..2, deadline 11
            try {
                Asyncio.timeout(Duration.ofSeconds(10), () -> Asyncio.sleep(100)); // from 2: deadline 12
            } catch (TimeoutError e) {
                seen.add("timeout@" + now());
            }
            return seen;
        });
        assertEquals(List.of("timeout@12.0"), events);
    }

    @Test
    void aScopeThatEndsBeforeItsDeadlineDoesNotExpireAndTheOthersAreUnaffected() {
        assertEquals(List.of("0.0->timeout@4.0", "1.0->done@6.0", "2.5->timeout@6.5"), runVirtual(() -> {
            List<String> events = new ArrayList<>();
            TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    try {
                        Asyncio.timeout(Duration.ofSeconds(4), () -> Asyncio.sleep(50));
                    } catch (TimeoutError e) {
                        events.add("0.0->timeout@" + now());
                    }
                });
                tg.createTask(() -> {
                    Asyncio.sleep(1);
                    Asyncio.timeout(Duration.ofSeconds(4), () -> Asyncio.sleep(1)); // the middle scope closes at 2
                    Asyncio.sleep(4);
                    events.add("1.0->done@" + now());
                });
                tg.createTask(() -> {
                    Asyncio.sleep(2.5);
                    try {
                        Asyncio.timeout(Duration.ofSeconds(4), () -> Asyncio.sleep(50));
                    } catch (TimeoutError e) {
                        events.add("2.5->timeout@" + now());
                    }
                });
                return null;
            });
            return events;
        }));
    }

    @Test
    void aScopeWhoseDeadlineEqualsASleepOpenedAfterItExpiresFirstAsWithATimerOfItsOwn() {
        // the sleep ends at the deadline; the scope was opened first, so its expiry runs first and the body is
        // cancelled: TimeoutError, also when the lane's timer was re-armed for this scope after an earlier one closed
        assertEquals(List.of("0.0->timeout@5.0", "1.0->timeout@6.0", "3.0->timeout@8.0"),
                scopes(Duration.ofSeconds(5), 5, 0, 1, 3));
    }

    @Test
    void aRescheduledScopeLeavesItsLaneAndExpiresAtItsNewDeadline() {
        List<String> events = runVirtual(() -> {
            List<String> seen = new ArrayList<>();
            TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    try {
                        Asyncio.timeout(Duration.ofSeconds(10), t -> {
                            t.reschedule(now() + 3);
                            Asyncio.sleep(100);
                            return null;
                        });
                    } catch (TimeoutError e) {
                        seen.add("moved->timeout@" + now());
                    }
                });
                tg.createTask(() -> {
                    Asyncio.sleep(1);
                    try {
                        Asyncio.timeout(Duration.ofSeconds(10), t -> {
                            t.reschedule(OptionalDouble.empty());
                            Asyncio.sleep(20);
                            return null;
                        });
                        seen.add("unbounded->done@" + now());
                    } catch (TimeoutError e) {
                        seen.add("unbounded->timeout@" + now());
                    }
                });
                tg.createTask(() -> {
                    Asyncio.sleep(2);
                    try {
                        Asyncio.timeout(Duration.ofSeconds(10), () -> Asyncio.sleep(100));
                    } catch (TimeoutError e) {
                        seen.add("laned->timeout@" + now());
                    }
                });
                return null;
            });
            return seen;
        });
        assertEquals(List.of("moved->timeout@3.0", "laned->timeout@12.0", "unbounded->done@21.0"), events);
    }

    @Test
    void aLaneWithNoOpenScopeKeepsNoTimerSoVirtualTimeDoesNotJumpToAClosedScopesDeadline() {
        runVirtual(() -> {
            Asyncio.timeout(Duration.ofSeconds(30), () -> Asyncio.sleep(1));
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Double> woken = loop.createFuture();
            // only another thread can wake this loop now (after a pause in which the loop goes idle): with a live
            // timer of the closed scope left in the heap, virtual time would first jump to its deadline, 31
            Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                loop.callSoonThreadsafe(() -> woken.setResult(loop.time()));
            });
            double at = woken.await();
            assertTrue(at < 30, "the loop jumped to the closed scope's deadline: woken at " + at);
        });
    }

    @Test
    void scopesOfManyDifferentDelaysEachExpireOnTimeBeyondTheLanesOfALoop() {
        List<String> events = runVirtual(() -> {
            List<String> seen = new ArrayList<>();
            TaskGroup.run(tg -> {
                for (int i = 1; i <= 20; i++) { // more delays than a loop keeps lanes for
                    int s = i;
                    tg.createTask(() -> {
                        try {
                            Asyncio.timeout(s, () -> Asyncio.sleep(1000));
                        } catch (TimeoutError e) {
                            seen.add(s + "@" + now());
                        }
                    });
                }
                return null;
            });
            return seen;
        });
        assertEquals(20, events.size());
        for (int i = 1; i <= 20; i++) {
            assertEquals(i + "@" + (double) i, events.get(i - 1));
        }
    }

    @Test
    void aZeroOrNegativeDelayExpiresAtOnceAsBefore() {
        runVirtual(() -> {
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(Duration.ZERO, () -> Asyncio.sleep(1)));
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(Duration.ofSeconds(-1), () -> Asyncio.sleep(1)));
            assertEquals(0.0, now());
        });
    }
}
