package io.asyncio4j.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;

/**
 * The HTTP/1.1 server behind {@code asyncio4j serve}, written on asyncio4j's public API only, and usable
 * embedded in a program, an example or a test.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Asyncio.run(() -> {
 *     try (LocalServer server = LocalServer.builder().latency(Duration.ofMillis(100)).start();
 *          ClientSession session = ClientSession.builder().build()) {
 *         Response r = session.get(server.url() + "/json");
 *         ...
 *     }
 * });
 * }</pre>
 * {@link Builder#start()} binds and serves on a task of the running loop, and {@link #close()} stops it
 * and waits for that task; {@link Builder#bind()} only binds, for a program whose main task calls
 * {@link #serveForever()} itself (as {@code serve} does).
 *
 * <h2>Endpoints</h2>
 * <ul>
 *   <li>{@code /delay/{ms}}: answers {@code {"delay_ms":ms}} after ms milliseconds;
 *   <li>{@code /status/{code}}: answers with that status (200..599);
 *   <li>{@code /bytes/{n}}: n bytes of {@code application/octet-stream} ('a'..'z' repeated);
 *   <li>{@code /json}: a small JSON object;
 *   <li>{@code /links/{n}[/{i}]}: an HTML page of n links to {@code /links/{n}/{i}}, for a crawler;
 *   <li>{@code /posts/{id}}: a JSONPlaceholder-shaped post {@code {"userId","id","title","body"}}, the
 *       same for the same id, for ids 1..100; else 404 {@code {}};
 *   <li>{@code /echo} (any method): JSON of the request: {@code method}, {@code path}, {@code query}
 *       (decoded parameters), {@code headers} (lower-cased names), {@code body} (as UTF-8) and
 *       {@code body_bytes};
 *   <li>with {@link Builder#site(int, Duration)}: {@code /robots.txt}, {@code /sitemap-index.xml} and
 *       {@code /site/...}, a generated site for crawlers (see {@link CrawlSite});
 *   <li>{@code POST /v1/chat/completions}: an OpenAI-compatible fake; answers a {@code chat.completion}
 *       whose message is {@code "echo: "} plus the last user message, the model echoed and token counts
 *       as whitespace-separated words; 401 without {@code Authorization: Bearer ...}, 400 for malformed
 *       JSON or no {@code messages}, with an OpenAI-style {@code {"error":{"message","type"}}} body;
 *       {@code POST /v1/embeddings} likewise; both limited by {@link Builder#limits(int, int)} (see
 *       {@link ApiLimits}: 429 with {@code Retry-After}, {@code x-ratelimit-*} headers, {@code usage});
 *   <li>anything else: 404.
 * </ul>
 * Request bodies (with {@code Content-Length}) are read up to 1 MiB; a bigger one gets 413 and the
 * connection is closed once the rest of the upload was read and dropped (up to 64 MiB), so that the
 * client sees the 413, not a reset. Only {@code /echo} and the chat endpoint look at the body.
 *
 * <h2>Fault injection</h2>
 * With {@link Builder#fault(Fault, double) fault(f, rate)} each request, once read, independently gets the
 * fault with probability {@code rate} (see {@link Fault} for what each one does); the others are answered
 * normally. The draws come from one generator seeded with {@link Builder#seed(long)}, so the same seed and
 * the same order of requests fault the same requests:
 * <pre>{@code
 * // about a third of the requests are reset, the same ones on every run
 * LocalServer flaky = LocalServer.builder().fault(LocalServer.Fault.RESET, 0.3).seed(42).start();
 * }</pre>
 *
 * <h2>How it runs</h2>
 * It runs inside one {@code Asyncio.run}: {@link #serveForever()} is the accept loop of one task,
 * and each accepted connection gets its own task that reads requests one after another (keep-alive) and
 * answers each. A task blocked in {@code accept()} or in a socket read parks only itself, so thousands of
 * connections share the one event loop. {@code --latency} and {@code --jitter} are waited with
 * {@link Asyncio#sleep(Duration)} before each answer, as is {@code /delay/{ms}}.
 *
 * <p>Limits: request line and header lines up to 8 KiB, 100 headers, no chunked request bodies; a
 * malformed request gets 400 and the connection is closed.
 *
 * <h2>Thread-safety</h2>
 * {@link #stop()} and {@link #url()} may be called from any thread; everything else runs on the loop. The
 * random generator (faults and jitter) is not thread-safe and needs no lock: every connection task runs on
 * the loop's thread, one at a time.
 */
public final class LocalServer implements AutoCloseable {

    /*
     * Implementation overview. One task accepts; one task per connection loops read request -> (maybe
     * fault) -> pause -> route (ServerRoutes) -> reply. A fault is decided right after the request is read, by one draw
     * from `random`; RESET and STALL happen before the latency pause, TRUNCATE and SLOW_HEADERS replace the
     * way the normal answer is written. stop() closes the listener and every socket in `connections`, which
     * ends any task parked in accept() or read() (a stalled connection included) with an IOException.
     */

    /**
     * What a faulty answer looks like. Each applies to one request and ends its connection (except
     * {@link #SLOW_HEADERS}, whose answer is complete).
     */
    public enum Fault {
        /**
         * After reading the request, close the socket with {@code SO_LINGER} 0: the client sees a
         * connection reset and no response bytes.
         */
        RESET,
        /**
         * Read the request and never answer: the connection stays open until the client closes it or the
         * server stops (the connection's task parks in a read of the socket, which {@link LocalServer#stop()}
         * ends).
         */
        STALL,
        /**
         * Send the status line and headers with the full {@code Content-Length}, then only the first half
         * of the body (rounded down), flush and close.
         */
        TRUNCATE,
        /**
         * Send the response head one line at a time with a pause of {@link #SLOW_HEADERS_PAUSE} between
         * lines (independent of the latency), then the body: a client with a shorter read timeout times
         * out, one without succeeds.
         */
        SLOW_HEADERS;

        /** The pause between head lines of {@link #SLOW_HEADERS}: 200 ms. */
        public static final Duration SLOW_HEADERS_PAUSE = Duration.ofMillis(200);

        /** The name as {@code serve --fault} spells it: reset, stall, truncate or slow-headers. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    // how much of an oversized upload is read and dropped after its 413, and how long a silence ends that
    private static final long DRAIN_LIMIT = 64L << 20;
    private static final int DRAIN_MILLIS = 2_000;

    private final ServerSocket listener;
    private final Duration latency;
    private final Duration jitter;
    private final Fault fault;
    private final double faultRate;
    private final Duration linePause;
    /** Draws the faults and the jitter; used on the loop thread only (see Thread-safety). */
    private final RandomGenerator random;
    private final ApiEndpoints api;
    /** Which answer each path gets. */
    private final ServerRoutes routes;
    /** Open connections, closed by stop() so their tasks end. */
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    // written by stop() on any thread; read by the accept loop (volatile)
    private volatile boolean stopped;
    /** The accept-loop task made by {@link Builder#start()}; null for a server made by bind(). */
    private Task<Void> serving;

    private LocalServer(ServerSocket listener, Builder b) {
        this.listener = listener;
        this.latency = b.latency;
        this.jitter = b.jitter;
        this.fault = b.fault;
        this.faultRate = b.faultRate;
        this.linePause = b.linePause;
        this.api = new ApiEndpoints(new ApiLimits(b.rpm, b.tpm, b.limitWindow));
        this.routes = new ServerRoutes(api, b.site, this::url);
        this.random = RandomGeneratorFactory.of("L64X128MixRandom").create(b.seed);
    }

    /** A builder with the defaults: 127.0.0.1, a free port, no latency, no jitter, no faults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How a {@link LocalServer} listens and answers. Not thread-safe; use one builder per server.
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private Duration latency = Duration.ZERO;
        private Duration jitter = Duration.ZERO;
        private Fault fault;
        private double faultRate;
        private long seed = ThreadLocalRandom.current().nextLong();
        private Duration linePause = Fault.SLOW_HEADERS_PAUSE;
        private int rpm;
        private int tpm;
        private double limitWindow = 60;
        private CrawlSite site;

        private Builder() {
        }

        /**
         * Limits the OpenAI-compatible endpoints to {@code rpm} requests and {@code tpm} tokens a minute (0: no
         * limit, the default); see {@link ApiLimits}.
         */
        public Builder limits(int rpm, int tpm) {
            if (rpm < 0 || tpm < 0) {
                throw new IllegalArgumentException("rate limits must not be negative: rpm " + rpm + ", tpm " + tpm);
            }
            this.rpm = rpm;
            this.tpm = tpm;
            return this;
        }

        /** The address to listen on (default 127.0.0.1, loopback only). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The TCP port, 0 for a free one (the default). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not in 0..65535");
            }
            this.port = port;
            return this;
        }

        /** The wait before each answer (default zero). */
        public Builder latency(Duration latency) {
            this.latency = nonNegative(latency, "latency");
            return this;
        }

        /** A random extra wait between zero and this before each answer (default zero). */
        public Builder jitter(Duration jitter) {
            this.jitter = nonNegative(jitter, "jitter");
            return this;
        }

        /**
         * Gives each request {@code fault} with probability {@code rate} (default: no fault). A null fault
         * turns fault injection off.
         *
         * @throws IllegalArgumentException if rate is not in 0..1
         */
        public Builder fault(Fault fault, double rate) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("fault rate " + rate + " is not in 0..1");
            }
            this.fault = fault;
            this.faultRate = fault == null ? 0 : rate;
            return this;
        }

        /** Seeds the generator of faults and jitter, for a reproducible run (default: a random seed). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The seconds' worth of the limits their buckets hold (default 60; tests shorten it for quick 429s). */
        Builder limitWindow(double seconds) {
            this.limitWindow = seconds;
            return this;
        }

        /** Serves {@code site} (a test's own, to read its arrivals). */
        Builder site(CrawlSite site) {
            this.site = site;
            return this;
        }

        /**
         * Serves the generated site for crawlers ({@code /robots.txt}, {@code /sitemap-index.xml} and
         * {@code /site/...}, see {@link CrawlSite}) of {@code pages} numbered pages, whose robots.txt asks
         * for {@code crawlDelay} between requests (zero for none). Without it those paths are 404.
         */
        public Builder site(int pages, Duration crawlDelay) {
            this.site = new CrawlSite(pages, nonNegative(crawlDelay, "site crawl delay"));
            return this;
        }

        /** The pause between head lines of {@link Fault#SLOW_HEADERS} (tests shorten it). */
        Builder linePause(Duration pause) {
            this.linePause = nonNegative(pause, "line pause");
            return this;
        }

        /** Binds the listening socket; nothing is served until {@link LocalServer#serveForever()}. */
        public LocalServer bind() throws IOException {
            ServerSocket ss = new ServerSocket();
            try {
                ss.setReuseAddress(true);
                ss.bind(new InetSocketAddress(InetAddress.getByName(host), port), 512);
            } catch (IOException e) {
                ss.close();
                throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
            }
            return new LocalServer(ss, this);
        }

        /**
         * Binds and serves on a new task of the running loop; {@link LocalServer#close()} stops it.
         *
         * @throws IllegalStateException if called outside a task
         */
        public LocalServer start() throws IOException {
            LocalServer server = bind();
            try {
                server.serving = Asyncio.createTask(server::serveForever, "local-server " + server.url());
            } catch (RuntimeException e) {
                server.stop();
                throw e;
            }
            return server;
        }

        private static Duration nonNegative(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " " + d + " is negative");
            }
            return d;
        }
    }

    /** The limits of the OpenAI-compatible endpoints (tests read their arrivals). */
    ApiLimits limits() {
        return api.limits();
    }

    /** {@code http://HOST:PORT} of the bound socket, without a trailing slash. */
    public String url() {
        InetAddress a = listener.getInetAddress();
        String h = a.getHostAddress();
        if (h.indexOf(':') >= 0) {
            h = "[" + h + "]";
        }
        return "http://" + h + ":" + listener.getLocalPort();
    }

    /** Accepts connections until {@link #stop()}, one task each. Runs on a task. */
    public void serveForever() throws IOException {
        try (listener) {
            while (!stopped) {
                Socket s;
                try {
                    s = listener.accept();
                } catch (IOException e) {
                    if (stopped) {
                        break;
                    }
                    throw e;
                }
                connections.add(s);
                if (stopped) {
                    closeQuietly(s);
                    break;
                }
                Asyncio.createTask(() -> serveConnection(s), "serve " + s.getRemoteSocketAddress());
            }
        } finally {
            for (Socket s : connections) {
                closeQuietly(s);
            }
        }
    }

    /**
     * Stops and, for a server made by {@link Builder#start()}, waits until its accept loop has ended.
     * Call it on the loop that started the server. Idempotent.
     */
    @Override
    public void close() {
        stop();
        Task<Void> t = serving;
        if (t != null) {
            t.await();
        }
    }

    /** Closes the listening socket and every open connection; serveForever() then returns. Any thread. */
    public void stop() {
        stopped = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : connections) {
            closeQuietly(s);
        }
    }

    /**
     * After a 413: reads and drops the body the client is still sending (at most {@code bytes}, at most
     * {@link #DRAIN_LIMIT}, giving up after {@link #DRAIN_MILLIS} of silence), so that closing the connection
     * does not reset it under a client that has not read the answer yet.
     */
    private static void drain(Socket s, InputStream in, long bytes) {
        try {
            s.shutdownOutput(); // the answer is complete: the client may read it while it still sends
            s.setSoTimeout(DRAIN_MILLIS);
            byte[] sink = new byte[16 * 1024];
            for (long left = Math.min(bytes, DRAIN_LIMIT); left > 0; ) {
                int n = in.read(sink, 0, (int) Math.min(sink.length, left));
                if (n < 0) {
                    return;
                }
                left -= n;
            }
        } catch (IOException e) {
            // the client went away or stalled: close anyway
        }
    }

    private void serveConnection(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 16384);
            while (true) {
                Request req;
                try {
                    req = Request.read(in);
                } catch (Request.BadRequest e) {
                    reply(out, Reply.text(e.status, e.getMessage() + "\n"), false, false);
                    drain(s, in, e.unread);
                    return;
                }
                if (req == null) {
                    return;
                }
                Fault f = drawFault();
                if (f == Fault.RESET) {
                    reset(s);
                    return;
                }
                if (f == Fault.STALL) {
                    stall(in);
                    return;
                }
                pause();
                Reply r = routes.route(req);
                boolean head = req.method().equals("HEAD");
                if (f == Fault.TRUNCATE) {
                    truncated(out, r, head);
                    return;
                }
                boolean keepAlive = req.keepAlive();
                if (f == Fault.SLOW_HEADERS) {
                    slowly(out, r, head, keepAlive);
                } else {
                    reply(out, r, head, keepAlive);
                }
                if (!keepAlive) {
                    return;
                }
            }
        } catch (IOException e) {
            // the peer went away or stop() closed the socket
        } finally {
            connections.remove(s);
        }
    }

    /** The fault for the request just read, or null: one draw per request while a fault is set. */
    private Fault drawFault() {
        if (fault == null) {
            return null;
        }
        return random.nextDouble() < faultRate ? fault : null;
    }

    /** {@link Fault#RESET}: an abortive close, so the peer gets a TCP reset instead of an answer. */
    private static void reset(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
    }

    /** {@link Fault#STALL}: reads (and drops) until the peer closes or stop() closes the socket. */
    private static void stall(InputStream in) throws IOException {
        byte[] sink = new byte[4096];
        while (in.read(sink) >= 0) {
            // never answer
        }
    }

    /** {@link Fault#TRUNCATE}: the head with the full Content-Length, then half the body; the caller closes. */
    private static void truncated(OutputStream out, Reply r, boolean head) throws IOException {
        out.write(r.head(false));
        if (!head && r.hasBody()) {
            r.body().write(out, r.length() / 2);
        }
        out.flush();
    }

    /** {@link Fault#SLOW_HEADERS}: the head a line at a time with a pause between lines, then the body. */
    private void slowly(OutputStream out, Reply r, boolean head, boolean keepAlive) throws IOException {
        String[] lines = new String(r.head(keepAlive), StandardCharsets.ISO_8859_1).split("\r\n", -1);
        // "a\r\nb\r\n\r\n" splits into a, b, "", "": the last element is what follows the final CRLF
        for (int i = 0; i < lines.length - 1; i++) {
            if (i > 0) {
                Asyncio.sleep(linePause);
            }
            out.write((lines[i] + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        if (!head && r.hasBody()) {
            r.body().write(out, r.length());
        }
        out.flush();
    }

    /** --latency plus a random part of --jitter, on the loop's clock. */
    private void pause() {
        long nanos = latency.toNanos();
        if (!jitter.isZero()) {
            nanos += random.nextLong(jitter.toNanos() + 1);
        }
        if (nanos > 0) {
            Asyncio.sleep(Duration.ofNanos(nanos));
        }
    }

    private static void reply(OutputStream out, Reply r, boolean head, boolean keepAlive) throws IOException {
        out.write(r.head(keepAlive));
        if (!head && r.hasBody()) {
            r.body().write(out, r.length());
        }
        out.flush();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
