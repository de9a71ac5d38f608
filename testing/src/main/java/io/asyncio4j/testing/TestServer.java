package io.asyncio4j.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A scriptable HTTP/1.1 server on 127.0.0.1 for tests, in the shape of OkHttp's {@code MockWebServer}: the
 * test enqueues {@link Reply replies} (or sets a {@link Dispatcher} that makes them), the client under test
 * sends its requests, and the test then looks at what the server received ({@link #requests()}), how many
 * connections it saw and whether the client closed them all. Replies may be malformed on purpose or carry a
 * fault (reset, truncate, stall, slow headers): see {@link Reply}.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * try (TestServer server = TestServer.start();
 *      ClientSession session = ClientSession.create()) {
 *     server.enqueue(Reply.status(503), Reply.ok("hello"));
 *     Response r = runner.run(() -> session.get(server.url("/greet")));
 *     assertEquals(List.of("GET /greet HTTP/1.1", "GET /greet HTTP/1.1"), server.requestLines());
 *     assertEquals(1, server.connectionCount());
 * }
 * }</pre>
 * Each request takes the next enqueued reply; when the queue is empty the dispatcher answers (by default a
 * 500 whose body says that nothing was enqueued). Connections are kept alive: the server reads the next
 * request on a connection until the client closes it or a reply ends it (see {@link Reply}).
 *
 * <h2>Connections</h2>
 * {@link #connectionCount()} counts connections accepted; a connection is over when the server closed it (a
 * reply's fault or {@code Connection: close}) or saw the client close it. {@link #awaitConnectionsClosed}
 * waits until every accepted connection is over — so, after the client's work, it asserts that the client let
 * go of every connection it opened. {@link #maxOpenConnections()} and {@link #maxInFlight()} show a client's
 * concurrency limits from the server's side.
 *
 * <h2>Lifetime</h2>
 * {@link #close()} stops accepting and closes every connection; a {@link AsyncioExtension} test fails when a
 * server it started was not closed (and closes it). The server listens on the loopback address only.
 *
 * <h2>Thread-safety</h2>
 * Every method may be called from any thread. One platform thread accepts; each connection runs on its own
 * virtual thread, which calls the dispatcher: a dispatcher may block (sleep, wait for a latch) to hold its
 * request in flight, and must be thread-safe when connections run at once.
 *
 * <h2>Pitfalls</h2>
 * Delays and stalls are real time: a client on a virtual-time loop does not see them pass, and a test that
 * waits on a real socket should be a {@link RealTime} test.
 */
public final class TestServer implements AutoCloseable {
    /*
     * Implementation overview.
     *
     * acceptLoop (one daemon platform thread) accepts, counts and starts serve(socket, n) on a virtual thread.
     * serve reads a request head (to CRLF CRLF, at most MAX_HEAD bytes), its body (Content-Length or chunked),
     * records it, takes a reply (queue, else dispatcher), writes it and, unless the reply ends the connection,
     * loops. A fault writes the reply's first bytes, then resets, closes, or drains the input until the client
     * closes (a stall). Whatever ends serve, its finally closes the socket and counts the connection as over,
     * notifying awaitConnectionsClosed. OPEN holds every server not closed yet, for AsyncioExtension.
     */

    /** Makes the reply for a request when the queue is empty; may block. */
    @FunctionalInterface
    public interface Dispatcher {
        Reply dispatch(RecordedRequest request) throws Exception;
    }

    /** The longest request head read (larger ones end the connection). */
    private static final int MAX_HEAD = 1 << 20;
    /** Servers started and not closed yet; written by start and close, read by AsyncioExtension. */
    static final Set<TestServer> OPEN = ConcurrentHashMap.newKeySet();

    private final ServerSocket listener;
    private final String scheme;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    // every socket accepted and not over yet; written by the accept thread and the connection threads
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    // replies waiting for a request; written by the test, taken by connection threads
    private final ConcurrentLinkedQueue<Reply> queue = new ConcurrentLinkedQueue<>();
    // set by the test, read by connection threads
    private volatile Dispatcher dispatcher;
    // every request read, in order; guarded by itself
    private final List<RecordedRequest> recorded = new ArrayList<>();
    // counters written by the server's threads, read by any thread
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger over = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    // notified each time a connection is over
    private final Object overSignal = new Object();

    private TestServer(ServerSocket listener, String scheme) {
        this.listener = listener;
        this.scheme = scheme;
        this.dispatcher = request -> Reply.status(500).body("TestServer: no reply enqueued and no dispatcher for "
                + request.requestLine());
        OPEN.add(this);
        Thread t = new Thread(this::acceptLoop, "test-server-accept-" + listener.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /** Starts a plain-http server on 127.0.0.1, on a free port. */
    public static TestServer start() throws IOException {
        return new TestServer(new ServerSocket(0, 1024, InetAddress.getLoopbackAddress()), "http");
    }

    /** Starts a plain-http server on 127.0.0.1 that answers every request with {@code dispatcher}. */
    public static TestServer start(Dispatcher dispatcher) throws IOException {
        return start().dispatcher(dispatcher);
    }

    /** Starts an https server on 127.0.0.1 whose certificate and key come from {@code context}. */
    public static TestServer startTls(SSLContext context) throws IOException {
        return new TestServer(context.getServerSocketFactory().createServerSocket(0, 1024,
                InetAddress.getLoopbackAddress()), "https");
    }

    /**
     * As {@link #startTls(SSLContext)}, speaking only the TLS versions {@code protocols} (such as
     * {@code "TLSv1.2"}: a server that does not know TLS 1.3).
     */
    public static TestServer startTls(SSLContext context, String... protocols) throws IOException {
        var listener = (javax.net.ssl.SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1024,
                InetAddress.getLoopbackAddress());
        listener.setEnabledProtocols(protocols);
        return new TestServer(listener, "https");
    }

    /** The base URL, such as {@code http://127.0.0.1:41234}. */
    public String url() {
        return scheme + "://127.0.0.1:" + port();
    }

    /** The base URL followed by {@code path}, such as {@code http://127.0.0.1:41234/a}. */
    public String url(String path) {
        return url() + path;
    }

    /** The port the server listens on. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Queues replies, taken one per request in order (before the dispatcher is asked). */
    public TestServer enqueue(Reply... replies) {
        for (Reply r : replies) {
            queue.add(Objects.requireNonNull(r, "reply"));
        }
        return this;
    }

    /** Sets what answers a request when the queue is empty. */
    public TestServer dispatcher(Dispatcher dispatcher) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        return this;
    }

    /** Every request read so far, in order. */
    public List<RecordedRequest> requests() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** The request lines read so far, such as {@code GET /a HTTP/1.1}, in order. */
    public List<String> requestLines() {
        return requests().stream().map(RecordedRequest::requestLine).toList();
    }

    /** How many requests were read so far. */
    public int requestCount() {
        synchronized (recorded) {
            return recorded.size();
        }
    }

    /** Connections accepted so far. */
    public int connectionCount() {
        return accepted.get();
    }

    /** The most connections open at once. */
    public int maxOpenConnections() {
        return maxOpen.get();
    }

    /** The most requests in flight at once (head read, reply not yet written). */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /**
     * Waits (real time, at most {@code limit}) until every connection accepted so far is over: closed by the
     * server or by the client. True if so.
     */
    public boolean awaitConnectionsClosed(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (overSignal) {
            while (over.get() < accepted.get()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(overSignal, left);
            }
        }
        return true;
    }

    /** Connections over so far (for messages: compare with {@link #connectionCount()}). */
    public int closedConnectionCount() {
        return over.get();
    }

    /** Stops accepting and closes every connection. Idempotent. */
    @Override
    public void close() {
        OPEN.remove(this);
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        connections.shutdownNow();
    }

    @Override
    public String toString() {
        return "TestServer " + url();
    }

    // ---- the server's threads ---------------------------------------------------------------------------

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            int n = accepted.getAndIncrement();
            maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            sockets.add(s);
            try {
                connections.execute(() -> serve(s, n));
            } catch (RuntimeException rejected) { // closed meanwhile
                connectionOver(s);
            }
        }
    }

    private void serve(Socket s, int n) {
        try {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            for (int sequence = 0; ; sequence++) {
                String head = readHead(in);
                if (head == null) {
                    return; // the client closed the connection
                }
                if (!exchange(s, in, out, head, n, sequence)) {
                    return;
                }
            }
        } catch (Exception e) {
            // the client reset or closed the connection, or the server closed it: the connection is over
        } finally {
            connectionOver(s);
        }
    }

    /** Reads the request's body, records it and writes its reply; false when the connection ends. */
    private boolean exchange(Socket s, InputStream in, OutputStream out, String head, int n, int sequence)
            throws Exception {
        long at = System.nanoTime();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        Reply reply;
        try {
            String[] line = head.substring(0, head.indexOf("\r\n")).split(" ", 3);
            Map<String, List<String>> headers = parseHeaders(head);
            reply = queue.poll();
            boolean early = reply != null && reply.answersBeforeRequestBody();
            byte[] body = early ? new byte[0] : readBody(in, headers);
            RecordedRequest request = new RecordedRequest(head, line[0], line.length > 1 ? line[1] : "", headers,
                    body, n, sequence, at);
            synchronized (recorded) {
                recorded.add(request);
            }
            if (reply == null) {
                try {
                    reply = dispatcher.dispatch(request);
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    reply = Reply.status(500).body("TestServer: the dispatcher failed: " + e);
                }
            }
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay());
            }
            byte[] bytes = reply.encode(request.method().equals("HEAD"));
            if (reply.fault == Reply.Fault.NONE) {
                out.write(bytes);
                out.flush();
                if (early) {
                    readBody(in, headers);
                }
                return !reply.closes(bytes);
            }
            out.write(bytes, 0, (int) Math.min(bytes.length, reply.faultAfter));
            out.flush();
        } finally {
            inFlight.decrementAndGet();
        }
        switch (reply.fault) {
            case RESET -> {
                s.setSoLinger(true, 0);
                s.close();
            }
            case TRUNCATE -> s.close();
            case STALL -> drain(in);
            case NONE -> throw new AssertionError();
        }
        return false;
    }

    private void connectionOver(Socket s) {
        closeQuietly(s);
        if (sockets.remove(s)) {
            open.decrementAndGet();
            over.incrementAndGet();
            synchronized (overSignal) {
                overSignal.notifyAll();
            }
        }
    }

    // ---- reading requests -------------------------------------------------------------------------------

    /** A request head up to its blank line (ISO-8859-1), or null when the stream ends before its first byte. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int matched = 0; // of "\r\n\r\n"
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("the stream ended in a request head");
            }
            if (head.size() >= MAX_HEAD) {
                throw new IOException("a request head over " + MAX_HEAD + " bytes");
            }
            head.write(c);
            matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static Map<String, List<String>> parseHeaders(String head) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private static byte[] readBody(InputStream in, Map<String, List<String>> headers) throws IOException {
        List<String> te = headers.get("transfer-encoding");
        if (te != null && te.getLast().toLowerCase(Locale.ROOT).endsWith("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String line = readLine(in);
                int semi = line.indexOf(';');
                int size = Integer.parseInt((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(size));
                readLine(in);
            }
        }
        List<String> length = headers.get("content-length");
        if (length == null) {
            return new byte[0];
        }
        int n = Integer.parseInt(length.getFirst());
        byte[] body = in.readNBytes(n);
        if (body.length < n) {
            throw new IOException("the stream ended in a request body");
        }
        return body;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                int len = line.length();
                return len > 0 && line.charAt(len - 1) == '\r' ? line.substring(0, len - 1) : line.toString();
            }
            if (line.length() > 8192) {
                throw new IOException("a chunk line over 8 KiB");
            }
            line.append((char) c);
        }
        throw new IOException("the stream ended in a chunked request body");
    }

    /** Reads and drops everything until the client closes (a stall ends when the client gives up). */
    private static void drain(InputStream in) throws IOException {
        byte[] scratch = new byte[8192];
        while (in.read(scratch) >= 0) {
            // dropped
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
