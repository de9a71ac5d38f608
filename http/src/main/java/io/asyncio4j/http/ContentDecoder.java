package io.asyncio4j.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Streaming decoder of a {@code Content-Encoding: gzip} or {@code deflate} body, fed chunk by chunk on the
 * reading task, so that {@link Body} can count the decoded bytes as they come out and stop a
 * gzip bomb at {@code maxBodySize} without inflating the rest.
 *
 * <p>gzip: one member (RFC 1952) — header parsed here, raw deflate data, then the CRC-32 and length trailer,
 * both checked; bytes after the first member are ignored. deflate: the zlib format of RFC 1950 as the RFC
 * says, or raw deflate data (RFC 1951) as some servers send, told apart by the first two bytes (what
 * aiohttp and browsers do). A body that is not valid for its encoding raises {@link ZipException}.
 *
 * <p>Not thread-safe: the {@link Body} that owns it is read by one task at a time.
 */
final class ContentDecoder {
    /* Implementation overview
     *
     * feed() first collects the gzip header in `header` until it is complete (it is short, but may span
     * chunks), then hands the rest to the Inflater and drains it into OUT-sized arrays that go to the sink.
     * Once the Inflater has finished, the leftover input is the gzip trailer (8 bytes, possibly across
     * chunks), collected in `trailer` and checked by finish(). For deflate, the first two bytes decide
     * whether the Inflater expects the zlib wrapper (nowrap = false) or raw data; they are held back in
     * `header` until both have arrived.
     */

    /** Receives decoded bytes; returns false to stop (the cap was passed). */
    interface Sink {
        boolean accept(byte[] decoded);
    }

    // size of each decoded array handed to the sink
    private static final int OUT = 64 * 1024;
    // the longest gzip header accepted (its optional name, comment and extra field included): the header is
    // held in memory and re-parsed as it grows, so an endless file name must not be
    static final int MAX_GZIP_HEADER = 4096;

    // true for gzip, false for deflate
    private final boolean gzip;
    // created once the header is known; null before
    private Inflater inflater;
    // bytes held back until the gzip header (or the two deflate bytes) are complete; null after
    private ByteArrayOutputStream header = new ByteArrayOutputStream();
    // CRC-32 of the decoded bytes (gzip)
    private final CRC32 crc = new CRC32();
    // decoded length modulo 2^32 (gzip)
    private long decodedSize;
    // the gzip trailer bytes received so far
    private final ByteArrayOutputStream trailer = new ByteArrayOutputStream();
    // whether any byte was fed (an empty body, as for HEAD or 204, decodes to nothing)
    private boolean started;

    private ContentDecoder(boolean gzip) {
        this.gzip = gzip;
    }

    /** A decoder for the {@code Content-Encoding} value, or null for none, identity or an unknown coding. */
    static ContentDecoder forEncoding(String contentEncoding) {
        if (contentEncoding == null) {
            return null;
        }
        return switch (contentEncoding.strip().toLowerCase(Locale.ROOT)) {
            case "gzip", "x-gzip" -> new ContentDecoder(true);
            case "deflate" -> new ContentDecoder(false);
            default -> null;
        };
    }

    /** Decodes {@code in} (consumed) into {@code sink}; false when the sink asked to stop. */
    boolean feed(ByteBuffer in, Sink sink) throws ZipException {
        if (!in.hasRemaining()) {
            return true;
        }
        started = true;
        if (inflater == null) {
            while (in.hasRemaining() && inflater == null) {
                if (header.size() == MAX_GZIP_HEADER) {
                    throw new ZipException("gzip header over " + MAX_GZIP_HEADER + " bytes");
                }
                header.write(in.get());
                inflater = gzip ? gzipHeader(header.toByteArray()) : deflateHeader(header.toByteArray());
            }
            if (inflater == null) {
                return true;
            }
            byte[] held = header.toByteArray();
            header = null;
            if (!gzip && !inflate(ByteBuffer.wrap(held), sink)) {
                return false;
            }
        }
        return inflate(in, sink);
    }

    /** Checks that the body ended where its encoding ends. */
    void finish() throws ZipException {
        if (!started) {
            return;
        }
        if (inflater == null || !inflater.finished()) {
            end();
            throw new ZipException("truncated " + (gzip ? "gzip" : "deflate") + " body");
        }
        end();
        if (gzip) {
            byte[] t = trailer.toByteArray();
            if (t.length < 8) {
                throw new ZipException("truncated gzip trailer");
            }
            if (le32(t, 0) != crc.getValue() || le32(t, 4) != (decodedSize & 0xFFFFFFFFL)) {
                throw new ZipException("gzip CRC or length mismatch");
            }
        }
    }

    /** Releases the Inflater's native memory; idempotent. */
    void end() {
        if (inflater != null) {
            inflater.end();
        }
    }

    private boolean inflate(ByteBuffer in, Sink sink) throws ZipException {
        if (inflater.finished()) {
            collectTrailer(in);
            return true;
        }
        inflater.setInput(in);
        byte[] out = new byte[OUT];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(out);
                if (n > 0) {
                    crc.update(out, 0, n);
                    decodedSize += n;
                    if (!sink.accept(java.util.Arrays.copyOf(out, n))) {
                        return false;
                    }
                } else if (inflater.needsInput()) {
                    break;
                } else if (inflater.needsDictionary()) {
                    throw new ZipException("deflate body needs a preset dictionary");
                }
            }
        } catch (DataFormatException e) {
            throw new ZipException("invalid " + (gzip ? "gzip" : "deflate") + " body: " + e.getMessage());
        }
        if (inflater.finished()) {
            collectTrailer(in);
        }
        return true;
    }

    private void collectTrailer(ByteBuffer in) {
        while (in.hasRemaining() && trailer.size() < 8) {
            trailer.write(in.get());
        }
        in.position(in.limit()); // anything after the first gzip member is ignored
    }

    /** An Inflater once {@code h} holds a whole gzip header; null while more bytes are needed. */
    private static Inflater gzipHeader(byte[] h) throws ZipException {
        if (h.length >= 2 && ((h[0] & 0xFF) != 0x1F || (h[1] & 0xFF) != 0x8B)) {
            throw new ZipException("not in gzip format");
        }
        if (h.length >= 3 && h[2] != 8) {
            throw new ZipException("unsupported gzip compression method " + h[2]);
        }
        if (h.length < 10) {
            return null;
        }
        int flags = h[3] & 0xFF;
        int at = 10;
        if ((flags & 4) != 0) { // FEXTRA
            if (h.length < at + 2) {
                return null;
            }
            at += 2 + ((h[at] & 0xFF) | (h[at + 1] & 0xFF) << 8);
        }
        for (int bit : new int[] {8, 16}) { // FNAME, FCOMMENT: zero-terminated
            if ((flags & bit) != 0) {
                while (true) {
                    if (h.length <= at) {
                        return null;
                    }
                    if (h[at++] == 0) {
                        break;
                    }
                }
            }
        }
        if ((flags & 2) != 0) { // FHCRC
            at += 2;
        }
        return h.length == at ? new Inflater(true) : null;
    }

    /** An Inflater once both leading bytes are here: zlib-wrapped when they form a zlib header, else raw. */
    private static Inflater deflateHeader(byte[] h) {
        if (h.length < 2) {
            return null;
        }
        int cmf = h[0] & 0xFF;
        boolean zlib = (cmf & 0x0F) == 8 && ((cmf << 8) | (h[1] & 0xFF)) % 31 == 0;
        return new Inflater(!zlib);
    }

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }
}
