package io.asyncio4j.benchmarks.peers;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Vert.x 5 peer of the comparison harness (benchmarks/compare, issue 7): the HTTP workloads W6, W7 and W8 with
 * Vert.x's {@link WebClient} on one event loop.
 *
 * <pre>
 *   java -cp peers-vertx.jar io.asyncio4j.benchmarks.peers.VertxWorkloads W6 --url URL [--size N] [--concurrency N]
 *   java -cp peers-vertx.jar io.asyncio4j.benchmarks.peers.VertxWorkloads W7 --url URL [--size N]
 *   java -cp peers-vertx.jar io.asyncio4j.benchmarks.peers.VertxWorkloads W8 --url URL --ca PEM [--size N] [--concurrency N]
 * </pre>
 *
 * <ul>
 *   <li>W6: {@code --size} GETs (default 100,000) of {@code --url} (the harness's nginx serving a 1 KiB file)
 *       by {@code --concurrency} (default 256) request chains: each chain sends its next GET when the previous
 *       answer's body is read; the pool holds at most 256 keep-alive HTTP/1.1 connections. Headline
 *       {@code requests_per_s} = GETs / wall time from the first request to the last answer.</li>
 *   <li>W7: {@code --size} GETs (default 10,000) of {@code --url} followed by the request's number (the
 *       harness's prefix of URLs that answer after 1 s), all sent at once; the pool may open one connection per
 *       request. Headline {@code wall_ms}, first request to last answer.</li>
 *   <li>W8: W6 over https ({@code --url https://...}), trusting the certificate in the PEM file {@code --ca}
 *       (the harness's self-signed one); the host name is verified (Vert.x's default).</li>
 * </ul>
 *
 * <p>The command line and the output follow the harness's protocol (benchmarks/compare: WorkloadProgram): the
 * workload's name and the options in any order, one {@code result workload=.. system=vertx HEADLINE=..} line,
 * exit 0; exit 2 on a usage error, exit 3 for W1-W5 (not run by this peer). {@code --seed} is accepted and
 * ignored, so the harness can pass every program the same options.
 *
 * <p>One process measures one workload once. {@code --warmup N} (default 0) first runs the same workload N
 * times in-process, unmeasured, at its size, W7 at a tenth of it (the harness's rule in every program,
 * WorkloadProgram.warmupSize), each with its own Vertx and client and a {@code warmup workload=...} line; then
 * the measured run with a fresh Vertx and client prints the one {@code result ...} line (headline key first,
 * {@code warmup=N}).
 * Every answer must be a 200 with a body; otherwise the program prints the failure on stderr and exits 1.
 */
public final class VertxWorkloads {

    private static final String SYSTEM = "vertx";

    private static final String USAGE = """
            usage: VertxWorkloads <W6|W7|W8> --url URL [--size N] [--concurrency N] [--warmup N] [--seed N] [--ca PEM]
              W6  --size GETs (default 100000) of --url by --concurrency (default 256) keep-alive chains -> requests_per_s
              W7  --size GETs (default 10000) of --url + i (each answers after 1 s), all at once       -> wall_ms
              W8  W6 over https, trusting the certificate in the PEM file --ca                          -> requests_per_s
              --warmup N   first run the workload N times unmeasured in this process (W7 at a tenth of the size; default 0)
              --seed N     accepted and ignored (an option of the other programs)
            W1-W5 have no Vert.x peer (exit 3): see KotlinWorkloadsKt.""";

    /** Exit status for a workload this program does not run (the harness's convention). */
    private static final int UNSUPPORTED = 3;

    private VertxWorkloads() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.println(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        String workload = null;
        String url = null;
        Integer size = null;
        int concurrency = 256;
        int warmup = 0;
        String ca = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = value(args, ++i, "--url");
                case "--size" -> size = positive(args, ++i, "--size");
                case "--concurrency" -> concurrency = positive(args, ++i, "--concurrency");
                case "--warmup" -> warmup = nonNegative(args, ++i, "--warmup");
                case "--ca" -> ca = value(args, ++i, "--ca");
                case "--seed" -> value(args, ++i, "--seed"); // W5's option: not used here
                default -> {
                    if (args[i].startsWith("-") || workload != null) {
                        throw usageError("unexpected argument '" + args[i] + "'");
                    }
                    workload = args[i];
                }
            }
        }
        if (workload == null) {
            throw usageError("no workload given");
        }
        if (workload.matches("W[1-5]")) {
            System.err.println("VertxWorkloads: vertx does not run " + workload + " (the kotlinx peer does)");
            System.exit(UNSUPPORTED);
        }
        if (!workload.equals("W6") && !workload.equals("W7") && !workload.equals("W8")) {
            throw usageError("unknown workload '" + workload + "' (W1..W8)");
        }
        if (workload.equals("W8") && ca == null) {
            throw usageError("W8 needs --ca PEM (the server's certificate)");
        }
        if (url == null) {
            throw usageError(workload + " needs --url URL");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw usageError("--url is not a URL: " + e.getMessage());
        }
        int n = size != null ? size : workload.equals("W7") ? 10_000 : 100_000;

        try {
            for (int i = 0; i < warmup; i++) {
                int warmSize = workload.equals("W7") ? Math.max(1, n / 10) : n; // the harness's rule
                Map<String, Object> warm = run(workload, uri, warmSize, concurrency, ca);
                System.out.println(line("warmup", workload, warm));
            }
            Map<String, Object> f = run(workload, uri, n, concurrency, ca);
            f.put("warmup", warmup);
            System.out.println(line("result", workload, f));
        } catch (IllegalStateException e) {
            System.err.println("VertxWorkloads: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    /**
     * One run with a fresh Vertx of one event loop and a fresh WebClient, closed afterwards; W8 is W6 over
     * https, trusting the certificate in the PEM file {@code ca} (hostnames verified, Vert.x's default).
     */
    private static Map<String, Object> run(String workload, URI uri, int n, int concurrency, String ca) throws Exception {
        boolean w6 = !workload.equals("W7");
        int poolSize = w6 ? concurrency : n;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        WebClientOptions options = new WebClientOptions();
        if (ca != null) {
            // the default 10 s handshake limit fails some of 256 handshakes at once on a busy 2-core machine;
            // asyncio4j's and aiohttp's sessions have none by default
            options.setTrustOptions(new PemTrustOptions().addCertPath(ca)).setSslHandshakeTimeout(120)
                    .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
        }
        WebClient client = WebClient.create(vertx,
                options
                        .setProtocolVersion(HttpVersion.HTTP_1_1)
                        .setKeepAlive(true)
                        .setPipelining(false)
                        .setUserAgentEnabled(false),
                new PoolOptions().setHttp1MaxSize(poolSize));
        try {
            Requests r = new Requests(client, uri.toString(), !w6, n);
            long t0 = System.nanoTime();
            // Start on the event loop, as a Vert.x program does: every callback below runs on that one thread.
            vertx.runOnContext(v -> {
                int chains = w6 ? Math.min(concurrency, n) : n;
                for (int i = 0; i < chains; i++) {
                    r.next();
                }
            });
            r.done.get(10, TimeUnit.MINUTES);
            long wallNs = System.nanoTime() - t0;
            if (r.failure != null) {
                throw new IllegalStateException(workload + ": " + r.failures + " of " + n + " GETs failed; first: "
                        + r.failure);
            }
            Map<String, Object> f = new LinkedHashMap<>();
            if (w6) {
                f.put("requests_per_s", fmt(n / (wallNs / 1e9)));
                f.put("wall_ms", fmt(wallNs / 1e6));
                f.put("concurrency", concurrency);
            } else {
                f.put("wall_ms", fmt(wallNs / 1e6));
            }
            f.put("requests", n);
            f.put("body_bytes", r.bodyBytes / n);
            f.put("pool", poolSize);
            return f;
        } finally {
            client.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        }
    }

    /**
     * The requests of one run. Touched on the event loop thread only (every callback of a client created
     * outside a context runs on the Vertx's one event loop), except {@code done}, which the main thread waits on.
     */
    private static final class Requests {
        private final WebClient client;
        private final String url;
        private final boolean numbered;
        private final int total;
        private int sent;
        private int answered;
        private int failures;
        private Throwable failure;
        private long bodyBytes;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Requests(WebClient client, String url, boolean numbered, int total) {
            this.client = client;
            this.url = url;
            this.numbered = numbered;
            this.total = total;
        }

        /** Sends one GET if any is left; its answer sends the next one of the same chain. */
        void next() {
            if (sent == total) {
                return;
            }
            String u = numbered ? url + sent : url; // W7: the prefix and the request's number, from 0
            sent++;
            Future<HttpResponse<Buffer>> f = client.getAbs(u).send();
            f.onComplete(ar -> {
                if (ar.succeeded() && ar.result().statusCode() == 200 && ar.result().body() != null) {
                    bodyBytes += ar.result().body().length();
                } else {
                    failures++;
                    if (failure == null) {
                        failure = ar.failed() ? ar.cause() : new IllegalStateException("HTTP " + ar.result().statusCode());
                    }
                }
                if (++answered == total) {
                    done.complete(null);
                } else {
                    next();
                }
            });
        }
    }

    private static String line(String kind, String workload, Map<String, Object> f) {
        StringJoiner j = new StringJoiner(" ");
        j.add(kind).add("workload=" + workload).add("system=" + SYSTEM);
        f.forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }

    private static String fmt(double x) {
        return String.format(Locale.ROOT, "%.3f", x);
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw usageError(name + " needs a value");
        }
        return args[i];
    }

    private static int positive(String[] args, int i, String name) {
        int n = nonNegative(args, i, name);
        if (n == 0) {
            throw usageError(name + " must be a positive integer, got '0'");
        }
        return n;
    }

    private static int nonNegative(String[] args, int i, String name) {
        String v = value(args, i, name);
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw usageError(name + " must be an integer >= 0, got '" + v + "'");
    }

    private static Error usageError(String message) {
        System.err.println("VertxWorkloads: " + message + " (--help for usage)");
        System.exit(2);
        return new AssertionError("unreachable");
    }
}
