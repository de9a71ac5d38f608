package io.asyncio4j.http;

import io.asyncio4j.Runner;
import io.asyncio4j.TaskGroup;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-host limit at scale (issue 5: "hold under 10,000 concurrent requests"): thousands of GETs started
 * at once in one TaskGroup with {@code limit(200)} and {@code limitPerHost(100)}, against a keep-alive
 * loopback server that counts, at the TCP level, the connections open at once and the requests in flight.
 *
 * <p>2,000 requests by default (about a second on a 2-core machine); run the 10,000 with
 * {@code -Dasyncio4j.http.limitScaleRequests=10000}:
 * {@code ./mvnw -B -ntp -q -pl http -am test -Dtest=LimitScaleTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dasyncio4j.http.limitScaleRequests=10000}.
 */
@RealTime
class LimitScaleTest {
    private static final int REQUESTS = Integer.getInteger("asyncio4j.http.limitScaleRequests", 2_000);

    @AsyncioTest
    void thousandsOfRequestsNeverHaveMoreThanLimitPerHostInFlightOrConnectionsOpenAtTheServer(Runner runner)
            throws IOException {
        try (CountingServer server = new CountingServer(1);
                ClientSession session = ClientSession.builder().limit(200).limitPerHost(100).build()) {
            String url = server.url() + "/x";
            AtomicInteger ok = new AtomicInteger();
            runner.run(() -> TaskGroup.run(tg -> {
                for (int i = 0; i < REQUESTS; i++) {
                    tg.createTask(() -> {
                        if (session.get(url).text().equals("ok")) {
                            ok.incrementAndGet();
                        }
                    });
                }
                return null;
            }));
            assertEquals(REQUESTS, ok.get());
            assertEquals(REQUESTS, server.served.get());
            assertTrue(server.maxInFlight.get() <= 100, "max in flight " + server.maxInFlight.get());
            assertTrue(server.maxConnections.get() <= 100, "max connections " + server.maxConnections.get());
            assertTrue(server.maxInFlight.get() > 1, "the requests ran concurrently: " + server.maxInFlight.get());
        }
    }

    /**
     * A keep-alive HTTP/1.1 server on 127.0.0.1 answering every GET "ok" after {@code delayMs}: an accept
     * thread and a virtual thread per connection, counting connections open (accept to close) and requests
     * in flight (request head read to answer written), now and at most.
     */
    private static final class CountingServer implements AutoCloseable {
        private static final byte[] ANSWER = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"
                .getBytes(StandardCharsets.US_ASCII);
        private final ServerSocket listener;
        private final long delayMs;
        private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger maxConnections = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger served = new AtomicInteger();

        CountingServer(long delayMs) throws IOException {
            this.delayMs = delayMs;
            listener = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::acceptLoop, "limit-scale-accept");
            t.setDaemon(true);
            t.start();
        }

        String url() {
            return "http://127.0.0.1:" + listener.getLocalPort();
        }

        private void acceptLoop() {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    maxConnections.accumulateAndGet(open.incrementAndGet(), Math::max);
                    connections.execute(() -> serve(s));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                while (readHead(in)) {
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(delayMs);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                    served.incrementAndGet(); // before the answer leaves: the client may finish the moment it reads it
                    out.write(ANSWER);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            } finally {
                open.decrementAndGet();
            }
        }

        /** Reads one request head (no body) up to the blank line; false at the end of the stream. */
        private static boolean readHead(InputStream in) throws IOException {
            int matched = 0; // of "\r\n\r\n"
            for (int c; (c = in.read()) >= 0; ) {
                matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : (c == '\r' ? 1 : 0);
                if (matched == 4) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            listener.close();
            connections.shutdownNow();
        }
    }
}
