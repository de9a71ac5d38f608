package io.asyncio4j.benchmarks;

import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The driver and output format shared by the benchmark programs ({@link KernelBenchmark},
 * {@link SyncBenchmark}) and their CPython twins in {@code benchmarks/python/}: runs a workload's warm-ups
 * and measured runs, prints one line per run and the medians, and collects the JSON document.
 *
 * <h2>Output</h2>
 * Lines starting with {@code #} are comments. The others are {@code <kind> <workload> <i>/<n>} followed by
 * {@code key=value} figures, where kind is {@code warmup}, {@code run} or {@code median}; the first figure
 * of a line is the workload's headline figure. {@code median} lines end with {@code min=}/{@code max=} of
 * the headline and, where the workload has a target, {@code [target ...]}. The format is stable: the
 * {@code compare-*.sh} scripts parse it. With {@code --json} these lines go to standard error and one JSON
 * document to standard output.
 */
public final class BenchmarkReport {
    private final boolean json;
    private final PrintStream out;
    private final Map<String, Map<String, Object>> results = new LinkedHashMap<>();

    BenchmarkReport(boolean json) {
        this.json = json;
        this.out = json ? System.err : System.out;
    }

    /** Where the text lines go: standard output, or standard error with {@code --json}. */
    PrintStream out() {
        return out;
    }

    /** The first comment line: what is measured, on which JVM, with how many CPUs and how much heap. */
    void header(String title) {
        out.println("# asyncio4j " + title + " | java " + Runtime.version() + " | " + System.getProperty("java.vm.name")
                + " | " + Runtime.getRuntime().availableProcessors() + " cpus | max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB | gc " + gcNames());
    }

    /**
     * Runs {@code warmups} unmeasured and {@code reps} measured runs of one workload, prints each and the
     * medians of every figure, and keeps them for the JSON document.
     *
     * @param verdict the workload's target and whether the medians meet it ("wall &lt; 2000 ms: met"), or
     *                null if it has none
     */
    void runWorkload(String workload, int warmups, int reps, Callable<Map<String, Double>> once,
            Function<Map<String, Double>, String> verdict) throws Exception {
        for (int i = 1; i <= warmups; i++) {
            print("warmup", workload, i, warmups, once.call());
        }
        List<Map<String, Double>> runs = new ArrayList<>();
        for (int i = 1; i <= reps; i++) {
            Map<String, Double> figures = once.call();
            runs.add(figures);
            print("run", workload, i, reps, figures);
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        for (String key : runs.getFirst().keySet()) {
            medians.put(key, median(runs.stream().mapToDouble(r -> r.get(key)).toArray()));
        }
        String headline = runs.getFirst().keySet().iterator().next();
        double[] headlines = runs.stream().mapToDouble(r -> r.get(headline)).toArray();
        String target = verdict == null ? null : verdict.apply(medians);
        out.println("median " + workload + " " + reps + "/" + reps + " " + figures(medians)
                + String.format(Locale.ROOT, " min=%s max=%s", num(min(headlines)), num(max(headlines)))
                + (target == null ? "" : " [target " + target + "]"));
        out.flush();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("headline", headline);
        if (target != null) {
            result.put("target", target);
        }
        result.put("median", medians);
        result.put("runs", runs);
        results.put(workload, result);
    }

    /** With {@code --json}: prints the JSON document of every workload run so far to standard output. */
    void finish() {
        if (json) {
            System.out.println(toJson());
        }
    }

    private void print(String kind, String workload, int i, int n, Map<String, Double> figures) {
        out.println(kind + " " + workload + " " + i + "/" + n + " " + figures(figures));
        out.flush();
    }

    private static String figures(Map<String, Double> figures) {
        return figures.entrySet().stream().map(e -> e.getKey() + "=" + num(e.getValue()))
                .collect(Collectors.joining(" "));
    }

    static String num(double v) {
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

    private String toJson() {
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
            sb.append('"').append(w.getKey()).append("\":{\"headline\":\"").append(r.get("headline")).append('"');
            if (r.containsKey("target")) {
                sb.append(",\"target\":\"").append(r.get("target")).append('"');
            }
            sb.append(",\"median\":").append(jsonFigures(cast(r.get("median")))).append(",\"runs\":[");
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

    // ---- command line ----------------------------------------------------------------------------------

    /** The command line's value after {@code option}, or exits with the usage. */
    static String value(String program, String usage, String[] args, int i, String option) {
        if (i >= args.length) {
            throw usageError(program, usage, option + " needs a value");
        }
        return args[i];
    }

    /** {@code text} as an integer {@code >= min} (underscores allowed), or exits with the usage. */
    static int atLeast(String program, String usage, String option, String text, int min) {
        try {
            int v = Integer.parseInt(text.replace("_", ""));
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw usageError(program, usage, option + " must be an integer >= " + min + ", got '" + text + "'");
    }

    /** Prints {@code message} and the usage to standard error and exits with status 2. */
    static IllegalArgumentException usageError(String program, String usage, String message) {
        System.err.println(program + ": " + message);
        System.err.println(usage);
        System.exit(2);
        return new IllegalArgumentException(message); // not reached
    }

    // ---- CPU time ------------------------------------------------------------------------------------

    /**
     * CPU time used from its creation to {@link #stop}: by the calling thread, which runs the event loop
     * (and so every task step mounted on it), and by the whole process (plus the JIT compiler and the GC).
     * Unlike wall time, these hardly change when other processes compete for the CPUs.
     */
    public static final class CpuClock {
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        private final long loop0 = threads.getCurrentThreadCpuTime();
        private final long process0 = processCpuNanos();

        /** Adds {@code loop_cpu_ms} and {@code process_cpu_ms} (-1 where the JVM cannot tell) to {@code figures}. */
        public void stop(Map<String, Double> figures) {
            long loop1 = threads.getCurrentThreadCpuTime();
            long process1 = processCpuNanos();
            figures.put("loop_cpu_ms", loop0 < 0 || loop1 < 0 ? -1 : (loop1 - loop0) / 1e6);
            figures.put("process_cpu_ms", process0 < 0 || process1 < 0 ? -1 : (process1 - process0) / 1e6);
        }

        private long processCpuNanos() {
            return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
        }
    }
}
