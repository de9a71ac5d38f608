package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static io.asyncio4j.sync.SyncTests.runVirtual;

/**
 * Randomised stress test of {@link Semaphore}, {@link BoundedSemaphore} and {@link Lock}: hundreds of
 * tasks on virtual time take and give back permits in every way the API offers ({@code acquire},
 * {@code hold}, {@code tryAcquire}, under {@code Asyncio.timeout}, {@code waitFor} on the call and on a task),
 * while a chaos task cancels random tasks (once, twice, or cancel and at once uncancel) and the tasks
 * themselves time out, swallow some cancellations and die of others.
 *
 * <p>Checked throughout: never more holders than permits; free permits plus holders never above the
 * permits; no free permit while a task waits for one (a lost wake-up); tasks that waited are served in
 * arrival order; {@code tryAcquire} succeeds exactly when {@code acquire} would not wait. Checked at the
 * end: every task finished (none stuck), every permit is back ({@code value() == initial}, unlocked), no
 * waiter left, and the run did exercise waits, timeouts and cancels. Seeds and sizes: {@link StressSeeds}.
 */
class SyncStressTest {
    private static final int TASKS = 300;
    private static final int ROUNDS = 8;
    /** Virtual seconds after which tasks still running are reported as stuck. */
    private static final double DEADLINE = 100_000;
    // Discrete times (whole milliseconds), so that timer expiries often coincide with releases.
    private static final double[] TIMEOUTS = {0, 0.001, 0.002, 0.003, 0.005, 0.010, 0.050, 0.200, 1.0};
    private static final double[] HOLD_TIMES = {0, 0, 0.001, 0.002, 0.003, 0.005};
    private static final double[] GAPS = {0, 0.001, 0.002, 0.004};

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.asyncio4j.sync.StressSeeds#seeds")
    void semaphorePermitsAreNeverLostNorDuplicated(long seed) {
        StressSeeds.replayable("Semaphore", seed, () -> {
            Random rnd = new Random(seed);
            int permits = 1 + rnd.nextInt(6);
            new Scenario(rnd, Permits.of(new Semaphore(permits), permits)).run();
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.asyncio4j.sync.StressSeeds#seeds")
    void boundedSemaphoreIsNeverReleasedMoreThanAcquired(long seed) {
        StressSeeds.replayable("BoundedSemaphore", seed, () -> {
            Random rnd = new Random(~seed);
            int permits = 1 + rnd.nextInt(6);
            new Scenario(rnd, Permits.of(new BoundedSemaphore(permits), permits)).run();
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.asyncio4j.sync.StressSeeds#seeds")
    void lockIsHeldByOneTaskAtATime(long seed) {
        StressSeeds.replayable("Lock", seed, () -> new Scenario(new Random(seed), Permits.of(new Lock())).run());
    }

    /** What the scenario needs of a primitive that hands out permits. */
    private interface Permits {
        int capacity();

        int free();

        boolean wouldWait();

        void acquire();

        boolean tryAcquire();

        void release();

        Held hold();

        static Permits of(Semaphore s, int permits) {
            return new Permits() {
                public int capacity() { return permits; }
                public int free() { return s.value(); }
                public boolean wouldWait() { return s.locked(); }
                public void acquire() { s.acquire(); }
                public boolean tryAcquire() { return s.tryAcquire(); }
                public void release() { s.release(); }
                public Held hold() { return s.hold(); }
                @Override public String toString() { return s.toString(); }
            };
        }

        static Permits of(Lock l) {
            return new Permits() {
                public int capacity() { return 1; }
                public int free() { return l.locked() ? 0 : 1; }
                public boolean wouldWait() { return l.locked(); }
                public void acquire() { l.acquire(); }
                public boolean tryAcquire() { return l.tryAcquire(); }
                public void release() { l.release(); }
                public Held hold() { return l.hold(); }
                @Override public String toString() { return l.toString(); }
            };
        }
    }

    /** One seeded run. Every field is used on the loop thread only (tasks run one at a time). */
    private static final class Scenario {
        private final Random rnd;
        private final Permits permits;
        private final int tasks = TASKS * StressSeeds.scale();
        private final int rounds = ROUNDS * StressSeeds.scale();
        private final List<Task<Void>> workers = new ArrayList<>();
        // the tasks that acquire for a worker under waitFor (mode 4)
        private final List<Task<Boolean>> inners = new ArrayList<>();
        // tasks whose wait may have been ended by a cancel that chaos withdrew at once: their resumption
        // order says nothing about the hand-off order, so their next grant is not checked for FIFO
        private final Set<Task<?>> perturbed = new HashSet<>();
        // the tasks inside acquire() that may wait, by ticket: the first is the next to be handed a permit
        private final TreeMap<Long, Task<?>> waiting = new TreeMap<>();
        // workers inside waitFor(inner task), with that task
        private final Map<Task<?>, Task<Boolean>> inWaitFor = new LinkedHashMap<>();
        private int holders;
        private long nextTicket;
        private long lastGrantedTicket = -1;
        private int waited;
        private int acquired;
        private int timeouts;
        private int cancels;
        private int deaths;
        private int recovered;
        // set when the main task leaves, normally or not: from then on no task swallows a cancel, so that the
        // runner's close (which cancels what is left) ends
        private boolean ending;

        Scenario(Random rnd, Permits permits) {
            this.rnd = rnd;
            this.permits = permits;
        }

        void run() {
            runVirtual(() -> {
                try {
                    scenario();
                } finally {
                    ending = true;
                }
            });
        }

        private void scenario() {
            for (int i = 0; i < tasks; i++) {
                workers.add(Asyncio.createTask(this::worker, "worker-" + i));
            }
            Task<Void> chaos = Asyncio.createTask(this::chaos, "chaos");
            try {
                Asyncio.timeout(DEADLINE, () -> {
                    Asyncio.wait(new ArrayList<>(workers));
                    Asyncio.wait(new ArrayList<>(inners));
                    Asyncio.sleep(0); // the done callbacks of the last inner tasks
                });
            } catch (TimeoutError e) {
                throw new AssertionError(stuck() + " tasks still running after " + DEADLINE
                        + " virtual seconds: " + permits + ", holders " + holders);
            }
            chaos.await();
            for (Task<Void> w : workers) {
                if (!w.cancelled() && w.exception() != null) {
                    throw new AssertionError(w.getName() + " failed: " + w.exception(), w.exception());
                }
                // a worker uncancels every cancel it sees: one that ends normally has seen them all
                check(w.cancelled() || w.cancelling() == 0, w.getName() + " ended with a cancel request it never saw");
            }
            checkInvariants("at the end");
            check(holders == 0, "holders left at the end: " + holders);
            check(permits.free() == permits.capacity(), "permits lost: " + permits.free() + " free of "
                    + permits.capacity() + ": " + permits);
            check(!permits.wouldWait(), "still locked at the end: " + permits);
            check(permits.toString().endsWith("waiters=0]"), "waiters left at the end: " + permits);
            check(waited > 0 && timeouts > 0 && cancels > 0 && deaths > 0 && acquired > tasks,
                    "the run exercised too little: " + stats());
        }

        private void worker() {
            Task<?> me = Asyncio.currentTask();
            for (int round = 0; round < rounds; round++) {
                try {
                    Asyncio.sleep(pick(GAPS));
                    switch (rnd.nextInt(8)) {
                        case 0 -> {
                            acquire();
                            useAndRelease();
                        }
                        case 1 -> {
                            Held held = hold();
                            try (held) {
                                use();
                            }
                        }
                        case 2 -> {
                            Asyncio.timeout(pick(TIMEOUTS), this::acquire);
                            useAndRelease();
                        }
                        case 3 -> {
                            Asyncio.waitFor(() -> {
                                acquire();
                                return true;
                            }, pick(TIMEOUTS));
                            useAndRelease();
                        }
                        case 4 -> acquireInATaskWithWaitFor();
                        case 5 -> {
                            boolean free = !permits.wouldWait();
                            boolean took = permits.tryAcquire();
                            check(took == free, "tryAcquire() returned " + took + " while acquire() would "
                                    + (free ? "not " : "") + "wait: " + permits);
                            if (took) {
                                granted(-1);
                                useAndRelease();
                            }
                        }
                        case 6 -> Asyncio.timeout(pick(TIMEOUTS), () -> {
                            acquire();
                            useAndRelease();
                        });
                        default -> {
                            // A task that cancels itself and then acquires: with a permit free, acquire() takes it
                            // without waiting (asyncio's fast path does not yield either) and the cancel comes at the
                            // next wait; else the pending cancel is raised at once, before the task joins the queue.
                            boolean wouldWait = permits.wouldWait();
                            int free = permits.free();
                            me.cancel();
                            try {
                                acquire();
                            } catch (CancelledError e) {
                                check(wouldWait, "acquire() raised a pending cancel although a permit was free");
                                check(permits.free() == free, "acquire() raising a pending cancel changed the permits");
                                throw e;
                            }
                            check(!wouldWait, "acquire() with a cancel pending and no permit free returned");
                            useAndRelease();
                        }
                    }
                } catch (TimeoutError e) {
                    timeouts++;
                } catch (CancelledError e) {
                    cancels++;
                    if (ending || rnd.nextInt(6) == 0) {
                        deaths++;
                        throw e;
                    }
                    while (me.cancelling() > 0) {
                        me.uncancel();
                    }
                }
            }
        }

        /**
     * waitFor on a task that acquires. If waitFor raises, that task may still get (or have got) the permit:
     * its deadline or a cancel may come after the task acquired and before this one resumed, and a cancel
     * of this task during a zero timeout does not wait for the inner task to end (asyncio's
     * _cancel_and_wait neither). The permit is then given back once the inner task is done.
     */
    private void acquireInATaskWithWaitFor() {
        Task<Boolean> inner = Asyncio.createTask(() -> {
            acquire();
            return true;
        });
        inners.add(inner);
        Task<?> me = Asyncio.currentTask();
        inWaitFor.put(me, inner);
        try {
            Asyncio.waitFor(inner, Duration.ofNanos((long) (pick(TIMEOUTS) * 1e9)));
        } catch (TimeoutError | CancelledError e) {
            if (inner.done()) {
                settleOrphan(inner);
            } else {
                inner.addDoneCallback(f -> settleOrphan(inner));
            }
            throw e;
        } finally {
            inWaitFor.remove(me);
        }
        useAndRelease();
    }

    private void settleOrphan(Task<Boolean> inner) {
        if (!inner.cancelled() && inner.exception() == null) {
            recovered++;
            releaseHeld();
        }
    }

    private void acquire() {
            Task<?> me = Asyncio.currentTask();
            perturbed.remove(me);
            long ticket = permits.wouldWait() ? nextTicket++ : -1;
            if (ticket >= 0) {
                waiting.put(ticket, me);
            }
            try {
                permits.acquire();
            } finally {
                waiting.remove(ticket);
            }
            granted(perturbed.remove(me) ? -1 : ticket);
        }

        private Held hold() {
            Task<?> me = Asyncio.currentTask();
            perturbed.remove(me);
            long ticket = permits.wouldWait() ? nextTicket++ : -1;
            if (ticket >= 0) {
                waiting.put(ticket, me);
            }
            Held held;
            try {
                held = permits.hold();
            } finally {
                waiting.remove(ticket);
            }
            granted(perturbed.remove(me) ? -1 : ticket);
            return () -> {
                holders--;
                held.close();
                checkInvariants("after a release");
            };
        }

        /** A permit was taken: by a task that waited with {@code ticket}, or at once ({@code -1}). */
        private void granted(long ticket) {
            acquired++;
            holders++;
            if (ticket >= 0) {
                waited++;
                check(ticket > lastGrantedTicket, "task with ticket " + ticket + " was served after ticket "
                        + lastGrantedTicket + ": not in arrival order");
                lastGrantedTicket = ticket;
            }
            checkInvariants("after an acquire");
        }

        private void use() {
            Asyncio.sleep(pick(HOLD_TIMES));
        }

        private void useAndRelease() {
            try {
                use();
            } finally {
                releaseHeld();
            }
        }

        private void releaseHeld() {
            holders--;
            permits.release();
            checkInvariants("after a release");
        }

        /**
         * Cancels random tasks at random times, and aims at the two windows where a cancel is hardest to get
         * right: the first waiter in the queue (the next to be handed a permit, maybe handed one already and
         * not resumed yet), and a worker in waitFor whose inner task has just acquired.
         */
        private void chaos() {
            int steps = 0;
            while (stuck() > 0 && steps++ < 20 * tasks) {
                Asyncio.sleep(pick(GAPS));
                checkInvariants("in the chaos task");
                Task<?> victim = switch (rnd.nextInt(4)) {
                    case 0 -> waiting.isEmpty() ? null : waiting.firstEntry().getValue();
                    case 1 -> inWaitFor.entrySet().stream().filter(e -> e.getValue().done()).map(Map.Entry::getKey)
                            .findFirst().orElse(null);
                    default -> workers.get(rnd.nextInt(workers.size()));
                };
                if (victim == null) {
                    continue;
                }
                switch (rnd.nextInt(6)) {
                    case 0, 1, 2 -> victim.cancel();
                    case 3 -> {
                        victim.cancel();
                        victim.cancel();
                    }
                    case 4 -> {
                        if (victim.cancel()) {
                            victim.uncancel();
                            perturbed.add(victim);
                        }
                    }
                    default -> {
                    }
                }
            }
        }

        private void checkInvariants(String where) {
            int free = permits.free();
            check(holders >= 0 && holders <= permits.capacity(), where + ": " + holders + " holders of "
                    + permits.capacity() + " permits");
            check(free >= 0 && free + holders <= permits.capacity(), where + ": " + free + " free permits and "
                    + holders + " holders, more than the " + permits.capacity() + " permits: " + permits);
            check(free == 0 || !permits.wouldWait(), where + ": a permit is free while tasks wait: " + permits);
        }

        private int stuck() {
            int n = 0;
            for (Task<Void> w : workers) {
                n += w.done() ? 0 : 1;
            }
            return n;
        }

        private double pick(double[] values) {
            return values[rnd.nextInt(values.length)];
        }

        private String stats() {
            return "acquired " + acquired + " (after waiting " + waited + "), timeouts " + timeouts + ", cancels "
                    + cancels + ", deaths " + deaths + ", permits recovered from waitFor tasks " + recovered;
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
