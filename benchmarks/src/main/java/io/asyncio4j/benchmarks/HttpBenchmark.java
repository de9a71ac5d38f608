package io.asyncio4j.benchmarks;

import io.asyncio4j.Asyncio;
import io.asyncio4j.TaskGroup;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.Response;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The figures of issue 5's "Done when" for the {@code http} module's {@link ClientSession}:
 * <ul>
 *   <li>{@code slow100}: 100 concurrent GETs, in one {@link TaskGroup}, to a server in this JVM (the
 *       testing module's {@code TestServer} on 127.0.0.1, a virtual thread per connection) that answers each
 *       after 1 s; headline
 *       the wall time from creating the group to its end (target &lt; 1300 ms);</li>
 *   <li>{@code limit10k}: 10,000 GETs started at once with {@code limit(100)} and {@code limitPerHost(100)}
 *       to a keep-alive HTTP/1.1 server in this JVM (the same {@code TestServer}: an accept loop, a virtual
 *       thread per connection, each request held {@code --delay-ms}) that counts the TCP connections open at once and
 *       the requests in flight; headline the maximum number of connections open (target &lt;= 100);</li>
 *   <li>{@code rps}: requests per second of {@code --concurrency} tasks (default 256, the session's
 *       {@code limit} and {@code limitPerHost} the same) each GETting {@code --url} in a loop for
 *       {@code --seconds}; meant for a local nginx next to {@code wrk -c 256} (W6 of
 *       {@code benchmarks/compare/run} measures the same side by side with wrk).</li>
 * </ul>
 *
 * <h2>Usage</h2>
 * <pre>
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks.jar io.asyncio4j.benchmarks.HttpBenchmark \
 *        [slow100|limit10k|rps]... [--reps N] [--warmup N] [--requests N] [--delay-ms N] [--url U]
 *        [--concurrency N] [--seconds N] [--json]
 * </pre>
 * The output format is {@link BenchmarkReport}'s. Default workloads: {@code slow100 limit10k} ({@code rps}
 * needs {@code --url}).
 */
public final class HttpBenchmark {
    /*
     * Implementation overview. Each workload run is one Asyncio.run with a fresh loop and a fresh
     * ClientSession (so connections are never reused across runs); the servers of slow100 and limit10k are
     * started per run in this JVM and stopped after it. The limit10k server counts at the TCP level: a
     * connection is open from accept() to the moment its thread sees EOF/reset and closes the socket.
     */
    private static final String PROGRAM = "HttpBenchmark";
    private static final List<String> ALL = List.of("slow100", "limit10k", "rps");

    private int reps = 3;
    private int warmup = 1;
    private int requests = 10_000;
    private int delayMs = 5;
    private String url;
    private int concurrency = 256;
    private int seconds = 10;
    private boolean json;

    private HttpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        HttpBenchmark b = new HttpBenchmark();
        List<String> workloads = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--reps" -> b.reps = atLeast(a, value(args, ++i, a), 1);
                case "--warmup" -> b.warmup = atLeast(a, value(args, ++i, a), 0);
                case "--requests" -> b.requests = atLeast(a, value(args, ++i, a), 1);
                case "--delay-ms" -> b.delayMs = atLeast(a, value(args, ++i, a), 0);
                case "--url" -> b.url = value(args, ++i, a);
                case "--concurrency" -> b.concurrency = atLeast(a, value(args, ++i, a), 1);
                case "--seconds" -> b.seconds = atLeast(a, value(args, ++i, a), 1);
                case "--json" -> b.json = true;
                case "-h", "--help" -> {
                    System.out.println(usage());
                    return;
                }
                default -> {
                    if (ALL.contains(a)) {
                        workloads.add(a);
                    } else {
                        throw BenchmarkReport.usageError(PROGRAM, usage(), "unknown argument '" + a + "'");
                    }
                }
            }
        }
        if (workloads.isEmpty()) {
            workloads.addAll(List.of("slow100", "limit10k"));
        }
        if (workloads.contains("rps") && b.url == null) {
            throw BenchmarkReport.usageError(PROGRAM, usage(), "rps needs --url");
        }
        BenchmarkReport report = new BenchmarkReport(b.json);
        report.header("http benchmark");
        for (String w : workloads) {
            switch (w) {
                case "slow100" -> report.runWorkload(w, b.warmup, b.reps, HttpBenchmark::slow100,
                        m -> "wall < 1300 ms: " + (m.get("wall_ms") < 1300 ? "met" : "NOT met"));
                case "limit10k" -> report.runWorkload(w, b.warmup, b.reps, b::limit10k,
                        m -> "max_connections <= 100: " + (m.get("max_connections") <= 100 ? "met" : "NOT met"));
                case "rps" -> report.runWorkload(w, b.warmup, b.reps, b::rps, null);
                default -> throw new IllegalArgumentException(w);
            }
        }
        report.finish();
    }

    private static String usage() {
        return "usage: HttpBenchmark [slow100|limit10k|rps]... [--reps N] [--warmup N] [--requests N] [--delay-ms N]\n"
                + "                     [--url U] [--concurrency N] [--seconds N] [--json]\n"
                + "  slow100        100 concurrent GETs in one TaskGroup, server answers after 1 s (target < 1300 ms)\n"
                + "  limit10k       --requests GETs (default 10000) with limit/limitPerHost 100; max connections at the server\n"
                + "  rps            requests/s of --concurrency tasks (default 256) GETting --url for --seconds (default 10)\n"
                + "  --reps N       measured runs per workload (default 3)\n"
                + "  --warmup N     unmeasured runs first (default 1)\n"
                + "  --delay-ms N   limit10k: how long the server holds each request (default 5)\n"
                + "  --json         figures as one JSON document on stdout (the text lines go to stderr)\n"
                + "The JVM needs --add-opens java.base/java.lang=ALL-UNNAMED.";
    }

    private static String value(String[] args, int i, String option) {
        return BenchmarkReport.value(PROGRAM, usage(), args, i, option);
    }

    private static int atLeast(String option, String text, int min) {
        return BenchmarkReport.atLeast(PROGRAM, usage(), option, text, min);
    }

    private static Response check(Response r) {
        r.raiseForStatus();
        return r;
    }

    // ---- slow100 -------------------------------------------------------------------------------------

    private static Map<String, Double> slow100() throws IOException {
        try (TestServer server = TestServer.start(r -> {
                    Thread.sleep(1000);
                    return Reply.ok("ok");
                });
             ClientSession session = ClientSession.builder().limit(100).build()) {
            String target = server.url("/slow");
            BenchmarkReport.CpuClock cpu = new BenchmarkReport.CpuClock();
            long elapsed = Asyncio.run(() -> {
                long t0 = System.nanoTime();
                TaskGroup.run(tg -> {
                    for (int i = 0; i < 100; i++) {
                        tg.createTask(() -> check(session.get(target)));
                    }
                    return null;
                });
                return System.nanoTime() - t0;
            });
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("wall_ms", elapsed / 1e6);
            f.put("requests", 100.0);
            f.put("server_max_in_flight", (double) server.maxInFlight());
            cpu.stop(f);
            return f;
        }
    }

    // ---- limit10k ------------------------------------------------------------------------------------

    private Map<String, Double> limit10k() throws IOException {
        long delay = delayMs;
        try (TestServer server = TestServer.start(r -> {
                    if (delay > 0) {
                        Thread.sleep(delay);
                    }
                    return Reply.ok("ok");
                });
                ClientSession session = ClientSession.builder().limit(100).limitPerHost(100).build()) {
            String target = server.url() + "/x";
            BenchmarkReport.CpuClock cpu = new BenchmarkReport.CpuClock();
            long elapsed = Asyncio.run(() -> {
                long t0 = System.nanoTime();
                TaskGroup.run(tg -> {
                    for (int i = 0; i < requests; i++) {
                        tg.createTask(() -> check(session.get(target)));
                    }
                    return null;
                });
                return System.nanoTime() - t0;
            });
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("max_connections", (double) server.maxOpenConnections());
            f.put("max_in_flight", (double) server.maxInFlight());
            f.put("connections_accepted", (double) server.connectionCount());
            f.put("requests", (double) server.requestCount());
            f.put("wall_ms", elapsed / 1e6);
            f.put("req_per_s", server.requestCount() / (elapsed / 1e9));
            cpu.stop(f);
            return f;
        }
    }

    // ---- rps -----------------------------------------------------------------------------------------

    private Map<String, Double> rps() {
        try (ClientSession session = ClientSession.builder().limit(concurrency).limitPerHost(concurrency).build()) {
            BenchmarkReport.CpuClock cpu = new BenchmarkReport.CpuClock();
            AtomicLong done = new AtomicLong();
            AtomicLong bytes = new AtomicLong();
            long elapsed = Asyncio.run(() -> {
                long t0 = System.nanoTime();
                long end = t0 + seconds * 1_000_000_000L;
                TaskGroup.run(tg -> {
                    for (int i = 0; i < concurrency; i++) {
                        tg.createTask(() -> {
                            while (System.nanoTime() < end) {
                                bytes.addAndGet(check(session.get(url)).bytes().length);
                                done.incrementAndGet();
                            }
                        });
                    }
                    return null;
                });
                return System.nanoTime() - t0;
            });
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("req_per_s", done.get() / (elapsed / 1e9));
            f.put("requests", (double) done.get());
            f.put("body_bytes", (double) bytes.get());
            f.put("wall_ms", elapsed / 1e6);
            cpu.stop(f);
            return f;
        }
    }
}
