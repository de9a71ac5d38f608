package io.asyncio4j.http;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property-based fuzzing (jqwik) of the response parser, the chunked decoder and the body pipeline behind
 * {@code ClientSession}: whatever bytes a server sends, reading one response either gives a body within
 * {@code maxBodySize} or fails with an {@link IOException} (which the session raises as
 * {@link ClientConnectionError}) or {@link BodyTooLarge} — never another exception, never a hang, never an
 * allocation out of proportion to the bytes received (or, for a compressed body, to the cap); and where
 * the buffered read gives a body, the streamed read ({@link Body}) gives the same bytes.
 *
 * <p>The inputs are built from the grammar of a response and then damaged: status lines good and bad, header
 * lines among which the framing ones with hostile values (negative, overflowing, repeated, folded), line ends
 * CRLF, LF or CR, bodies raw, chunked (sizes right, wrong, negative, overflowing, with extensions and
 * trailers), gzip (a bomb among them) — then maybe truncated at a random byte or with random bytes
 * overwritten. The CI budget is {@code jqwik.tries.default} in {@code junit-platform.properties}; a longer
 * local run: {@code ./mvnw -B -ntp -pl http -am test -Dtest=ResponseParserFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Djqwik.tries.default=200000}.
 */
class ResponseParserFuzzTest {
    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-worker");
        t.setDaemon(true);
        return t;
    });
    // what the body's error messages name
    private static final Request REQUEST = Request.of("GET", "http://fuzz/");
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** One generated exchange: the server's bytes, whether the request was HEAD, the maxBodySize. */
    record Exchange(byte[] bytes, boolean head, long cap) {
        @Override
        public String toString() {
            String text = new String(bytes, 0, Math.min(bytes.length, 400), StandardCharsets.ISO_8859_1)
                    .replace("\r", "\\r").replace("\n", "\\n");
            return "Exchange(head=" + head + ", cap=" + cap + ", " + bytes.length + " bytes: " + text + ")";
        }
    }

    @AfterContainer
    static void stopWorker() {
        WORKER.shutdownNow();
    }

    @Property
    void anyResponseEndsInABodyWithinTheCapOrATypedErrorWithoutHangingOrOverAllocating(
            @ForAll("exchanges") Exchange x) throws InterruptedException {
        long[] result = onWorker(x, () -> readOne(x));
        long bodyLength = result[0];
        long allocated = result[1];
        assertTrue(bodyLength <= x.cap, "a body of " + bodyLength + " bytes passed the cap of " + x.cap + ": " + x);
        long bound = 2L * 1024 * 1024 + 32L * x.bytes.length + (compressed(x) ? 4 * x.cap : 0);
        assertTrue(allocated <= bound, "allocated " + allocated + " bytes (bound " + bound + ") for " + x);
    }

    @Property
    void aResponseArrivingInPiecesOfAnySizeReadsAsTheSameResponseArrivingAtOnce(
            @ForAll("exchanges") Exchange x, @ForAll("pieces") int piece) throws InterruptedException {
        // at once, the head is parsed in the pass that finds its end; in pieces, its end is searched first
        String[] both = onWorker(x, () -> new String[] {
                outcome(x, new ByteArrayInputStream(x.bytes)),
                // (at most about 4,000 reads per response, to keep the budget for many responses)
                outcome(x, new HttpConnectionTest.Trickle(x.bytes, Math.max(piece, x.bytes.length / 4096)))});
        // two limits are checked as bytes arrive, so where the reads end decides them near the limit: a head just
        // over MAX_HEAD is accepted when its end came in the read that passed it, and a chunked framing line over
        // 8 KiB is refused only when it did not come in one read
        if (x.bytes.length > HttpConnection.MAX_HEAD && (both[0] + both[1]).contains("response head exceeds")
                || (both[0] + both[1]).contains("a line over 8192 bytes")) {
            return;
        }
        assertTrue(both[0].equals(both[1]), () -> "in pieces of " + piece + ": "
                + both[0].substring(0, Math.min(300, both[0].length())) + " against "
                + both[1].substring(0, Math.min(300, both[1].length())) + ", for " + x);
    }

    /** What {@code read} returns, run on the worker: a failure if it takes over 10 s or throws. */
    private static <T> T onWorker(Exchange x, java.util.concurrent.Callable<T> read) throws InterruptedException {
        Future<T> run = WORKER.submit(read);
        try {
            return run.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            run.cancel(true);
            return fail("reading the response did not end within 10 s: " + x);
        } catch (ExecutionException e) {
            throw new AssertionError("untyped failure " + e.getCause() + " for " + x, e.getCause());
        }
    }

    @Provide
    Arbitrary<Integer> pieces() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 8), Arbitraries.integers().between(9, 5000));
    }

    /**
     * What the buffered read makes of the server's bytes in {@code in}: the status, the headers and the body
     * (unless it is content-encoded), or the typed failure with its message.
     */
    private static String outcome(Exchange x, java.io.InputStream in) {
        try {
            HttpConnection c = new HttpConnection("fuzz", new Wire.OfStreams(in, OutputStream.nullOutputStream()), null);
            HttpConnection.Head head = c.readResponse(x.head);
            String parsed = head.status() + " " + head.headers().map() + " " + head.contentLength() + " "
                    + head.chunked() + " " + head.close() + " " + head.contentEncoding();
            if (head.contentEncoding() != null) {
                // which failure of a decoded body comes first (the cap, the coding) depends on the sizes read
                return parsed;
            }
            byte[] body = Body.readAll(c, null, x.cap, null, REQUEST);
            return parsed + " body " + java.util.HexFormat.of().formatHex(body);
        } catch (IOException | ClientError typed) {
            return typed.getClass().getName() + ": " + typed.getMessage();
        }
    }

    /**
     * Reads the same response as a stream the way {@link Response#stream()} does ({@link Body}), capped at
     * {@code cap} decoded bytes as the buffered read is: the bytes read, or null after a typed failure — a
     * {@link ClientError} (Body's mapping of IOExceptions) or an IOException the parser raised before the
     * body.
     */
    private static byte[] streamOne(Exchange x) {
        try {
            HttpConnection c = new HttpConnection("fuzz", new Wire.OfStreams(new ByteArrayInputStream(x.bytes),
                    OutputStream.nullOutputStream()), null);
            HttpConnection.Head head = c.readResponse(x.head);
            Body body = Body.stream(c, head.contentEncoding(), x.cap, null, REQUEST);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; out.size() < x.cap && (n = body.read(buf, 0, buf.length)) >= 0; ) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException | ClientError typed) {
            return null;
        }
    }

    /**
     * Reads one response the way the session's buffered read does ({@link Body#readAll}): the body's length
     * (-1 after a typed failure: an IOException of the head's parser, which the session raises as
     * ClientConnectionError, or a ClientError of the body) and the bytes
     * allocated either way. Any other exception escapes.
     */
    private static long[] readOne(Exchange x) {
        // (then the same bytes as a stream: where the buffered read gives a body, the stream gives the same)
        long before = THREADS.getCurrentThreadAllocatedBytes();
        long length;
        byte[] buffered = null;
        try {
            HttpConnection c = new HttpConnection("fuzz", new Wire.OfStreams(new ByteArrayInputStream(x.bytes),
                    OutputStream.nullOutputStream()), null);
            HttpConnection.Head head = c.readResponse(x.head);
            head.headers().map(); // every header of an accepted head indexes and decodes (done lazily)
            buffered = Body.readAll(c, head.contentEncoding(), x.cap, null, REQUEST);
            length = buffered.length;
            c.reusable();
        } catch (IOException | ClientError typed) {
            length = -1;
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        byte[] streamed = streamOne(x);
        if (buffered != null && (streamed == null || !java.util.Arrays.equals(buffered, streamed))) {
            throw new IllegalStateException("the streamed read differs from the buffered one: "
                    + (streamed == null ? "it failed" : streamed.length + " bytes against " + buffered.length));
        }
        return new long[] {length, allocated};
    }

    private static boolean compressed(Exchange x) {
        String text = new String(x.bytes, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        return text.contains("gzip") || text.contains("deflate");
    }

    // ---- the generator ----------------------------------------------------------------------------------

    @Provide
    Arbitrary<Exchange> exchanges() {
        Arbitrary<String> eol = Arbitraries.of("\r\n", "\r\n", "\r\n", "\n", "\r");
        Arbitrary<byte[]> response = Combinators.combine(statusLines(), headerLines(), eol, bodies())
                .as((status, headers, end, body) -> {
                    StringBuilder head = new StringBuilder(status).append(end);
                    for (String h : headers) {
                        head.append(h).append(end);
                    }
                    head.append(end);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                    out.writeBytes(body);
                    return out.toByteArray();
                });
        Arbitrary<byte[]> withInterim = Combinators.combine(response, Arbitraries.of("", "",
                "HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"))
                .as((r, interim) -> concat(interim.getBytes(StandardCharsets.ISO_8859_1), r));
        Arbitrary<byte[]> damaged = Combinators.combine(withInterim, Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, Integer.MAX_VALUE), Arbitraries.bytes().list().ofMaxSize(4))
                .as(ResponseParserFuzzTest::damage);
        return Combinators.combine(damaged, Arbitraries.of(false, false, false, true),
                Arbitraries.of(1024L, 64L * 1024, 8L * 1024 * 1024)).as(Exchange::new);
    }

    /** mode 0: as built; 1: cut at a random byte; 2: some bytes overwritten; 3: both. */
    private static byte[] damage(byte[] b, int mode, int seed, List<Byte> noise) {
        byte[] out = b;
        if ((mode & 2) != 0 && b.length > 0) {
            out = b.clone();
            for (int i = 0; i < noise.size(); i++) {
                out[Math.floorMod(seed + i * 7919, out.length)] = noise.get(i);
            }
        }
        if ((mode & 1) != 0 && out.length > 0) {
            out = java.util.Arrays.copyOf(out, Math.floorMod(seed, out.length));
        }
        return out;
    }

    private static Arbitrary<String> statusLines() {
        return Arbitraries.oneOf(
                Arbitraries.of("HTTP/1.1 200 OK", "HTTP/1.1 200", "HTTP/1.1 200 ", "HTTP/1.0 200 OK",
                        "HTTP/1.1 204 No Content", "HTTP/1.1 304 Not Modified", "HTTP/1.1 100 Continue",
                        "HTTP/1.1 101 Switching Protocols", "HTTP/1.1 404 Not Found", "HTTP/1.1 999 Odd",
                        "HTTP/1.1 abc", "HTTP/2 200", "ICY 200 OK", "", "HTTP/1.1 2000 Too Long", "http/1.1 200 OK"),
                Arbitraries.strings().ofMaxLength(24).map(s -> "HTTP/1.1 " + s));
    }

    private static Arbitrary<List<String>> headerLines() {
        Arbitrary<String> framing = Arbitraries.of("Content-Length: 0", "Content-Length: 5", "Content-Length: -1",
                "Content-Length: 99999999999999999999", "Content-Length: 5, 5", "Content-Length: +5",
                "Content-Length:", "Content-Length: 4294967296", "Content-Length: 2147483648",
                "Transfer-Encoding: chunked", "Transfer-Encoding: gzip, chunked", "Transfer-Encoding: chunked, gzip",
                "Transfer-Encoding: identity", "Content-Encoding: gzip", "Content-Encoding: deflate",
                "Content-Encoding: br", "Content-Encoding: gzip, gzip", "Connection: close", "Connection: keep-alive",
                " folded", "\tfolded", "NoColon", ": empty name", "X-Sp : v", "X-A: b", "Set-Cookie: a=b");
        Arbitrary<String> header = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, framing),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(0, 9_000_000).map(i -> "Content-Length: " + i)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(40).map(s -> "X-R: " + s)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(40)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 300_000).map(n -> "X-Big: " + "a".repeat(n))));
        return header.list().ofMaxSize(8);
    }

    private static Arbitrary<byte[]> bodies() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        return Arbitraries.oneOf(raw, chunked(), gzipped());
    }

    private static Arbitrary<byte[]> chunked() {
        Arbitrary<String> chunk = Combinators.combine(Arbitraries.strings().ofMaxLength(30),
                Arbitraries.of("", "", ";a=b", ";q=\"x;y\"", " ", "\t"),
                Arbitraries.of("right", "right", "right", "-1", "fffffffffffffffff", "7fffffffffffffff",
                        "0x5", "", "zz", "ffffffffffffffff", "+5", "00000000000000000001", "1 1"),
                Arbitraries.of("\r\n", "\r\n", "\n", "", "xx"))
                .as((data, ext, size, after) -> {
                    String s = size.equals("right") ? Integer.toHexString(data.length()) : size;
                    return s + ext + "\r\n" + data + after;
                });
        Arbitrary<String> end = Arbitraries.of("0\r\n\r\n", "0\r\nX-Trailer: t\r\n\r\n", "0;ext\r\n\r\n", "0\r\n",
                "", "0\r\nX: " + "t".repeat(10_000) + "\r\n\r\n");
        return Combinators.combine(chunk.list().ofMaxSize(6), end)
                .as((chunks, last) -> (String.join("", chunks) + last).getBytes(StandardCharsets.ISO_8859_1));
    }

    // gzip bodies of so many zero bytes (20 MB: a bomb past every cap), made once
    private static final java.util.Map<Integer, byte[]> GZIPPED = new java.util.concurrent.ConcurrentHashMap<>();

    private static Arbitrary<byte[]> gzipped() {
        return Combinators.combine(Arbitraries.of(0, 10, 70_000, 2_000_000, 20_000_000), Arbitraries.of(false, true))
                .as((zeros, corrupt) -> {
                    byte[] gz = GZIPPED.computeIfAbsent(zeros, n -> gzip(new byte[n])).clone();
                    if (corrupt && gz.length > 12) {
                        gz[gz.length / 2] ^= 0x5a;
                    }
                    return gz;
                });
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
