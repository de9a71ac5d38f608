package io.asyncio4j.http;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;

import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults injected by a raw loopback server ({@link RawServer}): each asserts the typed error the session
 * raises, a bound on how long it took, and that the client closed every connection it opened. Real time:
 * the limits are real ones (300 ms at most) and each test stays under about a second.
 */
@RealTime
class FaultInjectionTest {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";

    /** Runs {@code request} on the loop and returns what it raised and how long it took, in loop-clock ms. */
    private static Timed fail(Runner runner, ClientSession session, String url) {
        double[] took = new double[1];
        Throwable e = assertThrows(Throwable.class, () -> runner.run(() -> {
            double start = Asyncio.getRunningLoop().time();
            try {
                session.get(url);
            } finally {
                took[0] = (Asyncio.getRunningLoop().time() - start) * 1000;
            }
        }));
        return new Timed(e, (long) took[0]);
    }

    private record Timed(Throwable error, long millis) {
    }

    private static void assertNoLeak(RawServer server, int connections) throws InterruptedException {
        assertTrue(server.allClosedWithin(1_000), "connections still open at the server: accepted "
                + server.accepted.get() + ", closed " + server.closed.get());
        assertEquals(connections, server.accepted.get(), "connections accepted");
    }

    /**
     * After a {@link java.net.ProtocolException} (malformed status line, oversized header) the session's own
     * transport closes the connection at once. The JDK client ({@code jdkHttpClient()}) raises at once but
     * does not close it: it stays open at the server until the session closes. Pins that known JDK behaviour
     * (a later fix that closes it earlier fails here and should tighten this).
     */
    private static void assertClosedAfterAProtocolError(RawServer server, ClientSession session) throws InterruptedException {
        assertEquals(1, server.accepted.get(), "connections accepted");
        if (!session.usesJdkHttpClient()) {
            assertNoLeak(server, 1);
            return;
        }
        Thread.sleep(50); // a real socket: give a close that would come a moment to arrive
        assertEquals(0, server.closed.get(), "the JDK client now closes the connection on a protocol error");
        session.close();
        assertNoLeak(server, 1);
    }

    @AsyncioTest
    void aConnectionResetAfterTheRequestRaisesClientConnectionError(Runner runner) throws Exception {
        try (RawServer server = new RawServer((s, in, out, n) -> {
            server(s).readHead(in);
            RawServer.reset(s);
        }); ClientSession session = ClientSession.builder().timeout(ClientTimeout.ofTotal(Duration.ofSeconds(2))).build()) {
            bind(server);
            Timed t = fail(runner, session, server.url() + "/reset");
            ClientConnectionError e = assertInstanceOf(ClientConnectionError.class, t.error());
            assertInstanceOf(IOException.class, e.getCause());
            assertTrue(t.millis() < 1_000, t.millis() + " ms");
            // with jdkHttpClient() the JDK client retries a GET once on a fresh connection reset before any
            // response (2 connections); the session's own transport retries only a pooled connection (1)
            assertTrue(server.allClosedWithin(1_000), "accepted " + server.accepted.get() + ", closed " + server.closed.get());
            assertTrue(server.accepted.get() <= 2, "accepted " + server.accepted.get());
        }
    }

    @AsyncioTest
    void aBodyCutShortOfItsContentLengthRaisesClientConnectionError(Runner runner) throws Exception {
        try (RawServer server = new RawServer((s, in, out, n) -> {
            server(s).readHead(in);
            RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
            s.close();
        }); ClientSession session = ClientSession.builder().timeout(ClientTimeout.ofTotal(Duration.ofSeconds(2))).build()) {
            bind(server);
            Timed t = fail(runner, session, server.url() + "/truncated");
            ClientConnectionError e = assertInstanceOf(ClientConnectionError.class, t.error());
            assertInstanceOf(IOException.class, e.getCause());
            assertTrue(t.millis() < 1_000, t.millis() + " ms");
            assertNoLeak(server, 1);
        }
    }

    @AsyncioTest
    void headersThatNeverComeRaiseClientTimeoutErrorAtTheTotalTimeout(Runner runner) throws Exception {
        try (RawServer server = new RawServer((s, in, out, n) -> server(s).readHead(in)); // then silence
             ClientSession session = ClientSession.builder().timeout(ClientTimeout.ofTotal(Duration.ofMillis(300))).build()) {
            bind(server);
            Timed t = fail(runner, session, server.url() + "/silent");
            ClientTimeoutError e = assertInstanceOf(ClientTimeoutError.class, t.error());
            assertInstanceOf(TimeoutError.class, e);
            assertTrue(t.millis() >= 290 && t.millis() < 800, t.millis() + " ms");
            assertNoLeak(server, 1); // the timeout aborted the exchange and closed the connection
        }
    }

    @AsyncioTest
    void aMalformedStatusLineRaisesClientConnectionError(Runner runner) throws Exception {
        try (RawServer server = new RawServer((s, in, out, n) -> {
            server(s).readHead(in);
            RawServer.write(out, "HTTP/1.1 abc\r\nContent-Length: 0\r\n\r\n");
        }); ClientSession session = ClientSession.builder().timeout(ClientTimeout.ofTotal(Duration.ofSeconds(2))).build()) {
            bind(server);
            Timed t = fail(runner, session, server.url() + "/garbage");
            ClientConnectionError e = assertInstanceOf(ClientConnectionError.class, t.error());
            assertInstanceOf(java.net.ProtocolException.class, e.getCause());
            assertTrue(t.millis() < 1_000, t.millis() + " ms");
            assertClosedAfterAProtocolError(server, session);
        }
    }

    @AsyncioTest
    void aOneMegabyteHeaderRaisesAClientErrorRatherThanHangingOrExhaustingMemory(Runner runner) throws Exception {
        try (RawServer server = new RawServer((s, in, out, n) -> {
            server(s).readHead(in);
            RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Huge: ");
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'a');
            for (int i = 0; i < 16; i++) {
                out.write(chunk); // throws once the client gives up and closes: the script ends
            }
            RawServer.write(out, "\r\n\r\n");
        }); ClientSession session = ClientSession.builder().timeout(ClientTimeout.ofTotal(Duration.ofSeconds(2))).build()) {
            bind(server);
            Timed t = fail(runner, session, server.url() + "/huge");
            ClientConnectionError e = assertInstanceOf(ClientConnectionError.class, t.error());
            assertInstanceOf(java.net.ProtocolException.class, e.getCause());
            assertTrue(t.millis() < 1_000, t.millis() + " ms");
            assertClosedAfterAProtocolError(server, session);
        }
    }

    @AsyncioTest
    void a429WithRetryAfterIsRetriedAfterTheRetryMaxInsteadOfTheSecondItAsks(Runner runner) throws Exception {
        try (RawServer server = new RawServer((s, in, out, n) -> {
            server(s).readHead(in);
            RawServer.write(out, n == 0
                    ? "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    : OK);
            s.close();
        }); ClientSession session = ClientSession.builder()
                .timeout(ClientTimeout.ofTotal(Duration.ofSeconds(2)))
                // Retry.of(2).max(50 ms) alone is refused: max must be >= base, and of() sets base 500 ms
                .retry(Retry.of(2).base(Duration.ofMillis(10)).max(Duration.ofMillis(50)))
                .build()) {
            bind(server);
            Response r = runner.run(() -> session.get(server.url() + "/busy"));
            assertEquals(200, r.status());
            assertEquals(2, r.attempts());
            assertEquals("ok", r.text());
            List<Long> times = server.requestTimes();
            assertEquals(2, times.size());
            long gap = TimeUnit.NANOSECONDS.toMillis(times.get(1) - times.get(0));
            assertTrue(gap >= 45 && gap < 500, "second attempt " + gap + " ms after the first (cap 50 ms)");
            assertNoLeak(server, 2);
        }
    }

    @AsyncioTest
    void aRedirectLoopRaisesTooManyRedirectsAfterTenHops(Runner runner) throws Exception {
        try (RawServer server = new RawServer((s, in, out, n) -> {
            server(s).readHead(in);
            RawServer.write(out, "HTTP/1.1 302 Found\r\nLocation: /loop/" + (n + 1)
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            s.close();
        }); ClientSession session = ClientSession.builder().timeout(ClientTimeout.ofTotal(Duration.ofSeconds(2))).build()) {
            bind(server);
            Timed t = fail(runner, session, server.url() + "/loop/0");
            assertInstanceOf(TooManyRedirects.class, t.error());
            assertTrue(t.millis() < 1_000, t.millis() + " ms");
            assertEquals(11, server.requestLines().size(), "the request and 10 redirects: " + server.requestLines());
            assertEquals("GET /loop/10 HTTP/1.1", server.requestLines().get(10));
            assertNoLeak(server, 11);
        }
    }

    @AsyncioTest
    void aConnectionClosedWithoutAnyResponseRaisesClientConnectionError(Runner runner) throws Exception {
        try (RawServer server = new RawServer((s, in, out, n) -> {
            server(s).readHead(in);
            s.close(); // FIN, no byte of response
        }); ClientSession session = ClientSession.builder().timeout(ClientTimeout.ofTotal(Duration.ofSeconds(2))).build()) {
            bind(server);
            Timed t = fail(runner, session, server.url() + "/hangup");
            ClientConnectionError e = assertInstanceOf(ClientConnectionError.class, t.error());
            assertInstanceOf(IOException.class, e.getCause());
            assertTrue(t.millis() < 1_000, t.millis() + " ms");
            // the JDK client (jdkHttpClient()) may retry a GET once on a connection closed before any
            // response: 1 or 2; the session's own transport opens 1
            assertTrue(server.allClosedWithin(1_000), "accepted " + server.accepted.get() + ", closed " + server.closed.get());
            assertTrue(server.accepted.get() <= 2, "accepted " + server.accepted.get());
        }
    }

    @AsyncioTest
    void aTaskCancelledWhileWaitingForHeadersRaisesCancelledErrorAndFreesItsSlot(Runner runner) throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        try (RawServer server = new RawServer((s, in, out, n) -> {
            String head = server(s).readHead(in);
            if (head.startsWith("GET /stall")) {
                arrived.countDown(); // then silence
            } else {
                RawServer.write(out, OK);
                s.close();
            }
        }); ClientSession session = ClientSession.builder().limit(1).build()) {
            bind(server);
            String after = runner.run(() -> {
                Task<Response> stalled = Asyncio.createTask(() -> session.get(server.url() + "/stall"));
                while (arrived.getCount() > 0) {
                    Asyncio.sleep(0.005);
                }
                double start = Asyncio.getRunningLoop().time();
                stalled.cancel();
                assertThrows(CancelledError.class, stalled::await);
                assertTrue(Asyncio.getRunningLoop().time() - start < 0.5, "cancel took too long");
                return Asyncio.timeout(Duration.ofSeconds(1), () -> session.get(server.url() + "/ok").text());
            });
            assertEquals("ok", after);
            assertEquals(List.of("GET /stall HTTP/1.1", "GET /ok HTTP/1.1"), server.requestLines());
            assertNoLeak(server, 2); // the cancelled exchange's connection was closed by the client
        }
    }

    // ---- the script runs before the constructor returns its value to the test: hand it over here ----

    private static final List<RawServer> CURRENT = Collections.synchronizedList(new java.util.ArrayList<>());

    private static void bind(RawServer server) {
        CURRENT.clear();
        CURRENT.add(server);
    }

    private static RawServer server(java.net.Socket ignored) {
        return CURRENT.getFirst();
    }
}
