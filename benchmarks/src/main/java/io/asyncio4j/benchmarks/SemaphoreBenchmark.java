package io.asyncio4j.benchmarks;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;
import io.asyncio4j.sync.Semaphore;

import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * JMH micro-benchmarks of {@link Semaphore}: a permit handed from task to task, many tasks contending for
 * few permits, and the fast path of a free permit. Every figure is the average time of one operation in
 * nanoseconds (JMH's {@code avgt} mode).
 *
 * <h2>Usage</h2>
 * <pre>
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar SemaphoreBenchmark
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar SemaphoreBenchmark.pingPong -f 1 -wi 3 -i 5
 * </pre>
 * Each invocation is one {@code Asyncio.run} (a fresh event loop) doing a batch of operations sized to take
 * tens of milliseconds, so creating and closing the loop costs well under 1% of the figure.
 * {@link SyncBenchmark} runs the same workloads (these static methods) as a program, next to CPython's
 * asyncio ({@code benchmarks/python/sync_bench.py}, {@code benchmarks/compare-sync.sh}).
 */
public class SemaphoreBenchmark extends AvgTimeBenchmark {
    static final int HANDOFFS = 100_000;
    static final int FANOUT_TASKS = 1_000;
    static final int FANOUT_PERMITS = 10;
    static final int FANOUT_REPEATS = 50;
    static final int PAIRS = 3_000_000;

    /**
     * One hand-off: two tasks pass a permit back and forth through two {@code Semaphore(0)}, so every
     * {@code acquire()} waits and every {@code release()} wakes the other task (a release, a wake-up and a
     * task switch per hand-off).
     */
    @Benchmark
    @OperationsPerInvocation(HANDOFFS)
    public long pingPong() {
        return Asyncio.run(() -> pingPong(HANDOFFS));
    }

    /**
     * One cycle of {@code acquire(); sleep(0); release()} by one of {@value #FANOUT_TASKS} tasks contending
     * for a {@code Semaphore(10)}: most acquires wait in the queue and are handed a permit by a release.
     */
    @Benchmark
    @OperationsPerInvocation(FANOUT_TASKS * FANOUT_REPEATS)
    public long fanOut() {
        return Asyncio.run(() -> fanOut(FANOUT_REPEATS));
    }

    /** One {@code acquire()} + {@code release()} of a free semaphore in one task: the fast path, no switch. */
    @Benchmark
    @OperationsPerInvocation(PAIRS)
    public long uncontended() {
        return Asyncio.run(() -> uncontended(PAIRS));
    }

    // ---- the workloads, shared with SyncBenchmark; each runs in a task and returns its elapsed nanoseconds ----

    /** {@code handoffs} hand-offs (rounded down to even) between two tasks; see {@link #pingPong()}. */
    static long pingPong(int handoffs) {
        int rounds = handoffs / 2;
        Semaphore a = new Semaphore(0);
        Semaphore b = new Semaphore(0);
        long t0 = System.nanoTime();
        Task<Void> ta = Asyncio.createTask(() -> {
            for (int i = 0; i < rounds; i++) {
                b.release();
                a.acquire();
            }
        });
        Task<Void> tb = Asyncio.createTask(() -> {
            for (int i = 0; i < rounds; i++) {
                b.acquire();
                a.release();
            }
        });
        ta.await();
        tb.await();
        long elapsed = System.nanoTime() - t0;
        check(a.value() == 0 && b.value() == 0, "pingPong: a permit was left over: " + a + ", " + b);
        return elapsed;
    }

    /** {@value #FANOUT_TASKS} tasks each doing {@code repeats} acquire/sleep(0)/release cycles; see {@link #fanOut()}. */
    static long fanOut(int repeats) {
        Semaphore sem = new Semaphore(FANOUT_PERMITS);
        int[] holders = {0, 0}; // now, most at once; tasks run one at a time on the loop thread
        long t0 = System.nanoTime();
        List<Task<Void>> tasks = new ArrayList<>(FANOUT_TASKS);
        for (int t = 0; t < FANOUT_TASKS; t++) {
            tasks.add(Asyncio.createTask(() -> {
                for (int i = 0; i < repeats; i++) {
                    sem.acquire();
                    holders[1] = Math.max(holders[1], ++holders[0]);
                    Asyncio.sleep(0);
                    holders[0]--;
                    sem.release();
                }
            }));
        }
        for (Task<Void> t : tasks) {
            t.await();
        }
        long elapsed = System.nanoTime() - t0;
        check(holders[1] == FANOUT_PERMITS, "fanOut: at most " + holders[1] + " holders at once, expected " + FANOUT_PERMITS);
        check(sem.value() == FANOUT_PERMITS, "fanOut: permits lost: " + sem);
        return elapsed;
    }

    /** {@code pairs} acquire + release of a free semaphore by the calling task; see {@link #uncontended()}. */
    static long uncontended(int pairs) {
        Semaphore sem = new Semaphore(1);
        long t0 = System.nanoTime();
        for (int i = 0; i < pairs; i++) {
            sem.acquire();
            sem.release();
        }
        return System.nanoTime() - t0;
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
