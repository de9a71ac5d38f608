package io.asyncio4j.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP/1.1 response parser and body framing on bytes fed from memory ({@link Wire.OfStreams}): the hostile
 * or unusual responses of RFC 9112 that a server may send, each with what the client makes of it. (The same
 * cases over a real socket, through the session, are in {@code SocketTransportTest}; any bytes at all are in
 * {@code ResponseParserFuzzTest}.)
 */
class HttpConnectionTest {
    private static final long CAP = 64 * 1024;
    // what the body's error messages name
    private static final Request REQUEST = Request.of("GET", "http://test/");

    /** A connection whose server sent {@code response} and then closed. */
    private static HttpConnection connection(String response) {
        return new HttpConnection("test", new Wire.OfStreams(new ByteArrayInputStream(
                response.getBytes(StandardCharsets.ISO_8859_1)), OutputStream.nullOutputStream()), null);
    }

    /** The body of the one response in {@code response}, read as the session's buffered read does. */
    private static String body(HttpConnection c, boolean head) throws IOException {
        return new String(Body.readAll(c, c.readResponse(head).contentEncoding(), CAP, null, REQUEST),
                StandardCharsets.ISO_8859_1);
    }

    /** The end of stream behind the {@link ClientConnectionError} that {@code read} raises. */
    private static EOFException endOfStream(org.junit.jupiter.api.function.Executable read) {
        ClientConnectionError e = assertThrows(ClientConnectionError.class, read);
        return org.junit.jupiter.api.Assertions.assertInstanceOf(EOFException.class, e.getCause());
    }

    @Test
    void contentLengthTogetherWithChunkedTransferEncodingIsReadAsChunksAndTheConnectionIsNotReused() throws IOException {
        HttpConnection c = connection("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n");
        assertEquals("hello", body(c, false));
        assertFalse(c.reusable(), "a response with both framings may be a smuggling attempt: never reuse it");
    }

    @Test
    void twoDifferentContentLengthsAreAProtocolErrorAndTwoEqualOnesAreNot() throws IOException {
        ProtocolException e = assertThrows(ProtocolException.class, () -> connection(
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!").readResponse(false));
        assertEquals("conflicting Content-Length values 5 and 6", e.getMessage());
        assertEquals("hello", body(connection("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"), false));
        assertThrows(ProtocolException.class, () -> connection(
                "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n").readResponse(false));
        assertThrows(ProtocolException.class, () -> connection(
                "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n").readResponse(false));
    }

    @Test
    void aNegativeOrOverflowingChunkSizeIsAProtocolError() {
        for (String size : new String[] {"-1", "fffffffffffffffff", "7fffffffffffffff", "0x5", "", "+5", "1 1"}) {
            HttpConnection c = connection("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + size + "\r\nhello\r\n0\r\n\r\n");
            ClientConnectionError e = assertThrows(ClientConnectionError.class, () -> body(c, false), size);
            ProtocolException cause = org.junit.jupiter.api.Assertions.assertInstanceOf(ProtocolException.class, e.getCause());
            assertTrue(cause.getMessage().startsWith("malformed chunk size"), cause.getMessage());
        }
    }

    @Test
    void aHugeButValidChunkSizeEndsAtTheCapOrTheEndOfTheStreamWithoutAllocatingIt() {
        HttpConnection c = connection("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\nhello");
        EOFException e = endOfStream(() -> body(c, false));
        assertEquals("connection closed in the middle of a chunk", e.getMessage());
    }

    @Test
    void chunkExtensionsQuotedOrNotAndTrailersAreSkippedAndTheConnectionStaysReusable() throws IOException {
        HttpConnection c = connection("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n1;q=\"a;b\"\r\n \r\n6 ; x\r\nworld!\r\n0;last\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\n");
        assertEquals("hello world!", body(c, false));
        assertTrue(c.reusable());
    }

    @Test
    void obsoleteLineFoldingJoinsAnOrdinaryValueButIsRefusedInAFramingHeader() throws IOException {
        HttpConnection c = connection("HTTP/1.1 200 OK\r\nX-Long: first\r\n  second\r\n\tthird\r\nContent-Length: 2\r\n\r\nok");
        HttpConnection.Head head = c.readResponse(false);
        assertEquals("first second third", head.headers().first("x-long"));
        for (String folded : new String[] {"Content-Length: 2\r\n 0", "Transfer-Encoding: gzip,\r\n chunked"}) {
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> connection("HTTP/1.1 200 OK\r\n" + folded + "\r\n\r\nok").readResponse(false));
            assertTrue(e.getMessage().startsWith("malformed header: obsolete line folding in "), e.getMessage());
        }
        assertThrows(ProtocolException.class, () -> connection("HTTP/1.1 200 OK\r\n folded first\r\n\r\n").readResponse(false));
    }

    @Test
    void headersKeepTheirOrderAndCaseAreFoundInAnyCaseAndSurviveManyHeadersAndAFoldAmongThem() throws IOException {
        StringBuilder many = new StringBuilder("HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\n");
        for (int i = 0; i < 40; i++) { // more than the parser's first array holds
            many.append("X-H").append(i).append(":\t v").append(i).append(" \r\n");
        }
        many.append("Set-Cookie: one\r\nset-cookie: two\r\nContent-Length: 2\r\n\r\nok");
        HttpConnection c = connection(many.toString());
        HttpConnection.Head head = c.readResponse(false);
        ResponseHeaders h = head.headers();
        assertEquals(44, h.size());
        assertEquals("a b", h.first("x-folded"));
        assertEquals("X-H39", h.name(40));
        assertEquals("v39", h.first("x-h39"), "blanks around a value are not part of it");
        assertEquals("one", h.first("SET-COOKIE"));
        assertEquals(java.util.List.of("one", "two"), h.map().get("Set-Cookie"));
        assertEquals(java.util.List.of("a b"), h.http().allValues("x-folded"));
        assertEquals(null, h.first("x-h"), "a prefix of a name is not the name");
        assertEquals(null, h.first("x-h400"), "nor is a longer name");
        assertEquals("ok", new String(Body.readAll(c, head.contentEncoding(), CAP, null, REQUEST), StandardCharsets.ISO_8859_1));
    }

    @Test
    void headersFirstReadAfterTheConnectionReadTheNextResponseAreStillTheirOwn() throws IOException {
        HttpConnection c = connection("HTTP/1.1 200 OK\r\nX-Name: first\r\n  folded\r\nContent-Length: 2\r\n\r\nok"
                + "HTTP/1.1 404 Not Found\r\nX-Name: second\r\nContent-Length: 4\r\n\r\nnope");
        HttpConnection.Head one = c.readResponse(false);
        assertEquals("ok", new String(Body.readAll(c, one.contentEncoding(), CAP, null, REQUEST), StandardCharsets.ISO_8859_1));
        HttpConnection.Head two = c.readResponse(false);
        // nothing of the first head was indexed or decoded while the connection's buffer still held it
        assertEquals("first folded", one.headers().first("x-name"));
        assertEquals(2, one.headers().size());
        assertEquals("second", two.headers().first("X-NAME"));
        assertEquals(java.util.List.of("4"), two.headers().http().allValues("content-length"));
    }

    @Test
    void connectionTokensInAnyCaseAndOrderDecideReuse() throws IOException {
        String[][] cases = {
            {"HTTP/1.1 200 OK\r\nConnection: Keep-Alive, CLOSE\r\n", "false"},
            {"HTTP/1.1 200 OK\r\nConnection: upgrade ,close \r\n", "false"},
            {"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n", "true"},
            {"HTTP/1.1 200 OK\r\nConnection: closed\r\n", "true"},
            {"HTTP/1.0 200 OK\r\n", "false"},
            {"HTTP/1.0 200 OK\r\nconnection: KEEP-ALIVE\r\n", "true"},
        };
        for (String[] k : cases) {
            HttpConnection c = connection(k[0] + "Content-Length: 2\r\n\r\nok");
            assertEquals("ok", body(c, false));
            assertEquals(Boolean.parseBoolean(k[1]), c.reusable(), k[0]);
        }
    }

    @Test
    void interim1xxResponsesAreSkippedAndAnUnaskedFor101IsAProtocolError() throws IOException {
        HttpConnection c = connection("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone");
        HttpConnection.Head head = c.readResponse(false);
        assertEquals(201, head.status());
        assertEquals("done", new String(Body.readAll(c, head.contentEncoding(), CAP, null, REQUEST), StandardCharsets.ISO_8859_1));
        assertThrows(ProtocolException.class,
                () -> connection("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n").readResponse(false));
    }

    @Test
    void aHead204Or304AnswerHasNoBodyWhateverItAnnouncesAndBytesAfterItKeepTheConnectionOutOfThePool() throws IOException {
        HttpConnection head = connection("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
        assertEquals("", body(head, true));
        assertTrue(head.reusable());
        for (String status : new String[] {"204 No Content", "304 Not Modified"}) {
            HttpConnection c = connection("HTTP/1.1 " + status + "\r\nContent-Length: 5\r\n\r\nhello");
            assertEquals("", body(c, false));
            assertFalse(c.reusable(), "bytes a bodiless answer should not have: the connection cannot be trusted");
        }
    }

    @Test
    void aStatusLineWithoutAReasonIsAccepted() throws IOException {
        for (String line : new String[] {"HTTP/1.1 200", "HTTP/1.1 200 ", "HTTP/1.0 404"}) {
            HttpConnection c = connection(line + "\r\nContent-Length: 2\r\n\r\nok");
            assertEquals(line.contains("404") ? 404 : 200, c.readResponse(false).status(), line);
        }
        assertThrows(ProtocolException.class, () -> connection("HTTP/1.1 20\r\n\r\n").readResponse(false));
        assertThrows(ProtocolException.class, () -> connection("HTTP/1.1 2000 OK\r\n\r\n").readResponse(false));
    }

    @Test
    void aServerClosingMidChunkOrMidFramingIsAnEndOfStream() {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        EOFException data = endOfStream(() -> body(connection(head + "5\r\nhel"), false));
        assertEquals("connection closed in the middle of a chunk", data.getMessage());
        EOFException line = endOfStream(() -> body(connection(head + "5\r\nhello\r\n0\r\n"), false));
        assertEquals("connection closed in the middle of the chunked framing", line.getMessage());
        EOFException length = endOfStream(
                () -> body(connection("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhel"), false));
        assertTrue(length.getMessage().contains("7 bytes of the body (Content-Length) missing"), length.getMessage());
    }

    @Test
    void aContentLengthFarBeyondWhatArrivesIsNotAllocatedUpFront() {
        long before = ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
        HttpConnection c = connection("HTTP/1.1 200 OK\r\nContent-Length: 60000000\r\n\r\nonly this");
        endOfStream(() -> Body.readAll(c, c.readResponse(false).contentEncoding(), 64L * 1024 * 1024, null, REQUEST));
        long allocated = ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4 * 1024 * 1024, "allocated " + allocated + " bytes for a 9-byte body announced as 60 MB");
    }

    /** The bytes a connection writes for {@code method target} with {@code headers}, the other parts fixed. */
    private static String written(HttpConnection c, java.io.ByteArrayOutputStream out, java.util.Map<String, String> headers)
            throws IOException {
        out.reset();
        c.writeRequest("GET", "/x", "test", headers, null, null);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aRequestWithTheSameHeaderMapAsTheRequestsBeforeWritesTheSameHeaderLinesAndAnotherMapItsOwn() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        HttpConnection c = new HttpConnection("test", new Wire.OfStreams(InputStream.nullInputStream(), out), null);
        java.util.Map<String, String> defaults = java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(java.util.Map.of("accept-encoding", "gzip, deflate")));
        java.util.Map<String, String> agent = java.util.Map.of("user-agent", "mine/1");
        String plain = "GET /x HTTP/1.1\r\nhost: test\r\naccept-encoding: gzip, deflate\r\nuser-agent: asyncio4j\r\n\r\n";
        String mine = "GET /x HTTP/1.1\r\nhost: test\r\nuser-agent: mine/1\r\n\r\n";
        // the first use writes the map, the second keeps its lines, the third and later copy them
        for (int i = 0; i < 3; i++) {
            assertEquals(plain, written(c, out, defaults), "request " + i);
        }
        assertEquals(mine, written(c, out, agent), "another map: its own lines, no default user-agent");
        assertEquals(mine, written(c, out, agent));
        assertEquals(mine, written(c, out, agent), "the kept lines remember that they named a user-agent");
        assertEquals(plain, written(c, out, defaults), "back to the first map: its lines again, not the last ones");
        assertEquals(plain, written(c, out, defaults));
    }

    @Test
    void aBodyThatCameWithItsHeadIsTakenWholeAndOneThatCameLaterIsReadTheSame() throws IOException {
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
        HttpConnection whole = connection(response + response);
        assertEquals("0123456789", body(whole, false));
        assertTrue(whole.bodyEnded());
        assertEquals("0123456789", body(whole, false), "the next response starts where the body ended");
        assertTrue(whole.reusable());
        // the same bytes three at a time: the body is read in pieces, with the same result
        HttpConnection pieces = new HttpConnection("test", new Wire.OfStreams(new Trickle(
                (response + response).getBytes(StandardCharsets.ISO_8859_1), 3), OutputStream.nullOutputStream()), null);
        assertEquals("0123456789", body(pieces, false));
        assertEquals("0123456789", body(pieces, false));
        assertTrue(pieces.reusable());
        // bytes past the Content-Length in the same read: the body is still its 10 bytes, the connection not reused
        HttpConnection longer = connection(response + "extra");
        assertEquals("0123456789", body(longer, false));
        assertFalse(longer.reusable());
    }

    @Test
    void aHeadArrivingInPiecesIsParsedOnceWholeAndAMalformedOneIsAnErrorOnlyOnceWholeElseAnEndOfStream() throws IOException {
        String ok = "HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 2\r\n\r\nok";
        for (int piece = 1; piece <= ok.length(); piece++) {
            HttpConnection c = new HttpConnection("test", new Wire.OfStreams(new Trickle(
                    ok.getBytes(StandardCharsets.ISO_8859_1), piece), OutputStream.nullOutputStream()), null);
            HttpConnection.Head head = c.readResponse(false);
            assertEquals(200, head.status(), "pieces of " + piece);
            assertEquals("1", head.headers().first("x-a"), "pieces of " + piece);
            assertEquals("ok", new String(Body.readAll(c, null, CAP, null, REQUEST), StandardCharsets.ISO_8859_1));
        }
        // a malformed status line, then the close before the blank line: the head never ended
        EOFException cut = assertThrows(EOFException.class, () -> connection("HTTP/9 nope\r\nX-A: 1\r\n").readResponse(false));
        assertEquals("connection closed by the server in the middle of the response head", cut.getMessage());
        ProtocolException bad = assertThrows(ProtocolException.class,
                () -> connection("HTTP/9 nope\r\nX-A: 1\r\n\r\n").readResponse(false));
        assertEquals("malformed status line 'HTTP/9 nope'", bad.getMessage());
        ProtocolException badHeader = assertThrows(ProtocolException.class,
                () -> connection("HTTP/1.1 200 OK\r\nno colon\r\n\n").readResponse(false));
        assertEquals("malformed header line 'no colon'", badHeader.getMessage());
    }

    /** A stream of {@code bytes} that hands out at most {@code piece} of them per read, as a slow server would. */
    static final class Trickle extends InputStream {
        private final byte[] bytes;
        private final int piece;
        private int at;

        Trickle(byte[] bytes, int piece) {
            this.bytes = bytes;
            this.piece = piece;
        }

        @Override
        public int read() {
            return at < bytes.length ? bytes[at++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, piece), bytes.length - at);
            System.arraycopy(bytes, at, b, off, n);
            at += n;
            return n;
        }
    }
}
