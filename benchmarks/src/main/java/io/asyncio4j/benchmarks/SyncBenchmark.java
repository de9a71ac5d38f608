package io.asyncio4j.benchmarks;

import io.asyncio4j.Asyncio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The sync primitives' figures of issue 4, as a program that prints the same lines as its CPython twin
 * {@code benchmarks/python/sync_bench.py}, so that {@code benchmarks/compare-sync.sh} can run both,
 * interleaved. The workloads are those of the JMH benchmarks {@link SemaphoreBenchmark} and
 * {@link QueueBenchmark} (the same static methods):
 * <ul>
 *   <li>{@code sem_pingpong}: two tasks hand a permit back and forth through two {@code Semaphore(0)};
 *       nanoseconds per hand-off;</li>
 *   <li>{@code sem_fanout}: 1,000 tasks contend for a {@code Semaphore(10)}, each repeating
 *       acquire/sleep(0)/release; nanoseconds per cycle;</li>
 *   <li>{@code sem_uncontended}: acquire + release of a free semaphore (no task switch); ns per pair;</li>
 *   <li>{@code queue_pingpong}: two tasks pass an item back and forth through two {@code Queue(1)};
 *       nanoseconds per hand-off (one put, one get);</li>
 *   <li>{@code queue_fanout}: one producer, 100 consumers, a {@code Queue(100)}; nanoseconds per item;</li>
 *   <li>{@code queue_uncontended}: putNowait + getNowait on a queue with room (no task switch); ns per pair.</li>
 * </ul>
 *
 * <h2>Usage</h2>
 * <pre>
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks.jar io.asyncio4j.benchmarks.SyncBenchmark \
 *        [all|sem|queue|&lt;workload&gt;]... [--reps N] [--warmup N] [--handoffs N] [--repeats N] [--items N] \
 *        [--pairs N] [--json]
 * </pre>
 * Each workload runs {@code --warmup} unmeasured runs (2 by default), then {@code --reps} measured runs (5),
 * each one {@code Asyncio.run} with a fresh event loop, and prints one line per run and the medians. The
 * time measured is that of the tasks, from creating them to awaiting the last (the loop's creation and
 * close excluded, on both sides); {@code loop_cpu_ms} and {@code process_cpu_ms} cover the whole run. The
 * output format is {@link BenchmarkReport}'s.
 */
public final class SyncBenchmark {
    /*
     * Implementation overview. A workload is a named Callable that performs one Asyncio.run of a workload
     * method of SemaphoreBenchmark or QueueBenchmark (which returns the nanoseconds it measured inside the
     * loop) and turns it into figures, headline first. BenchmarkReport runs, prints and aggregates them.
     */
    private static final String PROGRAM = "SyncBenchmark";
    private static final List<String> SEM = List.of("sem_pingpong", "sem_fanout", "sem_uncontended");
    private static final List<String> QUEUE = List.of("queue_pingpong", "queue_fanout", "queue_uncontended");

    private int reps = 5;
    private int warmup = 2;
    private int handoffs = SemaphoreBenchmark.HANDOFFS;
    private int repeats = SemaphoreBenchmark.FANOUT_REPEATS;
    private int items = QueueBenchmark.FANOUT_ITEMS;
    private int pairs = SemaphoreBenchmark.PAIRS;
    private boolean json;

    private SyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        SyncBenchmark b = new SyncBenchmark();
        List<String> workloads = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "all" -> {
                    workloads.addAll(SEM);
                    workloads.addAll(QUEUE);
                }
                case "sem" -> workloads.addAll(SEM);
                case "queue" -> workloads.addAll(QUEUE);
                case "--reps" -> b.reps = atLeast(a, value(args, ++i, a), 1);
                case "--warmup" -> b.warmup = atLeast(a, value(args, ++i, a), 0);
                case "--handoffs" -> b.handoffs = atLeast(a, value(args, ++i, a), 2);
                case "--repeats" -> b.repeats = atLeast(a, value(args, ++i, a), 1);
                case "--items" -> b.items = atLeast(a, value(args, ++i, a), 1);
                case "--pairs" -> b.pairs = atLeast(a, value(args, ++i, a), 1);
                case "--json" -> b.json = true;
                case "-h", "--help" -> {
                    System.out.println(usage());
                    return;
                }
                default -> {
                    if (SEM.contains(a) || QUEUE.contains(a)) {
                        workloads.add(a);
                    } else {
                        throw BenchmarkReport.usageError(PROGRAM, usage(), "unknown argument '" + a + "'");
                    }
                }
            }
        }
        if (workloads.isEmpty()) {
            workloads.addAll(SEM);
            workloads.addAll(QUEUE);
        }
        b.runAll(workloads);
    }

    private static String usage() {
        return "usage: SyncBenchmark [all|sem|queue|<workload>]... [--reps N] [--warmup N] [--handoffs N] [--repeats N]\n"
                + "                     [--items N] [--pairs N] [--json]\n"
                + "  workloads    " + String.join(" ", SEM) + " " + String.join(" ", QUEUE) + "\n"
                + "               (sem = the first three, queue = the last three, all = every one; default all)\n"
                + "  --reps N     measured runs per workload (default 5)\n"
                + "  --warmup N   unmeasured runs first (default 2)\n"
                + "  --handoffs N hand-offs per ping-pong run (default " + SemaphoreBenchmark.HANDOFFS + ")\n"
                + "  --repeats N  acquire/sleep(0)/release cycles per task in sem_fanout, "
                + SemaphoreBenchmark.FANOUT_TASKS + " tasks (default " + SemaphoreBenchmark.FANOUT_REPEATS + ")\n"
                + "  --items N    items through the queue in queue_fanout (default 100000)\n"
                + "  --pairs N    acquire+release / putNowait+getNowait pairs in the uncontended runs (default "
                + SemaphoreBenchmark.PAIRS + ")\n"
                + "  --json       figures as one JSON document on stdout (the text lines go to stderr)\n"
                + "The JVM needs --add-opens java.base/java.lang=ALL-UNNAMED.";
    }

    private static String value(String[] args, int i, String option) {
        return BenchmarkReport.value(PROGRAM, usage(), args, i, option);
    }

    private static int atLeast(String option, String text, int min) {
        return BenchmarkReport.atLeast(PROGRAM, usage(), option, text, min);
    }

    private void runAll(List<String> workloads) throws Exception {
        BenchmarkReport report = new BenchmarkReport(json);
        report.header("sync benchmark");
        for (String w : workloads) {
            report.runWorkload(w, warmup, reps, () -> runOnce(w), null);
        }
        report.finish();
    }

    private Map<String, Double> runOnce(String workload) {
        int handoffsEven = handoffs / 2 * 2;
        return switch (workload) {
            case "sem_pingpong" -> timed(() -> SemaphoreBenchmark.pingPong(handoffsEven), "ns_per_handoff",
                    handoffsEven, "handoffs");
            case "sem_fanout" -> timed(() -> SemaphoreBenchmark.fanOut(repeats), "ns_per_op",
                    SemaphoreBenchmark.FANOUT_TASKS * repeats, "ops");
            case "sem_uncontended" -> timed(() -> SemaphoreBenchmark.uncontended(pairs), "ns_per_op", pairs, "ops");
            case "queue_pingpong" -> timed(() -> QueueBenchmark.pingPong(handoffsEven), "ns_per_handoff",
                    handoffsEven, "handoffs");
            case "queue_fanout" -> timed(() -> QueueBenchmark.fanOut(items), "ns_per_item", items, "items");
            case "queue_uncontended" -> timed(() -> QueueBenchmark.uncontended(pairs), "ns_per_op", pairs, "ops");
            default -> throw new IllegalArgumentException(workload);
        };
    }

    /** One {@code Asyncio.run} of {@code workload}, which returns the nanoseconds it measured in the loop. */
    private static Map<String, Double> timed(Callable<Long> workload, String headline, long ops, String opsName) {
        BenchmarkReport.CpuClock cpu = new BenchmarkReport.CpuClock();
        long elapsed = Asyncio.run(workload);
        Map<String, Double> f = new LinkedHashMap<>();
        f.put(headline, (double) elapsed / ops);
        f.put(opsName, (double) ops);
        f.put("wall_ms", elapsed / 1e6);
        cpu.stop(f);
        return f;
    }
}
