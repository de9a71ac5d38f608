package io.asyncio4j.http;

import io.asyncio4j.Asyncio;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.testing.RecordedRequest;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Transport} in memory for the tests that need only the session's request/response behaviour (time
 * limits, slots, retries, redirects, interceptors, bodies), so that they run on virtual time and may assert
 * the loop's clock exactly. Each request is written by the socket transport's own request writer
 * ({@link HttpConnection#writeRequest}) into memory, recorded as the {@link TestServer} records one, and
 * answered by a {@link TestServer.Dispatcher} with a {@link Reply} — the same replies a TestServer sends —
 * whose bytes the real response parser and the real body pipeline then read. A reply's delay and a stall
 * wait on the loop clock (within {@code sockRead} when the session has one); a reset or a truncation raises
 * what a socket would. Nothing is pooled: every exchange is a connection of its own.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * MemoryTransport server = new MemoryTransport(r -> Reply.ok("ok").delay(Duration.ofMillis(50)));
 * try (ClientSession session = ClientSession.builder().transport(server::open).build();
 *      Runner runner = Runner.builder().virtualTime(true).build()) {
 *     runner.run(() -> session.get("http://test/").text());
 * }
 * }</pre>
 *
 * <p>Thread-safety: the dispatcher runs in the requesting task (it may {@code Asyncio.sleep}, on the loop
 * clock); {@link #requests()} may be read from any thread.
 */
final class MemoryTransport {
    // makes each reply; runs in the requesting task
    private final TestServer.Dispatcher dispatcher;
    // every request received, in order; any thread
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    MemoryTransport(TestServer.Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** The transport of one session with the time limits {@code limits}: what {@code Builder.transport} takes. */
    Transport open(ClientTimeout limits) {
        return new Open(limits.sockRead());
    }

    /** The requests received so far, in order. */
    List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The transport one session uses. */
    private final class Open implements Transport {
        // each read's limit, or null
        private final Duration sockRead;
        // set by close(); read by the tasks (volatile)
        private volatile boolean closed;

        Open(Duration sockRead) {
            this.sockRead = sockRead;
        }

        @Override
        public Reply send(Request request) throws IOException {
            if (closed) {
                throw new IOException("ClientSession is closed");
            }
            RecordedRequest recorded = record(request, requests.size());
            requests.add(recorded);
            io.asyncio4j.testing.Reply reply;
            try {
                reply = dispatcher.dispatch(recorded);
            } catch (Exception e) {
                reply = io.asyncio4j.testing.Reply.status(500).body("MemoryTransport: the dispatcher failed: " + e);
            }
            boolean head = request.method().equals("HEAD");
            HttpConnection c = new HttpConnection("memory", new Wire.OfStreams(new ReplyBytes(reply, head),
                    OutputStream.nullOutputStream()), null);
            try {
                HttpConnection.Head h = c.readResponse(head);
                return new Reply(h.status(), h.headers(), h.contentEncoding(), c, 1);
            } catch (SocketTimeoutException e) {
                HttpTimeoutException t = new HttpTimeoutException("no data from the server for sockRead " + sockRead);
                t.initCause(e);
                throw t;
            }
        }

        @Override
        public void close() {
            closed = true;
        }

        /** A reply's bytes as a connection delivers them: after its delay, up to its fault. */
        private final class ReplyBytes extends InputStream {
            private final byte[] bytes;
            private final io.asyncio4j.testing.Reply reply;
            // the bytes before the fault
            private final int limit;
            // the next byte to hand out; whether the delay passed
            private int at;
            private boolean delayed;

            ReplyBytes(io.asyncio4j.testing.Reply reply, boolean head) {
                this.reply = reply;
                this.bytes = reply.encode(head);
                this.limit = reply.fault() == io.asyncio4j.testing.Reply.Fault.NONE ? bytes.length
                        : (int) Math.min(bytes.length, reply.faultAfter());
            }

            @Override
            public int read() throws IOException {
                return Wire.readOne(this);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (!delayed) {
                    delayed = true;
                    Duration delay = reply.delay();
                    if (!delay.isZero()) {
                        waitAtMostSockRead(delay);
                    }
                }
                if (at == limit) {
                    switch (reply.fault()) {
                        case RESET -> throw new SocketException("Connection reset");
                        case STALL -> waitAtMostSockRead(null);
                        default -> {
                            return -1;
                        }
                    }
                }
                int n = Math.min(len, limit - at);
                System.arraycopy(bytes, at, b, off, n);
                at += n;
                return n;
            }

            /** Waits {@code time} (null: for ever) on the loop clock, or raises at {@code sockRead}. */
            private void waitAtMostSockRead(Duration time) throws SocketTimeoutException {
                try {
                    Asyncio.timeout(sockRead, () -> {
                        if (time == null) {
                            Asyncio.getRunningLoop().createFuture().await();
                        } else {
                            Asyncio.sleep(time);
                        }
                        return null;
                    });
                } catch (TimeoutError e) {
                    throw new SocketTimeoutException("Read timed out");
                }
            }
        }
    }

    /** {@code request} as a server reads it off the wire, written by the socket transport's writer. */
    private static RecordedRequest record(Request request, int connection) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        HttpConnection writer = new HttpConnection("memory", new Wire.OfStreams(InputStream.nullInputStream(), wire), null);
        URI uri = request.uri();
        String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            target += "?" + uri.getRawQuery();
        }
        String host = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        writer.writeRequest(request.method(), target, host, request.headers(), null, request.body());
        byte[] sent = wire.toByteArray();
        String text = new String(sent, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n") + 4;
        String head = text.substring(0, end);
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).strip());
        }
        byte[] body = java.util.Arrays.copyOfRange(sent, end, sent.length);
        return new RecordedRequest(head, requestLine[0], requestLine[1], headers, body, connection, 0, System.nanoTime());
    }
}
