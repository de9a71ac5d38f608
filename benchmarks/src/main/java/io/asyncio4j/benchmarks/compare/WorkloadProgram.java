package io.asyncio4j.benchmarks.compare;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The command line and output of a comparison program ({@code benchmarks/compare/run}): one workload per
 * process, one {@code result} line on standard output.
 *
 * <h2>Protocol</h2>
 * <pre>
 *   &lt;program&gt; &lt;W1..W8&gt; [--size N] [--url URL] [--concurrency N] [--seed N] [--warmup N] [--ca PEM]
 * </pre>
 * prints exactly one line {@code result workload=W1 system=NAME HEADLINE=VALUE [key=value]...} (the headline
 * figure first) and exits 0; a workload the system does not run exits 3 with a line on standard error.
 * {@code --size} is the workload's count (tasks, items, requests; W2: tasks, each yielding
 * {@value #YIELDS} times); the defaults are issue 7's sizes. {@code --url}: W6 the 1 KiB file, W7 a prefix
 * to which the request number is appended, W8 the 1 KiB file over https; {@code --ca}: W8's server
 * certificate (PEM), which the client trusts (the harness makes it; the JDK's CAs do not know it). {@code --warmup N}: run the workload N times first in the same
 * process, unmeasured, at the size {@link #warmupSize} gives (default 0: the figure of a fresh process); each
 * warm-up prints a {@code warmup workload=...} line and the result line ends with {@code warmup=N}. Every
 * other line printed is ignored by the harness.
 */
public abstract class WorkloadProgram {
    /** The number of yields of each task in W2. */
    public static final int YIELDS = 1_000;
    /** W3's queue: one producer, one consumer, a bounded queue of this size. */
    public static final int QUEUE_SIZE = 100;
    /** Exit status for a workload the system does not run. */
    static final int UNSUPPORTED = 3;

    /** Options of one run, from the command line. */
    protected int size;
    protected String url;
    protected int concurrency = 256;
    protected long seed = 42;
    protected int warmup;
    /** W8: the PEM file of the certificate to trust, or null. */
    protected String ca;

    /** The system's name in the result line ({@code asyncio4j}, {@code vthreads}). */
    protected abstract String system();

    /** Runs one workload and returns its figures, the headline first; null if this system does not run it. */
    protected abstract Map<String, Object> run(String workload) throws Exception;

    /** The default size of each workload: issue 7's. */
    static int defaultSize(String workload) {
        return switch (workload) {
            case "W1", "W3", "W4" -> 1_000_000;
            case "W2" -> 1_000;
            case "W5", "W6", "W8" -> 100_000;
            case "W7" -> 10_000;
            default -> throw new IllegalArgumentException("unknown workload " + workload + " (W1..W8)");
        };
    }

    /**
     * The size of a warm-up run, the same rule in every program of the harness: the measured size, except W4
     * (memory: a second million parked tasks would only fill the heap) and W7 (10,000 connections to a server
     * that answers after a second: a full-size warm-up would double the run's time), which warm up at a tenth
     * of it. W6 and W8 warm up at full size: after a tenth of it the JIT compiler was still compiling the HTTP
     * client's code during the measured run (asyncio4j's W6: 30-31 us of CPU per request against 22-24 us
     * after five tenth-sized warm-ups; docs/benchmarks.md).
     */
    static int warmupSize(String workload, int size) {
        return switch (workload) {
            case "W4", "W7" -> Math.max(1, size / 10);
            default -> size;
        };
    }

    /** Parses the command line, runs the workload, prints the result line; exits 2 on a usage error. */
    protected final void runMain(String[] args) throws Exception {
        String workload = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--size" -> size = Integer.parseInt(value(args, ++i, a));
                    case "--url" -> url = value(args, ++i, a);
                    case "--concurrency" -> concurrency = Integer.parseInt(value(args, ++i, a));
                    case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                    case "--warmup" -> warmup = Integer.parseInt(value(args, ++i, a));
                    case "--ca" -> ca = value(args, ++i, a);
                    default -> {
                        if (a.startsWith("-") || workload != null) {
                            throw new IllegalArgumentException("unexpected argument " + a);
                        }
                        workload = a;
                    }
                }
            }
            if (workload == null) {
                throw new IllegalArgumentException("no workload given");
            }
            if (size == 0) {
                size = defaultSize(workload);
            }
            if ((workload.equals("W6") || workload.equals("W7") || workload.equals("W8")) && url == null) {
                throw new IllegalArgumentException(workload + " needs --url");
            }
            if (workload.equals("W8") && ca == null) {
                throw new IllegalArgumentException("W8 needs --ca PEM (the server's certificate)");
            }
        } catch (IllegalArgumentException e) {
            System.err.println(getClass().getSimpleName() + ": " + e.getMessage()
                    + "\nusage: " + getClass().getSimpleName()
                    + " W1..W8 [--size N] [--url URL] [--concurrency N] [--seed N] [--warmup N] [--ca PEM]");
            System.exit(2);
            return;
        }
        int measuredSize = size;
        size = warmupSize(workload, measuredSize);
        for (int i = 0; i < warmup; i++) {
            Map<String, Object> warm = run(workload);
            if (warm == null) {
                break; // not run by this system: reported below
            }
            System.out.println(line("warmup", workload, warm));
        }
        size = measuredSize;
        long cpu0 = processCpuNanos();
        long alloc0 = allocatedBytes();
        Map<String, Object> figures = run(workload);
        if (figures == null) {
            System.err.println(getClass().getSimpleName() + ": " + system() + " does not run " + workload);
            System.exit(UNSUPPORTED);
            return;
        }
        figures = new LinkedHashMap<>(figures);
        if (workload.equals("W6") || workload.equals("W8")) {
            // what a request costs the JVM, figures that three other builds on the machine do not move much
            figures.put("cpu_us_per_request", (processCpuNanos() - cpu0) / 1e3 / size);
            figures.put("bytes_per_request", (allocatedBytes() - alloc0) / (double) size);
        }
        figures.put("warmup", warmup);
        System.out.println(line("result", workload, figures));
        System.out.flush();
        System.exit(0); // do not wait for stray threads (HTTP client pools)
    }

    private String line(String kind, String workload, Map<String, Object> figures) {
        StringBuilder line = new StringBuilder(kind + " workload=" + workload + " system=" + system());
        figures.forEach((k, v) -> line.append(' ').append(k).append('=').append(format(v)));
        return line.toString();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static String format(Object v) {
        return v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : String.valueOf(v);
    }

    // ---- helpers shared by the Java systems ----

    /** W5's delays in seconds: {@code n} uniform draws from [0, 1) of a generator seeded with {@code seed}. */
    static double[] sleeperDelays(int n, long seed) {
        return new SplittableRandom(seed).doubles(n, 0, 1).toArray();
    }

    /** W5's figures from the lateness of each wake-up in nanoseconds (sorted in place). */
    static Map<String, Object> latenessFigures(long[] latenessNanos, long wallNanos) {
        Arrays.sort(latenessNanos);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("p99_late_ms", percentile(latenessNanos, 0.99) / 1e6);
        f.put("p50_late_ms", percentile(latenessNanos, 0.50) / 1e6);
        f.put("max_late_ms", latenessNanos[latenessNanos.length - 1] / 1e6);
        f.put("wall_ms", wallNanos / 1e6);
        f.put("sleepers", latenessNanos.length);
        return f;
    }

    /** The nearest-rank percentile of sorted values (the same rule as the Python side). */
    static double percentile(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** A figures map with the headline {@code wall_ms} first, from an elapsed time in nanoseconds. */
    static Map<String, Object> wall(long elapsedNanos) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("wall_ms", elapsedNanos / 1e6);
        return f;
    }

    /** The CPU time of this process so far (every thread: the loop, GC, JIT), in ns. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * The bytes allocated on the heap so far by every live platform thread (a virtual thread's allocations
     * count for the carrier it runs on: the loop thread).
     */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getTotalThreadAllocatedBytes();
    }

    /** W6's and W8's figures, the headline {@code requests_per_s} first, from the elapsed time of {@code size} requests. */
    Map<String, Object> httpFigures(long elapsedNanos) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("requests_per_s", size / (elapsedNanos / 1e9));
        f.put("requests", size);
        f.put("concurrency", concurrency);
        f.put("wall_ms", elapsedNanos / 1e6);
        return f;
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
