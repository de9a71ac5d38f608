package io.asyncio4j.benchmarks;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;

import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The kernel figures that issue 2 asks for, measured by a program rather than a unit test:
 * <ul>
 *   <li>{@code sleep100k}: 100,000 tasks that each {@code Asyncio.sleep(0.01)} complete in one
 *       {@code Asyncio.run}; wall time of the whole run, target under 2 s;</li>
 *   <li>{@code parked1m}: 1,000,000 tasks parked on one shared {@link Future} fit in a 2 GB heap; live heap
 *       per parked task after a full GC;</li>
 *   <li>{@code switch}: two tasks ping-pong with {@code sleep(0)}; nanoseconds per task switch, target
 *       under 500 ns.</li>
 * </ul>
 *
 * <h2>Usage</h2>
 * <pre>
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -Xmx2g -cp benchmarks.jar \
 *        io.asyncio4j.benchmarks.KernelBenchmark [all|sleep100k|parked1m|switch]... \
 *        [--reps N] [--warmup N] [--tasks N] [--yields N] [--json]
 * </pre>
 * Each workload runs its warm-up runs, then {@code --reps} measured runs (5 by default), each in a fresh
 * event loop, and prints one line per run and the median. {@code benchmarks/python/kernel_bench.py} runs the
 * same workloads on CPython's asyncio and prints the same format; {@code benchmarks/compare-kernel.sh}
 * runs both, interleaved, and tabulates the medians.
 *
 * <h2>Output</h2>
 * Lines starting with {@code #} are comments. The others are {@code <kind> <workload> <i>/<n>} followed by
 * {@code key=value} figures, where kind is {@code warmup}, {@code run} or {@code median}; the first figure
 * of a line is the workload's headline figure. The format is stable: scripts parse it. With {@code --json}
 * these lines go to standard error and one JSON document to standard output.
 */
public final class KernelBenchmark {
    /*
     * Implementation overview. Each workload is a method that performs one complete run (its own event loop)
     * and returns its figures as an ordered map, headline first. main() parses the arguments, runs the
     * warm-ups and the measured runs of each selected workload, prints each run, and computes the median of
     * every figure. Nothing here touches the kernel's internals: only the public API, as a user would.
     */
    private static final String HEADLINE_SLEEP = "wall_ms";
    private static final String HEADLINE_PARKED = "heap_bytes_per_task";
    private static final String HEADLINE_SWITCH = "ns_per_switch";
    private static final int HISTOGRAM_ROWS = 20;

    private final int reps;
    private final Integer warmup;
    private final Integer tasks;
    private final int yields;
    private final boolean json;
    private final boolean histogram;
    private final PrintStream out;

    private KernelBenchmark(int reps, Integer warmup, Integer tasks, int yields, boolean json, boolean histogram) {
        this.reps = reps;
        this.warmup = warmup;
        this.tasks = tasks;
        this.yields = yields;
        this.json = json;
        this.histogram = histogram;
        this.out = json ? System.err : System.out;
    }

    public static void main(String[] args) throws Exception {
        List<String> workloads = new ArrayList<>();
        int reps = 5;
        Integer warmup = null;
        Integer tasks = null;
        int yields = 1_000_000;
        boolean json = false;
        boolean histogram = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "all" -> workloads.addAll(List.of("sleep100k", "parked1m", "switch"));
                case "sleep100k", "parked1m", "switch" -> workloads.add(a);
                case "--reps" -> reps = positive(a, value(args, ++i, a), 1);
                case "--warmup" -> warmup = positive(a, value(args, ++i, a), 0);
                case "--tasks" -> tasks = positive(a, value(args, ++i, a), 1);
                case "--yields" -> yields = positive(a, value(args, ++i, a), 1);
                case "--json" -> json = true;
                case "--histogram" -> histogram = true;
                case "-h", "--help" -> {
                    System.out.println(usage());
                    return;
                }
                default -> throw usageError("unknown argument '" + a + "'");
            }
        }
        if (workloads.isEmpty()) {
            workloads.addAll(List.of("sleep100k", "parked1m", "switch"));
        }
        new KernelBenchmark(reps, warmup, tasks, yields, json, histogram).runAll(workloads);
    }

    private static String usage() {
        return "usage: KernelBenchmark [all|sleep100k|parked1m|switch]... [--reps N] [--warmup N] [--tasks N] "
                + "[--yields N] [--json] [--histogram]\n"
                + "  --reps N     measured runs per workload (default 5)\n"
                + "  --warmup N   unmeasured runs first (default 2 for sleep100k and switch, 1 for parked1m)\n"
                + "  --tasks N    tasks of sleep100k (default 100000) and parked1m (default 1000000)\n"
                + "  --yields N   sleep(0) calls per task in switch (default 1000000; two tasks)\n"
                + "  --json       figures as one JSON document on stdout (the text lines go to stderr)\n"
                + "  --histogram  parked1m: print the heap's top classes (bytes per parked task) to stderr\n"
                + "The JVM needs --add-opens java.base/java.lang=ALL-UNNAMED; run parked1m with -Xmx2g.";
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw usageError(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String text, int min) {
        try {
            int v = Integer.parseInt(text.replace("_", ""));
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw usageError(option + " must be an integer >= " + min + ", got '" + text + "'");
    }

    private static IllegalArgumentException usageError(String message) {
        System.err.println("KernelBenchmark: " + message);
        System.err.println(usage());
        System.exit(2);
        return new IllegalArgumentException(message); // not reached
    }

    // ---- driver ----------------------------------------------------------------------------------------

    private void runAll(List<String> workloads) throws Exception {
        out.println("# asyncio4j kernel benchmark | java " + Runtime.version() + " | " + System.getProperty("java.vm.name")
                + " | " + Runtime.getRuntime().availableProcessors() + " cpus | max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB | gc " + gcNames());
        Map<String, Map<String, Object>> results = new LinkedHashMap<>();
        for (String w : workloads) {
            results.put(w, runWorkload(w));
        }
        if (json) {
            System.out.println(toJson(results));
        }
    }

    private Map<String, Object> runWorkload(String workload) throws Exception {
        long maxHeapMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        if (workload.equals("parked1m") && (maxHeapMb < 2000 || maxHeapMb > 2100)) {
            out.println("# note: the parked1m target is a 2 GB heap, but this JVM's max heap is " + maxHeapMb
                    + " MB; run it with -Xmx2g");
        }
        int warmups = warmup != null ? warmup : workload.equals("parked1m") ? 1 : 2;
        for (int i = 1; i <= warmups; i++) {
            print("warmup", workload, i, warmups, runOnce(workload));
        }
        List<Map<String, Double>> runs = new ArrayList<>();
        for (int i = 1; i <= reps; i++) {
            Map<String, Double> figures = runOnce(workload);
            runs.add(figures);
            print("run", workload, i, reps, figures);
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        for (String key : runs.getFirst().keySet()) {
            medians.put(key, median(runs.stream().mapToDouble(r -> r.get(key)).toArray()));
        }
        String headline = runs.getFirst().keySet().iterator().next();
        double[] headlines = runs.stream().mapToDouble(r -> r.get(headline)).toArray();
        String verdict = verdict(workload, medians);
        out.println("median " + workload + " " + reps + "/" + reps + " " + figures(medians)
                + String.format(Locale.ROOT, " min=%s max=%s", num(min(headlines)), num(max(headlines)))
                + " [target " + verdict + "]");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("headline", headline);
        result.put("median", medians);
        result.put("runs", runs);
        result.put("target", verdict);
        return result;
    }

    private Map<String, Double> runOnce(String workload) throws Exception {
        return switch (workload) {
            case "sleep100k" -> sleep100k(tasks != null ? tasks : 100_000);
            case "parked1m" -> parked1m(tasks != null ? tasks : 1_000_000, histogram);
            case "switch" -> pingPong(yields);
            default -> throw new IllegalArgumentException(workload);
        };
    }

    /** The target of issue 2 for the workload's headline figure, and whether the median meets it. */
    private static String verdict(String workload, Map<String, Double> medians) {
        return switch (workload) {
            case "sleep100k" -> "wall < 2000 ms: " + (medians.get(HEADLINE_SLEEP) < 2000 ? "met" : "MISSED");
            case "parked1m" -> "heap used < 2048 MB: " + (medians.get("heap_used_mb") < 2048 ? "met" : "MISSED");
            case "switch" -> "switch < 500 ns: " + (medians.get(HEADLINE_SWITCH) < 500 ? "met" : "MISSED");
            default -> "none";
        };
    }

    // ---- (a) 100,000 tasks sleep(0.01) -----------------------------------------------------------------

    /**
     * One {@code Asyncio.run} whose main task creates {@code n} tasks that each sleep 10 ms, then awaits
     * them all. The wall time covers the whole run: loop creation, the tasks, and the loop's close.
     */
    static Map<String, Double> sleep100k(int n) {
        CpuClock cpu = new CpuClock();
        long t0 = System.nanoTime();
        long[] createdAt = new long[1];
        int completed = Asyncio.run(() -> {
            Callable<Void> sleeper = () -> {
                Asyncio.sleep(0.01);
                return null;
            };
            List<Task<Void>> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                all.add(Asyncio.createTask(sleeper));
            }
            createdAt[0] = System.nanoTime();
            int done = 0;
            for (Task<Void> t : all) {
                t.await();
                done++;
            }
            return done;
        });
        long t1 = System.nanoTime();
        check(completed == n, "sleep100k: " + completed + " of " + n + " tasks completed");
        Map<String, Double> f = new LinkedHashMap<>();
        f.put(HEADLINE_SLEEP, (t1 - t0) / 1e6);
        f.put("create_ms", (createdAt[0] - t0) / 1e6);
        cpu.stop(f);
        f.put("tasks", (double) n);
        return f;
    }

    // ---- (b) 1,000,000 parked tasks --------------------------------------------------------------------

    /**
     * Creates {@code n} tasks that each count themselves and await one shared future, lets them all start
     * (one {@code sleep(0)} of the main task runs every task's first step), checks that all of them are
     * parked, measures the heap used after a full GC against the heap used before, then releases them.
     * The watchdog threshold is raised to a minute because creating a million tasks holds the loop for
     * longer than the default 1 s, which is what this workload does on purpose.
     */
    static Map<String, Double> parked1m(int n, boolean histogram) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Map<String, Double> f = new LinkedHashMap<>();
        try (Runner runner = Runner.builder().slowCallbackDuration(Duration.ofMinutes(1)).build()) {
            runner.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Future<Void> gate = loop.createFuture();
                int[] parked = {0}; // tasks run one at a time on the loop thread
                Callable<Void> waiter = () -> {
                    parked[0]++;
                    gate.await();
                    return null;
                };
                Task<?>[] tasks = new Task<?>[n];
                long heapBefore = usedHeapAfterFullGc(memory);

                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    tasks[i] = Asyncio.createTask(waiter);
                }
                Asyncio.sleep(0); // every task takes its first step and parks on the gate
                long t1 = System.nanoTime();
                check(parked[0] == n, "parked1m: " + parked[0] + " of " + n + " tasks reached the gate");
                int live = loop.allTasks().size() - 1; // minus this main task
                check(live == n, "parked1m: " + live + " tasks alive, expected " + n);
                for (Task<?> t : tasks) {
                    check(!t.done(), "parked1m: " + t + " is done, expected parked");
                }

                long heapParked = usedHeapAfterFullGc(memory);
                if (histogram) {
                    printHistogram(n);
                }

                long t2 = System.nanoTime();
                gate.setResult(null);
                for (Task<?> t : tasks) {
                    t.await();
                }
                long t3 = System.nanoTime();
                check(loop.allTasks().size() == 1, "parked1m: tasks left after the release");

                f.put(HEADLINE_PARKED, (double) (heapParked - heapBefore) / n);
                f.put("heap_used_mb", heapParked / (1024.0 * 1024.0));
                f.put("create_ms", (t1 - t0) / 1e6);
                f.put("release_ms", (t3 - t2) / 1e6);
                f.put("tasks", (double) n);
                return null;
            });
        }
        return f;
    }

    private static long usedHeapAfterFullGc(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        // Repeat until the figure settles: one System.gc() may leave reference-processing garbage behind.
        for (int i = 0; i < 5; i++) {
            System.gc();
            long u = memory.getHeapMemoryUsage().getUsed();
            if (u >= used - 64 * 1024) {
                return Math.min(u, used);
            }
            used = u;
        }
        return used;
    }

    /**
     * Prints the classes that hold the most heap, from the JVM's own class histogram (what
     * {@code jcmd <pid> GC.class_histogram} prints), with each class's bytes per parked task.
     */
    private static void printHistogram(int n) {
        String histogram;
        try {
            histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            System.err.println("# histogram unavailable: " + e);
            return;
        }
        // " num:  #instances  #bytes  class name (module)"
        histogram.lines().limit(3 + HISTOGRAM_ROWS).forEach(line -> {
            String[] p = line.trim().split("\\s+");
            if (p.length >= 4 && p[0].endsWith(":")) {
                System.err.printf(Locale.ROOT, "# histogram %-60s instances=%d bytes_per_task=%.1f%n", p[3],
                        Long.parseLong(p[1]), Long.parseLong(p[2]) / (double) n);
            }
        });
    }

    // ---- (c) sleep(0) ping-pong ------------------------------------------------------------------------

    /**
     * Two tasks that each call {@code sleep(0)} {@code yields} times: every call suspends one task and
     * resumes the other, so a run makes {@code 2 * yields} switches. Timed from creating the two tasks to
     * awaiting both, inside one {@code Asyncio.run}.
     */
    static Map<String, Double> pingPong(int yields) {
        CpuClock cpu = new CpuClock();
        long elapsed = Asyncio.run(() -> {
            Callable<Void> pinger = () -> {
                for (int i = 0; i < yields; i++) {
                    Asyncio.sleep(0);
                }
                return null;
            };
            long t0 = System.nanoTime();
            Task<Void> a = Asyncio.createTask(pinger);
            Task<Void> b = Asyncio.createTask(pinger);
            a.await();
            b.await();
            return System.nanoTime() - t0;
        });
        long switches = 2L * yields;
        Map<String, Double> f = new LinkedHashMap<>();
        f.put(HEADLINE_SWITCH, (double) elapsed / switches);
        f.put("switches", (double) switches);
        f.put("wall_ms", elapsed / 1e6);
        cpu.stop(f);
        return f;
    }

    // ---- CPU time ------------------------------------------------------------------------------------

    /**
     * CPU time used from its creation to {@link #stop}: by the calling thread, which runs the event loop
     * (and so every task step mounted on it), and by the whole process (plus the JIT compiler and the GC).
     * Unlike wall time, these hardly change when other processes compete for the CPUs.
     */
    private static final class CpuClock {
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        private final long loop0 = threads.getCurrentThreadCpuTime();
        private final long process0 = processCpuNanos();

        void stop(Map<String, Double> figures) {
            long loop1 = threads.getCurrentThreadCpuTime();
            long process1 = processCpuNanos();
            figures.put("loop_cpu_ms", loop0 < 0 || loop1 < 0 ? -1 : (loop1 - loop0) / 1e6);
            figures.put("process_cpu_ms", process0 < 0 || process1 < 0 ? -1 : (process1 - process0) / 1e6);
        }

        private long processCpuNanos() {
            return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
        }
    }

    // ---- output ----------------------------------------------------------------------------------------

    private void print(String kind, String workload, int i, int n, Map<String, Double> figures) {
        out.println(kind + " " + workload + " " + i + "/" + n + " " + figures(figures));
        out.flush();
    }

    private static String figures(Map<String, Double> figures) {
        return figures.entrySet().stream().map(e -> e.getKey() + "=" + num(e.getValue()))
                .collect(Collectors.joining(" "));
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static String gcNames() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(","));
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    private static String toJson(Map<String, Map<String, Object>> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"implementation\":\"asyncio4j\",\"java\":\"").append(Runtime.version())
                .append("\",\"cpus\":").append(Runtime.getRuntime().availableProcessors())
                .append(",\"max_heap_mb\":").append(Runtime.getRuntime().maxMemory() / (1024 * 1024))
                .append(",\"workloads\":{");
        boolean first = true;
        for (Map.Entry<String, Map<String, Object>> w : results.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            Map<String, Object> r = w.getValue();
            sb.append('"').append(w.getKey()).append("\":{\"headline\":\"").append(r.get("headline"))
                    .append("\",\"target\":\"").append(r.get("target"))
                    .append("\",\"median\":").append(jsonFigures(cast(r.get("median")))).append(",\"runs\":[");
            List<Map<String, Double>> runs = castList(r.get("runs"));
            for (int i = 0; i < runs.size(); i++) {
                sb.append(i > 0 ? "," : "").append(jsonFigures(runs.get(i)));
            }
            sb.append("]}");
        }
        return sb.append("}}").toString();
    }

    private static String jsonFigures(Map<String, Double> figures) {
        return figures.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + num(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> cast(Object o) {
        return (Map<String, Double>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Double>> castList(Object o) {
        return (List<Map<String, Double>>) o;
    }
}
