package io.asyncio4j.benchmarks;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;
import io.asyncio4j.sync.Queue;

import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

import static io.asyncio4j.benchmarks.SemaphoreBenchmark.check;

/**
 * JMH micro-benchmarks of {@link Queue}: an item passed back and forth between two tasks, one producer
 * feeding 100 consumers, and the fast path of a queue with room. Every figure is the average time of one
 * operation in nanoseconds (JMH's {@code avgt} mode).
 *
 * <h2>Usage</h2>
 * <pre>
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar QueueBenchmark
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar QueueBenchmark.pingPong -f 1 -wi 3 -i 5
 * </pre>
 * Each invocation is one {@code Asyncio.run} (a fresh event loop) doing a batch of operations sized to take
 * tens of milliseconds. {@link SyncBenchmark} runs the same workloads (these static methods) as a program,
 * next to CPython's asyncio ({@code benchmarks/python/sync_bench.py}, {@code benchmarks/compare-sync.sh}).
 */
public class QueueBenchmark extends AvgTimeBenchmark {
    static final int HANDOFFS = 100_000;
    static final int FANOUT_ITEMS = 100_000;
    static final int FANOUT_CONSUMERS = 100;
    static final int MAXSIZE = 100;
    static final int PAIRS = 3_000_000;
    private static final Integer DONE = -1;

    /**
     * One hand-off: task a puts into {@code q1} and gets from {@code q2}, task b gets from {@code q1} and puts
     * into {@code q2}, both {@code Queue(1)}: every get waits and every put hands its item to the waiting getter.
     */
    @Benchmark
    @OperationsPerInvocation(HANDOFFS)
    public long pingPong() {
        return Asyncio.run(() -> pingPong(HANDOFFS));
    }

    /**
     * One item from one producer to one of {@value #FANOUT_CONSUMERS} consumers through a
     * {@code Queue(100)}; the producer waits whenever the queue is full.
     */
    @Benchmark
    @OperationsPerInvocation(FANOUT_ITEMS)
    public long fanOut() {
        return Asyncio.run(() -> fanOut(FANOUT_ITEMS));
    }

    /** One {@code putNowait} + {@code getNowait} on a queue with room in one task: the fast path, no switch. */
    @Benchmark
    @OperationsPerInvocation(PAIRS)
    public long uncontended() {
        return Asyncio.run(() -> uncontended(PAIRS));
    }

    // ---- the workloads, shared with SyncBenchmark; each runs in a task and returns its elapsed nanoseconds ----

    /** {@code handoffs} hand-offs (rounded down to even) between two tasks; see {@link #pingPong()}. */
    static long pingPong(int handoffs) {
        int rounds = handoffs / 2;
        Queue<Integer> q1 = new Queue<>(1);
        Queue<Integer> q2 = new Queue<>(1);
        long t0 = System.nanoTime();
        Task<Long> ta = Asyncio.createTask(() -> {
            long total = 0;
            for (int i = 0; i < rounds; i++) {
                q1.put(i);
                total += q2.get();
            }
            return total;
        });
        Task<Void> tb = Asyncio.createTask(() -> {
            for (int i = 0; i < rounds; i++) {
                q2.put(q1.get());
            }
        });
        long total = ta.await();
        tb.await();
        long elapsed = System.nanoTime() - t0;
        check(total == (long) rounds * (rounds - 1) / 2, "pingPong: wrong items came back");
        return elapsed;
    }

    /** One producer puts {@code items} items, then one end marker per consumer; see {@link #fanOut()}. */
    static long fanOut(int items) {
        Queue<Integer> q = new Queue<>(MAXSIZE);
        long t0 = System.nanoTime();
        List<Task<Integer>> consumers = new ArrayList<>(FANOUT_CONSUMERS);
        for (int c = 0; c < FANOUT_CONSUMERS; c++) {
            consumers.add(Asyncio.createTask(() -> {
                int n = 0;
                while (!q.get().equals(DONE)) {
                    n++;
                }
                return n;
            }));
        }
        Task<Void> producer = Asyncio.createTask(() -> {
            for (int i = 0; i < items; i++) {
                q.put(i);
            }
            for (int c = 0; c < FANOUT_CONSUMERS; c++) {
                q.put(DONE);
            }
        });
        int received = 0;
        for (Task<Integer> c : consumers) {
            received += c.await();
        }
        producer.await();
        long elapsed = System.nanoTime() - t0;
        check(received == items, "fanOut: " + received + " of " + items + " items received");
        return elapsed;
    }

    /** {@code pairs} putNowait + getNowait on a queue with room; see {@link #uncontended()}. */
    static long uncontended(int pairs) {
        Queue<Integer> q = new Queue<>(MAXSIZE);
        Integer item = 42;
        long t0 = System.nanoTime();
        for (int i = 0; i < pairs; i++) {
            q.putNowait(item);
            q.getNowait();
        }
        return System.nanoTime() - t0;
    }
}
