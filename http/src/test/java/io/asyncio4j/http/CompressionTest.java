package io.asyncio4j.http;

import io.asyncio4j.Runner;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gzip/deflate decoding of response bodies and its size cap; real time because the loop waits for sockets. */
@RealTime
class CompressionTest {
    private static final byte[] TEXT = "hello, compressed world ".repeat(200).getBytes(StandardCharsets.UTF_8);

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] data, boolean raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            d.write(data);
        }
        return out.toByteArray();
    }

    /** Answers {@code body} with {@code Content-Encoding: encoding}. */
    static Reply encoded(String encoding, byte[] body) {
        return Reply.status(200).header("Content-Encoding", encoding).body(body);
    }

    /** The Accept-Encoding header of each request the server read. */
    static List<String> acceptEncodings(TestServer server) {
        return server.requests().stream().map(r -> String.valueOf(r.header("Accept-Encoding"))).toList();
    }

    @AsyncioTest
    void gzipAndDeflateBodiesAreDecodedAndAcceptEncodingIsSentByDefault(Runner runner) throws IOException {
        try (TestServer server = TestServer.start().enqueue(encoded("gzip", gzip(TEXT)),
                encoded("deflate", deflate(TEXT, false)), encoded("Deflate", deflate(TEXT, true)));
             ClientSession session = ClientSession.builder().baseUrl(server.url()).build()) {
            List<byte[]> bodies = runner.run(() -> List.of(session.get("/gzip").bytes(), session.get("/zlib").bytes(),
                    session.get("/raw").bytes()));
            for (byte[] b : bodies) {
                assertArrayEquals(TEXT, b);
            }
            assertEquals(List.of("gzip, deflate", "gzip, deflate", "gzip, deflate"), acceptEncodings(server));
        }
    }

    @AsyncioTest
    void anAcceptEncodingSetByTheCallerIsKept(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(r -> Reply.status(200).body(TEXT)); ClientSession session = ClientSession.builder().baseUrl(server.url())
                .header("Accept-Encoding", "identity").build()) {
            runner.run(() -> {
                session.get("/x");
                session.request("GET", "/x", java.util.Map.of("accept-encoding", "gzip"), null);
            });
            assertEquals(List.of("identity", "gzip"), acceptEncodings(server));
        }
    }

    @AsyncioTest
    void aGzipBombRaisesBodyTooLargeAtTheDecodedCap(Runner runner) throws IOException {
        byte[] bomb = gzip(new byte[100 * 1024 * 1024]); // 100 MiB of zeros, about 100 KiB on the wire
        assertTrue(bomb.length < 1024 * 1024);
        try (TestServer server = TestServer.start().enqueue(encoded("gzip", bomb));
             ClientSession session = ClientSession.builder().baseUrl(server.url()).maxBodySize(1024 * 1024).build()) {
            BodyTooLarge e = assertThrows(BodyTooLarge.class, () -> runner.run(() -> session.get("/bomb")));
            assertTrue(e.getMessage().contains("after decoding"), e.getMessage());
        }
    }

    @Test
    void theDecoderStopsInflatingOnceTheSinkRefuses() throws IOException {
        byte[] bomb = gzip(new byte[100 * 1024 * 1024]);
        ContentDecoder d = ContentDecoder.forEncoding("gzip");
        long[] decoded = {0};
        boolean more = d.feed(ByteBuffer.wrap(bomb), bytes -> (decoded[0] += bytes.length) <= 1024 * 1024);
        d.end();
        assertFalse(more);
        assertTrue(decoded[0] <= 1024 * 1024 + 64 * 1024, "inflated " + decoded[0] + " bytes");
    }

    @Test
    void aGzipHeaderWithANameSplitAcrossChunksDecodesAndTheTrailerIsChecked() throws IOException {
        // header with FNAME ("a.txt"), then the raw deflate data and the CRC/length trailer of a real gzip
        byte[] plain = gzip(TEXT);
        ByteArrayOutputStream withName = new ByteArrayOutputStream();
        withName.write(plain, 0, 3);
        withName.write(plain[3] | 8);
        withName.write(plain, 4, 6);
        withName.write("a.txt\0".getBytes(StandardCharsets.ISO_8859_1));
        withName.write(plain, 10, plain.length - 10);
        byte[] body = withName.toByteArray();

        ContentDecoder d = ContentDecoder.forEncoding("x-gzip");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : body) {
            d.feed(ByteBuffer.wrap(new byte[] {b}), bytes -> {
                out.writeBytes(bytes);
                return true;
            });
        }
        d.finish();
        assertArrayEquals(TEXT, out.toByteArray());

        body[body.length - 5] ^= 1; // corrupt the CRC
        ContentDecoder corrupt = ContentDecoder.forEncoding("gzip");
        corrupt.feed(ByteBuffer.wrap(body), bytes -> true);
        assertThrows(ZipException.class, corrupt::finish);
    }

    @AsyncioTest
    void anUnknownEncodingIsReturnedAsSent(Runner runner) throws IOException {
        byte[] opaque = {1, 2, 3, 4, 5};
        try (TestServer server = TestServer.start().enqueue(encoded("br", opaque));
             ClientSession session = ClientSession.builder().baseUrl(server.url()).build()) {
            Response r = runner.run(() -> session.get("/br"));
            assertArrayEquals(opaque, r.bytes());
            assertEquals("br", r.headers().firstValue("Content-Encoding").orElseThrow());
        }
    }

    @AsyncioTest
    void aCorruptOrTruncatedGzipBodyRaisesClientConnectionError(Runner runner) throws IOException {
        byte[] good = gzip(TEXT);
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        try (TestServer server = TestServer.start().enqueue(
                encoded("gzip", "not gzip at all".getBytes(StandardCharsets.UTF_8)), encoded("gzip", truncated));
             ClientSession session = ClientSession.builder().baseUrl(server.url()).build()) {
            ClientConnectionError garbage = assertThrows(ClientConnectionError.class, () -> runner.run(() -> session.get("/garbage")));
            assertTrue(garbage.getMessage().contains("not in gzip format"), garbage.getMessage());
            ClientConnectionError cut = assertThrows(ClientConnectionError.class, () -> runner.run(() -> session.get("/truncated")));
            assertTrue(cut.getMessage().contains("truncated gzip body"), cut.getMessage());
        }
    }

    @AsyncioTest
    void aHeadAnswerWithContentEncodingHasAnEmptyBody(Runner runner) throws IOException {
        try (TestServer server = TestServer.start().enqueue(encoded("gzip", gzip(TEXT)));
             ClientSession session = ClientSession.builder().baseUrl(server.url()).build()) {
            Response r = runner.run(() -> session.head("/h"));
            assertEquals(200, r.status());
            assertEquals(0, r.bytes().length);
        }
    }

    @Test
    void aGzipHeaderWithAnEndlessFileNameIsRefusedAtFourKilobytesInsteadOfHeldAndReparsed() {
        byte[] header = {0x1f, (byte) 0x8b, 8, 8, 0, 0, 0, 0, 0, 3}; // FNAME set: a zero-terminated name follows
        byte[] name = new byte[1024 * 1024];
        java.util.Arrays.fill(name, (byte) 'a');
        ContentDecoder d = ContentDecoder.forEncoding("gzip");
        ZipException e = assertThrows(ZipException.class, () -> {
            d.feed(ByteBuffer.wrap(header), bytes -> true);
            d.feed(ByteBuffer.wrap(name), bytes -> true);
        });
        assertEquals("gzip header over " + ContentDecoder.MAX_GZIP_HEADER + " bytes", e.getMessage());
    }

    /** The first byte of a streamed 20 MB gzip bomb: one small raw read is decoded, not 16 KiB of it. */
    @Test
    void readingAStreamedGzipBombDecodesOneSmallBatchAtATime() throws IOException {
        byte[] bomb = gzip(new byte[20 * 1024 * 1024]);
        byte[] response = ("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + bomb.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] bytes = java.util.Arrays.copyOf(response, response.length + bomb.length);
        System.arraycopy(bomb, 0, bytes, response.length, bomb.length);
        HttpConnection c = new HttpConnection("test", new Wire.OfStreams(new java.io.ByteArrayInputStream(bytes),
                java.io.OutputStream.nullOutputStream()), null);
        HttpConnection.Head head = c.readResponse(false);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        Body body = Body.stream(c, head.contentEncoding(), Long.MAX_VALUE, null, Request.of("GET", "http://test/"));
        assertEquals(0, body.read());
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 3 * 1024 * 1024, "allocated " + allocated + " bytes to hand out one byte");
    }
}
