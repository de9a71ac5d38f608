package io.asyncio4j.benchmarks;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

/**
 * Does the cost of one task switch depend on how deep the task's stack is where it waits? Every switch
 * copies the frames between the thread's entry and its yield point into the thread's stack chunk (freeze)
 * and back (thaw), so a task that waits under many frames (an HTTP request waits about 38 frames deep)
 * may pay more per switch than one that waits near its body. This program measures it: {@code --tasks}
 * tasks each call {@code Asyncio.sleep(0)} {@code --yields} times at the bottom of a chain of {@code depth}
 * calls, for each depth of {@code --depths}; the {@code jdk} rows do the same with bare virtual threads
 * (the JDK's hidden factory, a scheduler that pushes on an {@link ArrayDeque} drained by this thread, and
 * {@code Thread.yield()}: no asyncio4j code), the floor under the kernel's figure at that depth.
 *
 * <h2>Usage</h2>
 * <pre>
 *   java --add-opens java.base/java.lang=ALL-UNNAMED \
 *        -XX:CompileCommand=quiet -XX:CompileCommand=dontinline,io.asyncio4j.benchmarks.SwitchDepthBenchmark::descend \
 *        -cp benchmarks.jar io.asyncio4j.benchmarks.SwitchDepthBenchmark [--depths 5,20,40] [--rounds 15] \
 *        [--tasks 256] [--yields 200]
 *   java ... io.asyncio4j.benchmarks.SwitchDepthBenchmark --bottom 20
 * </pre>
 * With {@code dontinline} on {@code descend}, each level of the chain is one physical frame on the stack
 * (else the JIT compiler inlines one recursive call into the other, and a depth of 40 is about 20 frames).
 *
 * <p>{@code --bottom DEPTH} measures something else: what a switch costs a thread that started while the JIT
 * compiler was cold. A thread's bottom frames ({@code Continuation.enter}, {@code VirtualThread.run}, its
 * body, the calls it made before the JIT compiled them) stay as they were when they were entered; an
 * interpreted frame anywhere in a continuation makes the JVM freeze and thaw it on its slow path (frame by
 * frame, and a new stack chunk allocated at each freeze) instead of copying it in one piece. The program
 * starts {@code --tasks} bare virtual threads first thing (cold), then 20,000 short threads (so the JIT
 * compiles the thread-start path), then as many threads again (warm); both sets yield forever at depth
 * {@code DEPTH}, and the program runs {@code --yields}×{@code --tasks} switches of each set alternately.
 *
 * <h2>Method</h2>
 * The depths run alternately in one process, round after round (after two warm-up rounds), so that the
 * load of other processes on the machine falls on every depth alike. The figure is the CPU time of this
 * thread, which is the loop's thread and every task's only carrier (so it counts all the work of the run and
 * none of the waiting), divided by the number of switches; the median of the rounds is printed per depth,
 * with the ratio to the shallowest depth.
 */
public final class SwitchDepthBenchmark {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SwitchDepthBenchmark() {
    }

    public static void main(String[] args) {
        if (args.length == 2 && args[0].equals("--bottom")) {
            coldBottom(positive("--bottom", args[1]));
            return;
        }
        int[] depths = {5, 20, 40};
        int rounds = 15;
        int tasks = 256;
        int yields = 200;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw usage("missing value after " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--depths" -> depths = Arrays.stream(v.split(",")).mapToInt(s -> positive(a, s)).toArray();
                case "--rounds" -> rounds = positive(a, v);
                case "--tasks" -> tasks = positive(a, v);
                case "--yields" -> yields = positive(a, v);
                default -> throw usage("unknown option " + a);
            }
        }
        long switches = (long) tasks * yields;
        long[][] kernel = new long[depths.length][rounds];
        long[][] jdk = new long[depths.length][rounds];
        try (Runner runner = new Runner()) {
            for (int round = -2; round < rounds; round++) { // two warm-up rounds
                for (int d = 0; d < depths.length; d++) {
                    int depth = depths[d];
                    int t = tasks;
                    int y = yields;
                    long start = THREADS.getCurrentThreadCpuTime();
                    long done = runner.run(() -> yieldInTasks(t, y, depth));
                    long kernelNs = THREADS.getCurrentThreadCpuTime() - start;
                    start = THREADS.getCurrentThreadCpuTime();
                    long bare = yieldInBareThreads(t, y, depth);
                    long jdkNs = THREADS.getCurrentThreadCpuTime() - start;
                    if (done != switches || bare != switches) {
                        throw new IllegalStateException("lost switches: " + done + ", " + bare + " of " + switches);
                    }
                    if (round >= 0) {
                        kernel[d][round] = kernelNs;
                        jdk[d][round] = jdkNs;
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "# %d tasks x %d yields per run, %d rounds, CPU ns per switch (median)%n",
                tasks, yields, rounds);
        double kernelBase = median(kernel[0]) / switches;
        double jdkBase = median(jdk[0]) / switches;
        for (int d = 0; d < depths.length; d++) {
            double k = median(kernel[d]) / switches;
            double j = median(jdk[d]) / switches;
            System.out.printf(Locale.ROOT, "depth=%d asyncio4j_ns=%.1f (x%.2f) jdk_ns=%.1f (x%.2f) kernel_over_jdk_ns=%.1f%n",
                    depths[d], k, k / kernelBase, j, j / jdkBase, k - j);
        }
    }

    /** See the class comment: switches of threads started cold against threads started warm. */
    private static void coldBottom(int depth) {
        int threads = 256;
        int switches = 200_000;
        ArrayDeque<Runnable> cold = new ArrayDeque<>();
        ArrayDeque<Runnable> warm = new ArrayDeque<>();
        startYieldingForever(cold, threads, depth); // first thing: nothing of the thread-start path is compiled
        for (int k = 0; k < 20_000; k++) { // warms the thread-start path
            yieldInBareThreads(1, 1, 1);
        }
        startYieldingForever(warm, threads, depth);
        int rounds = 12;
        long[][] ns = new long[2][rounds];
        for (int round = -2; round < rounds; round++) {
            for (int set = 0; set < 2; set++) {
                ArrayDeque<Runnable> ready = set == 0 ? cold : warm;
                long start = THREADS.getCurrentThreadCpuTime();
                for (int i = 0; i < switches; i++) {
                    ready.pollFirst().run();
                }
                if (round >= 0) {
                    ns[set][round] = THREADS.getCurrentThreadCpuTime() - start;
                }
            }
        }
        double c = median(ns[0]) / switches;
        double w = median(ns[1]) / switches;
        System.out.printf(Locale.ROOT, "# %d bare virtual threads per set, yielding at depth %d; %d rounds of %d switches"
                + " per set, CPU ns per switch (median)%n", threads, depth, rounds, switches);
        System.out.printf(Locale.ROOT, "started_cold_ns=%.1f started_warm_ns=%.1f cold_over_warm=x%.2f%n", c, w, c / w);
    }

    /** Starts {@code threads} bare virtual threads that yield forever {@code depth} calls deep (never joined). */
    private static void startYieldingForever(ArrayDeque<Runnable> ready, int threads, int depth) {
        Executor scheduler = ready::addLast;
        for (int t = 0; t < threads; t++) {
            Thread thread = SwitchBenchmark.newVirtualThread(scheduler, () -> descend(depth, Integer.MAX_VALUE, false));
            thread.start();
        }
    }

    /** {@code tasks} tasks that each yield {@code yields} times, {@code depth} calls below their body. */
    private static long yieldInTasks(int tasks, int yields, int depth) {
        List<Task<Long>> all = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            all.add(Asyncio.createTask((Callable<Long>) () -> descend(depth, yields, true)));
        }
        long n = 0;
        for (Task<Long> t : all) {
            n += t.await();
        }
        return n;
    }

    /** The same with bare virtual threads on a one-thread FIFO scheduler (see SwitchBenchmark). */
    private static long yieldInBareThreads(int threads, int yields, int depth) {
        ArrayDeque<Runnable> ready = new ArrayDeque<>();
        Executor scheduler = ready::addLast; // called on this thread only: a thread's start, or a yield
        long[] counts = new long[threads];
        for (int t = 0; t < threads; t++) {
            int k = t;
            SwitchBenchmark.newVirtualThread(scheduler, () -> counts[k] = descend(depth, yields, false)).start();
        }
        Runnable r;
        while ((r = ready.pollFirst()) != null) {
            r.run();
        }
        return Arrays.stream(counts).sum();
    }

    /** Calls itself {@code depth - 1} more times, then yields {@code yields} times; one frame per level. */
    static long descend(int depth, int yields, boolean task) {
        if (depth > 1) {
            return descend(depth - 1, yields, task) + 0; // not a tail call: the frame stays
        }
        long n = 0;
        for (int i = 0; i < yields; i++) {
            if (task) {
                Asyncio.sleep(0);
            } else {
                Thread.yield();
            }
            n++;
        }
        return n;
    }

    private static double median(long[] xs) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    private static int positive(String option, String v) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw usage(option + " needs a positive whole number, got '" + v + "'");
    }

    private static IllegalArgumentException usage(String message) {
        return new IllegalArgumentException(message + "; usage: SwitchDepthBenchmark [--depths 5,20,40] [--rounds N]"
                + " [--tasks N] [--yields N], or SwitchDepthBenchmark --bottom DEPTH");
    }
}
