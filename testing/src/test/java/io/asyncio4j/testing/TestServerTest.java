package io.asyncio4j.testing;

import io.asyncio4j.testing.Fixtures.Fixture;
import io.asyncio4j.testing.Fixtures.Outcomes;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scriptable server, driven by a plain blocking socket as its client: the bytes it writes for each kind of
 * reply, what it records, how it counts connections, each fault, and the extension's check that it was closed.
 */
class TestServerTest {
    private static final String GET = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";

    /** Sends {@code request} and reads until the server closes; the bytes read (ISO-8859-1). */
    private static String exchangeUntilClose(TestServer server, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Reads exactly {@code n} bytes. */
    private static String read(InputStream in, int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
    }

    @Test
    void enqueuedRepliesAnswerRequestsInOrderOnOneKeptAliveConnection() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.enqueue(Reply.ok("one"), Reply.status(404));
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(5_000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                out.write((GET + "POST /b HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody").getBytes(StandardCharsets.ISO_8859_1));
                String first = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\n\r\none";
                String second = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
                assertEquals(first + second, read(in, first.length() + second.length()));
            }
            assertTrue(server.awaitConnectionsClosed(Duration.ofSeconds(5)));
            List<RecordedRequest> requests = server.requests();
            assertEquals(List.of("GET /a HTTP/1.1", "POST /b HTTP/1.1"), server.requestLines());
            assertEquals("body", requests.get(1).bodyText());
            assertEquals("x", requests.get(0).header("HOST"));
            assertEquals(List.of(0, 1), requests.stream().map(RecordedRequest::sequence).toList());
            assertEquals(1, server.connectionCount());
        }
    }

    @Test
    void aDispatcherAnswersWhenTheQueueIsEmptyAndAChunkedReplyIsFramedInChunks() throws Exception {
        try (TestServer server = TestServer.start(r -> Reply.ok(r.path()).chunked(2).closeAfter())) {
            String reply = exchangeUntilClose(server, GET);
            assertTrue(reply.endsWith("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n/a\r\n0\r\n\r\n"), reply);
        }
    }

    @Test
    void aChunkedRequestBodyIsRecordedDecoded() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.enqueue(Reply.status(204).closeAfter());
            exchangeUntilClose(server, "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n1\r\nd\r\n0\r\nX-T: 1\r\n\r\n");
            assertEquals("abcd", server.requests().getFirst().bodyText());
        }
    }

    @Test
    void aRawReplyIsWrittenByteForByte() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.enqueue(Reply.raw("HTTP/1.1 abc\r\n\r\n").closeAfter());
            assertEquals("HTTP/1.1 abc\r\n\r\n", exchangeUntilClose(server, GET));
        }
    }

    @Test
    void aTruncatedReplyStopsAfterItsByteCountAndClosesTheConnection() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.enqueue(Reply.raw("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789").truncateAfter(41));
            assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01", exchangeUntilClose(server, GET));
            assertTrue(server.awaitConnectionsClosed(Duration.ofSeconds(5)));
        }
    }

    @Test
    void aResetReplyResetsTheConnection() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.enqueue(Reply.reset());
            assertThrows(SocketException.class, () -> exchangeUntilClose(server, GET));
        }
    }

    @Test
    void aStalledConnectionStaysOpenUntilTheClientClosesIt() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.enqueue(Reply.ok("0123456789").stallAfter(5));
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write(GET.getBytes(StandardCharsets.ISO_8859_1));
                assertEquals("HTTP/", read(s.getInputStream(), 5));
                assertTrue(!server.awaitConnectionsClosed(Duration.ofMillis(20)), "the server still holds it");
            }
            assertTrue(server.awaitConnectionsClosed(Duration.ofSeconds(5)), "over once the client closed it");
        }
    }

    @Test
    void aDelayedReplyHoldsItsRequestInFlight() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.enqueue(Reply.ok("late").delay(Duration.ofMillis(20)).closeAfter());
            assertTrue(exchangeUntilClose(server, GET).endsWith("late"));
            assertEquals(1, server.maxInFlight());
            assertEquals(1, server.maxOpenConnections());
        }
    }

    @Test
    void aReplyBeforeTheRequestBodyGoesOutBeforeTheBodyIsSent() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.enqueue(Reply.status(413).closeAfter().beforeRequestBody());
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(5_000);
                s.getOutputStream().write("POST /big HTTP/1.1\r\nContent-Length: 3\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                assertEquals("HTTP/1.1 413", read(s.getInputStream(), 12)); // no body byte sent yet
                s.getOutputStream().write("abc".getBytes(StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    void noReplyAndNoDispatcherAnswers500NamingTheRequest() throws Exception {
        try (TestServer server = TestServer.start()) {
            String reply;
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(5_000);
                s.getOutputStream().write(GET.getBytes(StandardCharsets.ISO_8859_1));
                reply = read(s.getInputStream(), 58 + 67);
            }
            assertTrue(reply.startsWith("HTTP/1.1 500"), reply);
            assertTrue(reply.contains("no reply enqueued and no dispatcher for GET /a HTTP/1.1"), reply);
        }
    }

    @Fixture
    static class LeavesAServerOpen {
        @AsyncioTest
        void startsAServerAndForgetsIt() throws IOException {
            TestServer.start();
        }

        @AsyncioTest
        void closesItsServer() throws IOException {
            TestServer.start().close();
        }
    }

    @Test
    void theExtensionFailsATestThatLeavesAServerOpenAndClosesIt() {
        Outcomes o = Fixtures.run(LeavesAServerOpen.class);
        assertEquals(Set.of("closesItsServer"), o.passed());
        String message = o.failure("startsAServerAndForgetsIt").getMessage();
        assertTrue(message.contains("a TestServer was left open: http://127.0.0.1:"), message);
        assertTrue(TestServer.OPEN.isEmpty(), "the extension closed it");
    }
}
