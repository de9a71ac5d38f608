package io.asyncio4j.benchmarks.compare;

import io.asyncio4j.benchmarks.KernelBenchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The comparison workloads W1-W5 on plain JDK virtual threads (peer {@code vthreads} of
 * {@code benchmarks/compare/run}): the JDK's default scheduler (a {@code ForkJoinPool} with one carrier per
 * CPU) and {@code java.util.concurrent}, as a Java programmer would write them without asyncio4j. The
 * protocol is {@link WorkloadProgram}'s; W6 and W7 are not run (exit 3).
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.asyncio4j.benchmarks.compare.VirtualThreadWorkloads W1 [--size N]
 * </pre>
 */
public final class VirtualThreadWorkloads extends WorkloadProgram {

    public static void main(String[] args) throws Exception {
        new VirtualThreadWorkloads().runMain(args);
    }

    @Override
    protected String system() {
        return "vthreads";
    }

    @Override
    protected Map<String, Object> run(String workload) throws Exception {
        return switch (workload) {
            case "W1" -> spawnJoin();
            case "W2" -> yields();
            case "W3" -> producerConsumer();
            case "W4" -> parked();
            case "W5" -> sleepers();
            default -> null;
        };
    }

    /** W1: starts {@code size} virtual threads that return at once, then joins each. */
    private Map<String, Object> spawnJoin() throws InterruptedException {
        int[] done = new int[size];
        Thread[] threads = new Thread[size];
        long t0 = System.nanoTime();
        for (int i = 0; i < size; i++) {
            int k = i;
            threads[i] = Thread.startVirtualThread(() -> done[k] = 1);
        }
        for (Thread t : threads) {
            t.join();
        }
        Map<String, Object> f = wall(System.nanoTime() - t0);
        int sum = 0;
        for (int d : done) {
            sum += d;
        }
        check(sum == size, "W1: " + sum + " of " + size + " threads ran");
        f.put("tasks", size);
        return f;
    }

    /** W2: {@code size} virtual threads that each call {@code Thread.yield()} {@value #YIELDS} times. */
    private Map<String, Object> yields() throws InterruptedException {
        Thread[] threads = new Thread[size];
        long t0 = System.nanoTime();
        for (int i = 0; i < size; i++) {
            threads[i] = Thread.startVirtualThread(() -> {
                for (int y = 0; y < YIELDS; y++) {
                    Thread.yield();
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        Map<String, Object> f = wall(System.nanoTime() - t0);
        f.put("switches", (long) size * YIELDS);
        return f;
    }

    /** W3: a producer and a consumer thread pass {@code size} items through an {@code ArrayBlockingQueue(QUEUE_SIZE)}. */
    private Map<String, Object> producerConsumer() throws InterruptedException {
        ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(QUEUE_SIZE);
        int n = size;
        long[] sum = {0};
        long t0 = System.nanoTime();
        Thread producer = Thread.startVirtualThread(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    q.put(i);
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread consumer = Thread.startVirtualThread(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    sum[0] += q.take();
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        producer.join();
        consumer.join(); // join() makes the consumer's writes visible here
        Map<String, Object> f = wall(System.nanoTime() - t0);
        check(sum[0] == (long) n * (n - 1) / 2, "W3: wrong items arrived");
        f.put("items", n);
        f.put("queue_size", QUEUE_SIZE);
        return f;
    }

    /** W4: {@code size} virtual threads parked on one {@code CountDownLatch}; heap after a full GC per thread. */
    private Map<String, Object> parked() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        Thread[] threads = new Thread[size];
        long heapBefore = KernelBenchmark.usedHeapAfterFullGc(memory);
        for (int i = 0; i < size; i++) {
            threads[i] = Thread.startVirtualThread(() -> {
                started.incrementAndGet();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        for (Thread t : threads) { // every thread has counted itself and parked
            while (t.getState() != Thread.State.WAITING) {
                Thread.sleep(1);
            }
        }
        check(started.get() == size, "W4: " + started.get() + " of " + size + " threads started");
        long heapParked = KernelBenchmark.usedHeapAfterFullGc(memory);
        gate.countDown();
        for (Thread t : threads) {
            t.join();
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("bytes_per_task", (double) (heapParked - heapBefore) / size);
        f.put("heap_used_mb", heapParked / (1024.0 * 1024.0));
        f.put("tasks", size);
        return f;
    }

    /** W5: {@code size} virtual threads each sleep a random delay; the lateness of each wake-up. */
    private Map<String, Object> sleepers() throws InterruptedException {
        double[] delays = sleeperDelays(size, seed);
        long[] late = new long[size];
        Thread[] threads = new Thread[size];
        long t0 = System.nanoTime();
        for (int i = 0; i < size; i++) {
            int k = i;
            threads[i] = Thread.startVirtualThread(() -> {
                long nanos = (long) (delays[k] * 1e9);
                long due = System.nanoTime() + nanos;
                try {
                    Thread.sleep(Duration.ofNanos(nanos));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                late[k] = System.nanoTime() - due;
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        return latenessFigures(late, System.nanoTime() - t0);
    }
}
