package io.asyncio4j.http;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults injected by the {@link TestServer}: each asserts the typed error the session raises and that the client
 * closed every connection it opened. No test asserts how long anything took: the session's total timeout is
 * 2 s, so a fault raised as {@link ClientConnectionError} (not {@link ClientTimeoutError}) was seen at once;
 * the one timeout test checks that the error names the limit that ended it. Real time: real sockets.
 */
@RealTime
class FaultInjectionTest {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";

    private static ClientSession session() {
        return ClientSession.builder().timeout(ClientTimeout.ofTotal(Duration.ofSeconds(2))).build();
    }

    private static Throwable fail(Runner runner, ClientSession session, String url) {
        return assertThrows(Throwable.class, () -> runner.run(() -> session.get(url)));
    }

    private static void assertNoLeak(TestServer server, int connections) throws InterruptedException {
        assertTrue(server.awaitConnectionsClosed(Duration.ofSeconds(1)), "connections still open at the server: accepted "
                + server.connectionCount() + ", closed " + server.closedConnectionCount());
        assertEquals(connections, server.connectionCount(), "connections accepted");
    }

    /** After a {@link java.net.ProtocolException} (malformed status line, oversized header) the connection is closed at once. */
    private static void assertClosedAfterAProtocolError(TestServer server, ClientSession session) throws InterruptedException {
        assertEquals(1, server.connectionCount(), "connections accepted");
        assertNoLeak(server, 1);
    }

    @AsyncioTest
    void aConnectionResetAfterTheRequestRaisesClientConnectionError(Runner runner) throws Exception {
        try (TestServer server = TestServer.start(r -> Reply.reset()); ClientSession session = session()) {
            ClientConnectionError e = assertInstanceOf(ClientConnectionError.class, fail(runner, session, server.url("/reset")));
            assertInstanceOf(IOException.class, e.getCause());
            // the transport resends only on a pooled connection, and this one was fresh
            assertTrue(server.awaitConnectionsClosed(Duration.ofSeconds(1)), "accepted " + server.connectionCount());
            assertEquals(1, server.connectionCount(), "connections accepted");
        }
    }

    @AsyncioTest
    void aBodyCutShortOfItsContentLengthRaisesClientConnectionError(Runner runner) throws Exception {
        try (TestServer server = TestServer.start(); ClientSession session = session()) {
            server.enqueue(Reply.raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789").truncateAfter(Long.MAX_VALUE));
            ClientConnectionError e = assertInstanceOf(ClientConnectionError.class, fail(runner, session, server.url("/truncated")));
            assertInstanceOf(IOException.class, e.getCause());
            assertNoLeak(server, 1);
        }
    }

    @AsyncioTest
    void aServerClosingMidChunkRaisesClientConnectionError(Runner runner) throws Exception {
        try (TestServer server = TestServer.start(); ClientSession session = session()) {
            // head (46 bytes), then "4\r\nabcd\r\n4\r\nef" and the close
            server.enqueue(Reply.status(200).body("abcdefgh").chunked(4).truncateAfter(46 + 10 + 5));
            ClientConnectionError e = assertInstanceOf(ClientConnectionError.class, fail(runner, session, server.url("/cut")));
            assertInstanceOf(java.io.EOFException.class, e.getCause());
            assertNoLeak(server, 1);
        }
    }

    /** As a server that refuses an upload at once (413) and reads the rest of it before closing, as nginx does. */
    @AsyncioTest
    void aResponseSentBeforeTheRequestBodyIsReturnedOnceTheBodyIsSent(Runner runner) throws Exception {
        try (TestServer server = TestServer.start(); ClientSession session = session()) {
            server.enqueue(Reply.status(413).body("too big").closeAfter().beforeRequestBody());
            Response r = runner.run(() -> session.post(server.url("/upload"), new byte[1024 * 1024]));
            assertEquals(413, r.status());
            assertEquals("too big", r.text());
            assertNoLeak(server, 1);
        }
    }

    @AsyncioTest
    void headersThatNeverComeRaiseClientTimeoutErrorAtTheTotalTimeout(Runner runner) throws Exception {
        try (TestServer server = TestServer.start().enqueue(Reply.stall());
             ClientSession session = ClientSession.builder().timeout(ClientTimeout.ofTotal(Duration.ofMillis(300))).build()) {
            ClientTimeoutError e = assertInstanceOf(ClientTimeoutError.class, fail(runner, session, server.url("/silent")));
            assertInstanceOf(TimeoutError.class, e);
            assertTrue(e.getMessage().contains("total timeout"), e.getMessage());
            assertNoLeak(server, 1); // the timeout aborted the exchange and closed the connection
        }
    }

    @AsyncioTest
    void aMalformedStatusLineRaisesClientConnectionError(Runner runner) throws Exception {
        try (TestServer server = TestServer.start().enqueue(Reply.raw("HTTP/1.1 abc\r\nContent-Length: 0\r\n\r\n"));
             ClientSession session = session()) {
            ClientConnectionError e = assertInstanceOf(ClientConnectionError.class, fail(runner, session, server.url("/garbage")));
            assertInstanceOf(java.net.ProtocolException.class, e.getCause());
            assertClosedAfterAProtocolError(server, session);
        }
    }

    @AsyncioTest
    void aOneMegabyteHeaderRaisesAClientErrorRatherThanHangingOrExhaustingMemory(Runner runner) throws Exception {
        try (TestServer server = TestServer.start().enqueue(Reply.status(200).header("X-Huge", "a".repeat(1 << 20)));
             ClientSession session = session()) {
            ClientConnectionError e = assertInstanceOf(ClientConnectionError.class, fail(runner, session, server.url("/huge")));
            assertInstanceOf(java.net.ProtocolException.class, e.getCause());
            assertClosedAfterAProtocolError(server, session);
        }
    }

    /**
     * On virtual time through the in-memory transport: the retry comes exactly the 50 ms cap after the 429; had
     * it waited the second its Retry-After asks, the 500 ms total timeout would have ended the request instead.
     */
    @Test
    void a429WithRetryAfterIsRetriedAfterTheRetryMaxInsteadOfTheSecondItAsks() {
        List<Reply> replies = new java.util.ArrayList<>(List.of(
                Reply.status(429).header("Retry-After", "1"), Reply.raw(OK)));
        MemoryTransport server = new MemoryTransport(r -> replies.removeFirst());
        try (Runner runner = Runner.builder().virtualTime(true).build();
             ClientSession session = ClientSession.builder().transport(server::open)
                     .timeout(ClientTimeout.ofTotal(Duration.ofMillis(500)))
                     // Retry.of(2).max(50 ms) alone is refused: max must be >= base, and of() sets base 500 ms
                     .retry(Retry.of(2).base(Duration.ofMillis(10)).max(Duration.ofMillis(50)))
                     .build()) {
            double[] took = new double[1];
            Response r = runner.run(() -> {
                double start = Asyncio.getRunningLoop().time();
                Response response = session.get("http://test.example/busy");
                took[0] = Asyncio.getRunningLoop().time() - start;
                return response;
            });
            assertEquals(200, r.status());
            assertEquals(2, r.attempts());
            assertEquals("ok", r.text());
            assertEquals(0.05, took[0], 1e-9, "the second attempt came the 50 ms cap after the first");
            assertEquals(2, server.requests().size());
        }
    }

    @AsyncioTest
    void aRedirectLoopRaisesTooManyRedirectsAfterTenHops(Runner runner) throws Exception {
        try (TestServer server = TestServer.start(r -> Reply.status(302)
                .header("Location", "/loop/" + (r.connection() + 1)).closeAfter()); ClientSession session = session()) {
            assertInstanceOf(TooManyRedirects.class, fail(runner, session, server.url("/loop/0")));
            assertEquals(11, server.requestCount(), "the request and 10 redirects: " + server.requestLines());
            assertEquals("GET /loop/10 HTTP/1.1", server.requestLines().get(10));
            assertNoLeak(server, 11);
        }
    }

    @AsyncioTest
    void aConnectionClosedWithoutAnyResponseRaisesClientConnectionError(Runner runner) throws Exception {
        try (TestServer server = TestServer.start(r -> Reply.hangUp()); ClientSession session = session()) {
            ClientConnectionError e = assertInstanceOf(ClientConnectionError.class, fail(runner, session, server.url("/hangup")));
            assertInstanceOf(IOException.class, e.getCause());
            // the transport resends only on a pooled connection, and this one was fresh
            assertTrue(server.awaitConnectionsClosed(Duration.ofSeconds(1)), "accepted " + server.connectionCount());
            assertEquals(1, server.connectionCount(), "connections accepted");
        }
    }

    @AsyncioTest
    void aTaskCancelledWhileWaitingForHeadersRaisesCancelledErrorAndFreesItsSlot(Runner runner) throws Exception {
        try (TestServer server = TestServer.start().enqueue(Reply.stall(), Reply.raw(OK).closeAfter());
             ClientSession session = ClientSession.builder().limit(1).build()) {
            String after = runner.run(() -> {
                Task<Response> stalled = Asyncio.createTask(() -> session.get(server.url("/stall")));
                while (server.requestCount() == 0) {
                    Asyncio.sleep(0.005);
                }
                stalled.cancel();
                assertThrows(CancelledError.class, stalled::await);
                return Asyncio.timeout(Duration.ofSeconds(1), () -> session.get(server.url("/ok")).text());
            });
            assertEquals("ok", after);
            assertEquals(List.of("GET /stall HTTP/1.1", "GET /ok HTTP/1.1"), server.requestLines());
            assertNoLeak(server, 2); // the cancelled exchange's connection was closed by the client
        }
    }
}
