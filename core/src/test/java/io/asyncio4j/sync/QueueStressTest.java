package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Done;
import io.asyncio4j.Future;
import io.asyncio4j.QueueEmpty;
import io.asyncio4j.QueueFull;
import io.asyncio4j.QueueShutDown;
import io.asyncio4j.ReturnWhen;
import io.asyncio4j.Task;
import io.asyncio4j.ThrowingRunnable;
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
import java.util.concurrent.Callable;
import java.util.function.IntFunction;

import static io.asyncio4j.sync.SyncTests.runVirtual;

/**
 * Randomised stress test of {@link Queue}, {@link PriorityQueue} and {@link LifoQueue}: a hundred producers
 * and a hundred consumers on virtual time move unique items through one queue in every way the API offers
 * ({@code put}, {@code putNowait}, {@code get}, {@code getNowait}, under {@code Asyncio.timeout}, {@code waitFor}
 * on the call and on a task), while a chaos task cancels random tasks (once, twice, or cancel and at once
 * uncancel) and aims at the first waiting getter, the first waiting putter, and {@code waitFor} calls whose
 * inner task has just finished. When every producer is done the queue is shut down; the consumers take what
 * is left and stop at {@link QueueShutDown}.
 *
 * <p>Checked throughout: {@code qsize()} never above {@code maxsize}; {@code empty()} is {@code qsize() == 0};
 * {@code getNowait} raises {@link QueueEmpty} exactly when {@code empty()}, {@code putNowait} raises
 * {@link QueueFull} exactly when {@code full()}; no item is received twice, and none whose put failed.
 * Checked at the end: no task stuck; every item a put reported as done was received by exactly one get, or
 * is still in the queue; {@code join()} returns at once (every item was marked done); no waiter left; the run
 * exercised waits, timeouts and cancels on both sides. Seeds and sizes: {@link StressSeeds}.
 */
class QueueStressTest {
    private static final int PRODUCERS = 100;
    private static final int CONSUMERS = 100;
    private static final int ROUNDS = 8;
    private static final int[] MAXSIZES = {0, 1, 1, 2, 3, 5, 10};
    /** Virtual seconds after which tasks still running are reported as stuck. */
    private static final double DEADLINE = 100_000;
    /** Virtual seconds without any put or get completing, while producers run, reported as a stall. */
    private static final double STALL = 10;
    // Discrete times (whole milliseconds), so that timer expiries often coincide with puts and gets.
    private static final double[] TIMEOUTS = {0, 0.001, 0.002, 0.003, 0.005, 0.010, 0.050, 0.200, 1.0};
    private static final double[] GAPS = {0, 0, 0.001, 0.002, 0.004};

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.asyncio4j.sync.StressSeeds#seeds")
    void queueItemsAreNeverLostNorDuplicated(long seed) {
        StressSeeds.replayable("Queue", seed, () -> run(new Random(seed), Queue::new));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.asyncio4j.sync.StressSeeds#seeds")
    void priorityQueueItemsAreNeverLostNorDuplicated(long seed) {
        StressSeeds.replayable("PriorityQueue", seed, () -> run(new Random(~seed), PriorityQueue::new));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.asyncio4j.sync.StressSeeds#seeds")
    void lifoQueueItemsAreNeverLostNorDuplicated(long seed) {
        StressSeeds.replayable("LifoQueue", seed, () -> run(new Random(seed * 31 + 7), LifoQueue::new));
    }

    private static void run(Random rnd, IntFunction<Queue<Integer>> kind) {
        int maxsize = MAXSIZES[rnd.nextInt(MAXSIZES.length)];
        new Scenario(rnd, kind.apply(maxsize), maxsize).run();
    }

    /** One seeded run. Every field is used on the loop thread only (tasks run one at a time). */
    private static final class Scenario {
        private final Random rnd;
        private final Queue<Integer> q;
        private final int maxsize;
        private final int producers = PRODUCERS * StressSeeds.scale();
        private final int consumers = CONSUMERS * StressSeeds.scale();
        private final int rounds = ROUNDS * StressSeeds.scale();
        private final List<Task<Void>> producerTasks = new ArrayList<>();
        private final List<Task<Void>> consumerTasks = new ArrayList<>();
        private final List<Task<Boolean>> inners = new ArrayList<>();
        // items whose put returned (done), or raised (failed); an item is in at most one of them
        private final Set<Integer> putDone = new HashSet<>();
        private final Set<Integer> putFailed = new HashSet<>();
        // items a get returned (each marked done at once)
        private final Set<Integer> received = new HashSet<>();
        // waiting getters and putters by ticket (taken when the call had to wait): the first is the next served
        private final TreeMap<Long, Task<?>> waitingGetters = new TreeMap<>();
        private final TreeMap<Long, Task<?>> waitingPutters = new TreeMap<>();
        // workers inside waitFor(inner task), with that task
        private final Map<Task<?>, Task<?>> inWaitFor = new LinkedHashMap<>();
        private final Map<String, Integer> stats = new TreeMap<>();
        private int nextItem;
        private long nextTicket;
        private double lastProgress;
        // set when the main task leaves, normally or not: from then on no task swallows a cancel, so that the
        // runner's close (which cancels what is left) ends
        private boolean ending;
        private boolean producing = true;

        Scenario(Random rnd, Queue<Integer> q, int maxsize) {
            this.rnd = rnd;
            this.q = q;
            this.maxsize = maxsize;
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

        private void scenario() throws Exception {
            for (int i = 0; i < consumers; i++) {
                int id = i;
                consumerTasks.add(Asyncio.createTask(() -> consumer(id), "consumer-" + i));
            }
            for (int i = 0; i < producers; i++) {
                producerTasks.add(Asyncio.createTask(this::producer, "producer-" + i));
            }
            Task<Void> chaos = Asyncio.createTask(this::chaos, "chaos");
            awaitProducers();
            producing = false;
            chaos.await();
            // Consumer 0 never stops before the shutdown: with the producers done and five seconds of quiet,
            // it and the others must have taken every item (a buffered item with a getter waiting for it
            // would be a lost wake-up).
            Asyncio.sleep(5);
            checkInvariants("after the producers");
            check(q.empty(), "items left unclaimed with consumers running: " + q);
            // Every slot is free again: maxsize putNowait calls in a row succeed (each hands its item to a
            // waiting consumer or buffers it), as "every permit is back" for a semaphore.
            for (int i = 0; i < maxsize; i++) {
                int slot = i;
                try {
                    putNowait(nextItem++);
                } catch (QueueFull e) {
                    throw new AssertionError("slots lost: only " + slot + " of " + maxsize
                            + " putNowait calls found room in a quiet queue: " + q);
                }
            }
            q.shutdown();
            within("the consumers", () -> {
                Asyncio.wait(new ArrayList<>(consumerTasks));
                Asyncio.wait(new ArrayList<>(inners));
            });
            for (Task<Void> t : producerTasks) {
                checkEnded(t);
            }
            for (Task<Void> t : consumerTasks) {
                checkEnded(t);
            }
            while (true) {
                try {
                    receive(q.getNowait(), "getNowait() after the shutdown");
                } catch (QueueShutDown e) {
                    break;
                }
            }
            check(q.empty() && q.qsize() == 0, "items left after draining a shut-down queue: " + q);
            Set<Integer> lost = new HashSet<>(putDone);
            lost.removeAll(received);
            check(lost.isEmpty(), lost.size() + " items put and never got, e.g. " + first(lost) + ": " + q);
            Asyncio.timeout(0.001, q::join); // every item was marked done: no wait
            check(q.toString().contains("getters=0, putters=0, unfinished=0"), "waiters or work left: " + q);
            check((maxsize <= 0 || count("put waited") > 0) && count("get waited") > 0 && count("timeouts") > 0
                    && count("cancels") > 0 && count("QueueFull") + count("QueueEmpty") > 0
                    && putDone.size() > producers, "the run exercised too little: " + stats + ", " + q);
        }

        private void producer() {
            Task<?> me = Asyncio.currentTask();
            for (int round = 0; round < rounds; round++) {
                int item = nextItem++;
                try {
                    Asyncio.sleep(pick(GAPS));
                    switch (rnd.nextInt(7)) {
                        case 0 -> put(item);
                        case 1 -> putNowait(item);
                        case 2 -> Asyncio.timeout(pick(TIMEOUTS), () -> put(item));
                        case 3 -> Asyncio.waitFor(() -> {
                            put(item);
                            return true;
                        }, pick(TIMEOUTS));
                        case 4 -> inATaskUnderWaitFor(() -> {
                            put(item);
                            return true;
                        });
                        case 5 -> Asyncio.timeout(pick(TIMEOUTS), () -> {
                            put(item);
                            Asyncio.sleep(pick(GAPS)); // a timeout here comes after the put: the item is in
                        });
                        default -> {
                            // a put with a cancel pending adds at once if there is room (no switch), else raises
                            boolean full = q.full();
                            me.cancel();
                            try {
                                put(item);
                            } catch (CancelledError e) {
                                check(full, "put() raised a pending cancel although the queue had room: " + q);
                                throw e;
                            }
                            check(!full, "put() with a cancel pending on a full queue returned");
                            Asyncio.sleep(0); // the cancel is raised here
                        }
                    }
                } catch (QueueFull e) {
                    stat("QueueFull");
                } catch (TimeoutError | CancelledError e) {
                    if (!survives(me, e, true)) {
                        throw e;
                    }
                }
            }
        }

        private void consumer(int id) {
            Task<?> me = Asyncio.currentTask();
            while (true) {
                try {
                    Asyncio.sleep(pick(GAPS));
                    switch (rnd.nextInt(6)) {
                        case 0 -> get();
                        case 1 -> getNowait();
                        case 2 -> Asyncio.timeout(pick(TIMEOUTS), this::get);
                        case 3 -> Asyncio.waitFor(() -> {
                            get();
                            return true;
                        }, pick(TIMEOUTS));
                        case 4 -> inATaskUnderWaitFor(() -> {
                            get();
                            return true;
                        });
                        default -> {
                            // a get with a cancel pending takes an item at once if there is one, else raises
                            boolean empty = q.empty();
                            me.cancel();
                            try {
                                get();
                            } catch (CancelledError e) {
                                check(empty, "get() raised a pending cancel although an item was there: " + q);
                                throw e;
                            }
                            check(!empty, "get() with a cancel pending on an empty queue returned");
                            Asyncio.sleep(0); // the cancel is raised here
                        }
                    }
                } catch (QueueEmpty e) {
                    stat("QueueEmpty");
                } catch (QueueShutDown e) {
                    return;
                } catch (TimeoutError | CancelledError e) {
                    if (!survives(me, e, id != 0)) {
                        throw e;
                    }
                }
            }
        }

        /** Counts a timeout or cancel; uncancels and returns true if the task goes on, false if it dies. */
        private boolean survives(Task<?> me, Throwable e, boolean mayDie) {
            if (e instanceof TimeoutError) {
                stat("timeouts");
                return true;
            }
            stat("cancels");
            if (ending) {
                return false;
            }
            if (mayDie && rnd.nextInt(6) == 0) {
                stat("deaths");
                return false;
            }
            while (me.cancelling() > 0) {
                me.uncancel();
            }
            return true;
        }

        /**
         * Runs {@code body} (a put or a get, which keep their own accounts) in a task, under waitFor with a
         * random timeout. If waitFor raises, that task may have finished its put or get all the same (its
         * deadline or a cancel came after the task finished and before this one resumed), or may still run
         * (a cancel of this task during a zero timeout does not wait for it, as asyncio's _cancel_and_wait).
         */
        private void inATaskUnderWaitFor(Callable<Boolean> body) {
            Task<Boolean> inner = Asyncio.createTask(body);
            inners.add(inner);
            Task<?> me = Asyncio.currentTask();
            inWaitFor.put(me, inner);
            try {
                Asyncio.waitFor(inner, Duration.ofNanos((long) (pick(TIMEOUTS) * 1e9)));
            } catch (TimeoutError | CancelledError e) {
                if (inner.done() && !inner.cancelled() && inner.exception() == null) {
                    stat("finished after its waitFor raised");
                }
                throw e;
            } finally {
                inWaitFor.remove(me);
            }
        }

        /** q.put(item), keeping the accounts: the item is put (done) if it returns, failed if it raises. */
        private void put(int item) {
            Task<?> me = Asyncio.currentTask();
            long ticket = q.full() ? nextTicket++ : -1;
            if (ticket >= 0) {
                waitingPutters.put(ticket, me);
            }
            try {
                q.put(item);
            } catch (RuntimeException | Error e) {
                failed(item);
                throw e;
            } finally {
                waitingPutters.remove(ticket);
            }
            if (ticket >= 0) {
                stat("put waited");
            }
            putDone.add(item);
            lastProgress = Asyncio.getRunningLoop().time();
            checkInvariants("after a put");
        }

        private void putNowait(int item) {
            boolean full = q.full();
            try {
                q.putNowait(item);
            } catch (QueueFull e) {
                check(full, "putNowait() raised QueueFull although full() was false: " + q);
                failed(item);
                throw e;
            }
            check(!full, "putNowait() succeeded although full() was true: " + q);
            putDone.add(item);
            checkInvariants("after a putNowait");
        }

        /** q.get(), keeping the accounts: the item it returns is received. */
        private void get() {
            Task<?> me = Asyncio.currentTask();
            long ticket = q.empty() ? nextTicket++ : -1;
            if (ticket >= 0) {
                waitingGetters.put(ticket, me);
            }
            Integer item;
            try {
                item = q.get();
            } finally {
                waitingGetters.remove(ticket);
            }
            if (ticket >= 0) {
                stat("get waited");
            }
            receive(item, "get()");
        }

        private void getNowait() {
            boolean empty = q.empty();
            Integer item;
            try {
                item = q.getNowait();
            } catch (QueueEmpty e) {
                check(empty, "getNowait() raised QueueEmpty although empty() was false: " + q);
                throw e;
            }
            check(!empty, "getNowait() returned an item although empty() was true: " + q);
            receive(item, "getNowait()");
        }

        /** An item a get returned: its put must have returned, it is got only once, and is marked done at once. */
        private void receive(Integer item, String how) {
            check(item != null, how + " returned null");
            check(!putFailed.contains(item), how + " returned item " + item + " whose put raised");
            check(putDone.contains(item), how + " returned item " + item + " that no put returned");
            check(received.add(item), how + " returned item " + item + " a second time");
            lastProgress = Asyncio.getRunningLoop().time();
            q.taskDone();
            checkInvariants("after a get");
        }

        private void failed(int item) {
            check(!received.contains(item), "put of item " + item + " raised although the item was got");
            putFailed.add(item);
        }

        /**
         * Cancels random tasks at random times, and aims at the windows where a cancel is hardest to get right:
         * the first waiting getter (maybe handed an item already), the first waiting putter (maybe given a slot
         * already), and a worker in waitFor whose inner task has just finished.
         */
        private void chaos() {
            int steps = 0;
            while (producing && steps++ < 20 * (producers + consumers)) {
                Asyncio.sleep(pick(GAPS));
                checkInvariants("in the chaos task");
                Task<?> victim = switch (rnd.nextInt(6)) {
                    case 0 -> waitingGetters.isEmpty() ? null : waitingGetters.firstEntry().getValue();
                    case 1 -> waitingPutters.isEmpty() ? null : waitingPutters.firstEntry().getValue();
                    case 2 -> inWaitFor.entrySet().stream().filter(e -> e.getValue().done()).map(Map.Entry::getKey)
                            .findFirst().orElse(null);
                    case 3 -> consumerTasks.get(rnd.nextInt(consumerTasks.size()));
                    default -> producerTasks.get(rnd.nextInt(producerTasks.size()));
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
                        }
                    }
                    default -> {
                    }
                }
            }
        }

        private void checkInvariants(String where) {
            int n = q.qsize();
            check(n >= 0 && (maxsize <= 0 || n <= maxsize), where + ": qsize " + n + " with maxsize " + maxsize + ": " + q);
            check(q.empty() == (n == 0), where + ": empty() is " + q.empty() + " with qsize " + n);
            check(!q.full() || maxsize > 0 && n <= maxsize, where + ": full() with qsize " + n + ": " + q);
        }

        /**
         * Waits for the producers; fails at once if a producer or consumer fails, and if no put or get
         * completes for {@value #STALL} virtual seconds (the consumers go on cycling through their timeouts
         * when the producers are stuck, so the clock never jumps to a far deadline).
         */
        private void awaitProducers() {
            List<Task<Void>> all = new ArrayList<>(producerTasks);
            all.addAll(consumerTasks);
            while (true) {
                Done<Void> d = Asyncio.wait(all, ReturnWhen.FIRST_EXCEPTION, Duration.ofSeconds(1));
                for (Future<Void> f : d.done()) {
                    if (!f.cancelled() && f.exception() != null) {
                        throw new AssertionError(f + " failed: " + f.exception(), f.exception());
                    }
                }
                if (producerTasks.stream().allMatch(Task::done)) {
                    return;
                }
                check(Asyncio.getRunningLoop().time() - lastProgress < STALL, "no put or get completed for " + STALL
                        + " virtual seconds, producers still running: " + q + ", stats " + stats);
            }
        }

        private void within(String what, ThrowingRunnable body) {
            try {
                Asyncio.timeout(DEADLINE, body);
            } catch (TimeoutError e) {
                throw new AssertionError("waiting for " + what + ": tasks still running after " + DEADLINE
                        + " virtual seconds: " + q + ", stats " + stats);
            }
        }

        private void checkEnded(Task<Void> t) {
            check(t.done(), t.getName() + " is still running");
            if (!t.cancelled() && t.exception() != null) {
                throw new AssertionError(t.getName() + " failed: " + t.exception(), t.exception());
            }
            check(t.cancelled() || t.cancelling() == 0, t.getName() + " ended with a cancel request it never saw");
        }

        private void stat(String name) {
            stats.merge(name, 1, Integer::sum);
        }

        private int count(String name) {
            return stats.getOrDefault(name, 0);
        }

        private double pick(double[] values) {
            return values[rnd.nextInt(values.length)];
        }

        private static Integer first(Set<Integer> items) {
            return items.stream().sorted().findFirst().orElse(null);
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
