package io.asyncio4j.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

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
 *          ClientSession session = ClientSession.create()) {
 *         Response r = session.get(server.url() + "/json");
 *         ...
 *     }
 * });
 * }</pre>
 * {@link Builder#start()} binds and serves on a task of the running loop, and {@link #close()} stops it
 * and waits for that task; {@link Builder#bind()} only binds, for a program whose main task calls
 * {@link #serveForever()} itself (as {@code serve} does).
 *
 * <p>It runs inside one {@code Asyncio.run}: {@link #serveForever()} is the accept loop of one task,
 * and each accepted connection gets its own task that reads requests one after another (keep-alive) and
 * answers each. A task blocked in {@code accept()} or in a socket read parks only itself, so thousands of
 * connections share the one event loop. {@code --latency} and {@code --jitter} are waited with
 * {@link Asyncio#sleep(Duration)} before each answer, as is {@code /delay/{ms}}.
 *
 * <p>Limits: request line and header lines up to 8 KiB, 100 headers, request bodies only with
 * {@code Content-Length} (read and ignored); a malformed request gets 400 and the connection is closed.
 *
 * <p>Thread-safety: {@link #stop()} and {@link #url()} may be called from any thread; everything else runs
 * on the loop.
 */
public final class LocalServer implements AutoCloseable {

    private static final int MAX_LINE = 8192;
    private static final int MAX_HEADERS = 100;
    private static final long MAX_BYTES = 1L << 30;
    private static final int MAX_LINKS = 10_000;
    private static final long MAX_DELAY_MS = 300_000;

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(200, "OK"), Map.entry(201, "Created"), Map.entry(202, "Accepted"),
            Map.entry(204, "No Content"), Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"),
            Map.entry(304, "Not Modified"), Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"),
            Map.entry(408, "Request Timeout"), Map.entry(418, "I'm a teapot"),
            Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));

    private final ServerSocket listener;
    private final Duration latency;
    private final Duration jitter;
    /** Open connections, closed by stop() so their tasks end. */
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;
    /** The accept-loop task made by {@link Builder#start()}; null for a server made by bind(). */
    private Task<Void> serving;

    private LocalServer(ServerSocket listener, Duration latency, Duration jitter) {
        this.listener = listener;
        this.latency = latency;
        this.jitter = jitter;
    }

    /** A builder with the defaults: 127.0.0.1, a free port, no latency, no jitter. */
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

        private Builder() {
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
            return new LocalServer(ss, latency, jitter);
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

    private void serveConnection(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 16384);
            while (true) {
                Request req;
                try {
                    req = Request.read(in);
                } catch (BadRequest e) {
                    reply(out, text(400, e.getMessage() + "\n"), false, false);
                    return;
                }
                if (req == null) {
                    return;
                }
                pause();
                Reply r = route(req.path);
                boolean keepAlive = req.keepAlive();
                reply(out, r, req.method.equals("HEAD"), keepAlive);
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

    /** --latency plus a random part of --jitter, on the loop's clock. */
    private void pause() {
        long nanos = latency.toNanos();
        if (!jitter.isZero()) {
            nanos += ThreadLocalRandom.current().nextLong(jitter.toNanos() + 1);
        }
        if (nanos > 0) {
            Asyncio.sleep(Duration.ofNanos(nanos));
        }
    }

    private Reply route(String target) {
        int q = target.indexOf('?');
        String path = q >= 0 ? target.substring(0, q) : target;
        String[] parts = path.split("/", -1);
        // parts[0] is "" for a path starting with '/'
        if (parts.length < 2 || !parts[0].isEmpty()) {
            return notFound(path);
        }
        try {
            switch (parts[1]) {
                case "json" -> {
                    if (parts.length == 2) {
                        return new Reply(200, "application/json", utf8(
                                "{\"name\":\"asyncio4j\",\"server\":\"asyncio4j serve\",\"ok\":true,"
                                        + "\"items\":[1,2,3]}\n"));
                    }
                }
                case "delay" -> {
                    if (parts.length == 3) {
                        long ms = number(parts[2], 0, MAX_DELAY_MS);
                        Asyncio.sleep(Duration.ofMillis(ms));
                        return new Reply(200, "application/json", utf8("{\"delay_ms\":" + ms + "}\n"));
                    }
                }
                case "status" -> {
                    if (parts.length == 3) {
                        int code = (int) number(parts[2], 200, 599);
                        return text(code, code + " " + reason(code) + "\n");
                    }
                }
                case "bytes" -> {
                    if (parts.length == 3) {
                        long n = number(parts[2], 0, MAX_BYTES);
                        return new Reply(200, "application/octet-stream", n, LocalServer::writePattern);
                    }
                }
                case "links" -> {
                    if (parts.length == 3 || parts.length == 4) {
                        int n = (int) number(parts[2], 0, MAX_LINKS);
                        int self = parts.length == 4 ? (int) number(parts[3], 0, Math.max(0, n - 1)) : -1;
                        return new Reply(200, "text/html; charset=utf-8", utf8(links(n, self)));
                    }
                }
                default -> {
                    // 404 below
                }
            }
        } catch (IllegalArgumentException e) {
            return text(400, e.getMessage() + "\n");
        }
        return notFound(path);
    }

    private static String links(int n, int self) {
        StringBuilder b = new StringBuilder(64 + n * 48);
        b.append("<!DOCTYPE html>\n<html><head><title>links</title></head><body>\n");
        for (int i = 0; i < n; i++) {
            if (i == self) {
                b.append(i).append('\n');
            } else {
                b.append("<a href=\"/links/").append(n).append('/').append(i).append("\">").append(i)
                        .append("</a>\n");
            }
        }
        return b.append("</body></html>\n").toString();
    }

    /** Bytes 'a'..'z' repeated, so a body can be checked without holding it. */
    private static void writePattern(OutputStream out, long n) throws IOException {
        byte[] chunk = new byte[8192];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) ('a' + i % 26);
        }
        long left = n;
        while (left > 0) {
            int k = (int) Math.min(left, chunk.length - chunk.length % 26);
            out.write(chunk, 0, k);
            left -= k;
        }
    }

    private static long number(String s, long min, long max) {
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a number");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(v + " is not in " + min + ".." + max);
        }
        return v;
    }

    private static Reply notFound(String path) {
        return text(404, "no such endpoint: " + path + "\n");
    }

    private static Reply text(int status, String body) {
        return new Reply(status, "text/plain; charset=utf-8", utf8(body));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String reason(int code) {
        return REASONS.getOrDefault(code, "Status " + code);
    }

    private static void reply(OutputStream out, Reply r, boolean head, boolean keepAlive) throws IOException {
        boolean noBody = r.status == 204 || r.status == 304;
        StringBuilder h = new StringBuilder(160);
        h.append("HTTP/1.1 ").append(r.status).append(' ').append(reason(r.status)).append("\r\n");
        h.append("Server: asyncio4j\r\n");
        if (!noBody) {
            h.append("Content-Type: ").append(r.contentType).append("\r\n");
            h.append("Content-Length: ").append(r.length).append("\r\n");
        }
        h.append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!head && !noBody) {
            r.body.write(out, r.length);
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

    /** Writes a body of the given length. */
    @FunctionalInterface
    private interface BodyWriter {
        void write(OutputStream out, long length) throws IOException;
    }

    /** An answer: status, content type, body length and how to write the body. */
    private record Reply(int status, String contentType, long length, BodyWriter body) {
        Reply(int status, String contentType, byte[] bytes) {
            this(status, contentType, bytes.length, (out, n) -> out.write(bytes));
        }
    }

    /** A malformed request: answered with 400, then the connection is closed. */
    private static final class BadRequest extends IOException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** The parts of a request the server uses. */
    private record Request(String method, String path, String version, String connection) {

        boolean keepAlive() {
            String c = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
            if (version.equals("HTTP/1.0")) {
                return c.contains("keep-alive");
            }
            return !c.contains("close");
        }

        /** Reads one request (head, then skips a Content-Length body); null at a clean end of stream. */
        static Request read(InputStream in) throws IOException {
            String line = readLine(in);
            if (line == null) {
                return null;
            }
            while (line.isEmpty()) { // tolerate blank lines between requests (RFC 9112 §2.2)
                line = readLine(in);
                if (line == null) {
                    return null;
                }
            }
            String[] start = line.split(" ");
            if (start.length != 3 || !start[2].startsWith("HTTP/1.")) {
                throw new BadRequest("bad request line");
            }
            String connection = null;
            long contentLength = 0;
            for (int count = 0; ; count++) {
                String h = readLine(in);
                if (h == null) {
                    throw new BadRequest("request head cut short");
                }
                if (h.isEmpty()) {
                    break;
                }
                if (count >= MAX_HEADERS) {
                    throw new BadRequest("too many headers");
                }
                int colon = h.indexOf(':');
                if (colon <= 0) {
                    throw new BadRequest("bad header line");
                }
                String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).strip();
                switch (name) {
                    case "connection" -> connection = value;
                    case "content-length" -> {
                        try {
                            contentLength = Long.parseLong(value);
                        } catch (NumberFormatException e) {
                            throw new BadRequest("bad Content-Length");
                        }
                        if (contentLength < 0) {
                            throw new BadRequest("bad Content-Length");
                        }
                    }
                    case "transfer-encoding" -> throw new BadRequest("chunked request bodies are not supported");
                    default -> {
                        // ignored
                    }
                }
            }
            long left = contentLength;
            while (left > 0) {
                long k = in.skip(left);
                if (k <= 0) {
                    if (in.read() < 0) {
                        throw new BadRequest("request body cut short");
                    }
                    k = 1;
                }
                left -= k;
            }
            return new Request(start[0], start[1], start[2], connection);
        }

        /** A CRLF- (or LF-) terminated ISO-8859-1 line without its terminator; null at end of stream. */
        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(128);
            while (true) {
                int c = in.read();
                if (c < 0) {
                    if (b.size() == 0) {
                        return null;
                    }
                    throw new BadRequest("request cut short");
                }
                if (c == '\n') {
                    byte[] bytes = b.toByteArray();
                    int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
                }
                if (b.size() >= MAX_LINE) {
                    throw new BadRequest("line too long");
                }
                b.write(c);
            }
        }
    }
}
