package io.asyncio4j.http;

import io.asyncio4j.Asyncio;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.ZipException;

/**
 * The one way a response body is read, whatever the {@link Transport}: the raw bytes of a {@link BodySource},
 * decoded when the response says {@code Content-Encoding: gzip} or {@code deflate} ({@link ContentDecoder};
 * another coding is handed out as sent), and capped at {@code maxBodySize}. Read whole with
 * {@link #readAll} (a buffered {@link Response}) or piece by piece as the {@link InputStream} of
 * {@link Response#stream()} (a streamed one).
 *
 * <h2>The cap</h2>
 * {@code maxBodySize} caps the bytes received and the decoded bytes alike, for buffered and streamed bodies:
 * a {@code Content-Length} over it raises {@link BodyTooLarge} before the first byte is read; otherwise the
 * read that passes it raises, so a small gzip body that would inflate past the cap (a "gzip bomb") stops
 * there without being inflated further. A buffered body is also held to what one array can hold (2 GiB).
 *
 * <h2>Failures</h2>
 * Every failure releases the source (its connection is closed) and is raised again by any later read: a
 * read waiting longer than {@code sockRead} raises {@link ClientTimeoutError}; a broken connection, an
 * invalid framing or a body invalid for its coding raises {@link ClientConnectionError}; the cap raises
 * {@link BodyTooLarge}.
 *
 * <h2>Cancellation</h2>
 * A read parks the reading task in its source's wait. Cancelling the task ends that wait with
 * {@link io.asyncio4j.CancelledError} (on a blocking JDK socket: its interrupt, which this class turns into
 * the {@code CancelledError} through {@code Asyncio.sleep(0)}); the source is released without reuse and the
 * bytes read so far are dropped.
 *
 * <h2>Thread-safety</h2>
 * One task at a time. {@link #close()} gives the source back for reuse only when called by a task of the
 * session's loop after the body's end; anywhere else, or before the end, it closes the connection.
 */
final class Body extends InputStream {
    /* Implementation overview
     *
     * Without a decoder a read goes straight to the source into the caller's array and counts the bytes.
     * With one, raw bytes are read into `raw` and fed to the decoder, whose output arrays queue in `pending`
     * until handed out; the raw read size bounds one decoded batch (deflate expands at most about 1,032
     * times): 1 KiB for a stream (a batch of about 1 MB at most), 32 KiB for a buffered body, which holds
     * everything anyway. readAll() reads an unencoded body of a known length up to PREALLOCATE into one exact
     * array straight from the source (readDeclared: no Body object unless it fails), anything else through
     * read() into a growing one.
     */

    /** The largest body read into one array sized by its Content-Length; larger ones grow as they arrive. */
    static final int PREALLOCATE = 256 * 1024;
    // where readToEnd looks for a byte past the Content-Length: shared, as what lands in it is never read
    private static final byte[] PROBE = new byte[1];
    // the longest array the JDK allocates
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final BodySource source;
    // decodes a gzip or deflate body, or null
    private final ContentDecoder decoder;
    // the cap on received and decoded bytes
    private final long max;
    // for the timeout message
    private final Duration sockRead;
    // what the messages name (method and URL)
    private final Request request;
    // raw bytes read into this before decoding (decoder only); its size is the raw read size
    private final byte[] raw;
    // the reading task only, from here on: bytes received (before decoding) and handed out (decoded)
    private long received;
    private long produced;
    // decoded batches not handed out yet (decoder only, else null), the one being read and the position in it
    private final ArrayDeque<byte[]> pending;
    private byte[] chunk;
    private int at;
    // the body ended (read to its end, decoder finished); the stream was closed; the source was given back
    private boolean ended;
    private boolean closed;
    private boolean released;
    // the failure once raised; raised again by later reads
    private RuntimeException failed;
    // set by the decoder's sink when the decoded bytes pass the cap
    private BodyTooLarge overCap;

    private Body(BodySource source, String contentEncoding, long max, Duration sockRead, Request request, int rawSize) {
        this.source = source;
        this.decoder = ContentDecoder.forEncoding(contentEncoding);
        this.max = max;
        this.sockRead = sockRead;
        this.request = request;
        this.raw = decoder == null ? null : new byte[rawSize];
        this.pending = decoder == null ? null : new ArrayDeque<>(4);
    }

    /**
     * The whole body of {@code source}, decoded and capped at {@code maxBodySize} (see the class comment);
     * the source is given back for reuse once the body ended.
     *
     * @throws BodyTooLarge          when the body passes {@code maxBodySize}
     * @throws ClientTimeoutError    when a read waited longer than {@code sockRead}
     * @throws ClientConnectionError when the connection broke, or the body is invalid for its framing or coding
     */
    static byte[] readAll(BodySource source, String contentEncoding, long maxBodySize, Duration sockRead,
                          Request request) {
        long max = Math.min(maxBodySize, MAX_ARRAY);
        long declared = source.declaredLength();
        if (contentEncoding == null && declared >= 0 && declared <= Math.min(max, PREALLOCATE)) {
            return readDeclared(source, (int) declared, max, sockRead, request);
        }
        Body b = new Body(source, contentEncoding, max, sockRead, request, 32 * 1024);
        b.checkDeclared();
        byte[] all = b.readToEnd();
        b.release(true, true);
        return all;
    }

    /**
     * readAll() of a body that is not encoded, announced as {@code declared} bytes (within the cap): read into
     * one exact array straight from the source, with no Body object unless it fails (then one maps the failure).
     */
    private static byte[] readDeclared(BodySource source, int declared, long max, Duration sockRead, Request request) {
        byte[] body = source.takeWhole(declared); // the common case: it came with the head
        if (body != null) {
            source.release(true, true);
            return body;
        }
        body = new byte[declared];
        try {
            for (int n = 0; n < declared; ) {
                int r = source.read(body, n, declared - n);
                if (r < 0) {
                    throw new EOFException("the body ended before its Content-Length " + declared);
                }
                n += r;
            }
            if (source.read(PROBE, 0, 1) >= 0) {
                throw new ProtocolException("the body is longer than its Content-Length " + declared);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw new Body(source, null, max, sockRead, request, 0).fail(e);
        }
        source.release(true, true);
        return body;
    }

    /**
     * The body of {@code source} as a stream to read and close, decoded and capped at {@code maxBodySize}
     * (see the class comment).
     *
     * @throws BodyTooLarge when the response announced a {@code Content-Length} over {@code maxBodySize}; the
     *                      source is then released
     */
    static Body stream(BodySource source, String contentEncoding, long maxBodySize, Duration sockRead,
                       Request request) {
        Body b = new Body(source, contentEncoding, maxBodySize, sockRead, request, 1024);
        b.checkDeclared();
        return b;
    }

    private void checkDeclared() {
        long declared = source.declaredLength();
        if (declared > max) {
            BodyTooLarge e = tooLarge("Content-Length is " + declared);
            release(false, false);
            failed = e;
            throw e;
        }
    }

    private byte[] readToEnd() {
        try {
            long declared = source.declaredLength(); // (an unencoded one within PREALLOCATE: readDeclared)
            // memory follows the bytes that arrive: a server that announces 60 MB and sends 10 bytes costs 10
            byte[] data = new byte[declared >= 0 ? (int) Math.min(declared, PREALLOCATE) : 1024];
            int size = 0;
            byte[] piece = new byte[16 * 1024];
            for (int n; (n = read(piece, 0, piece.length)) >= 0; ) {
                if (size + n > data.length) {
                    data = Arrays.copyOf(data, (int) Math.min(Math.max(data.length * 2L, (long) size + n), MAX_ARRAY));
                }
                System.arraycopy(piece, 0, data, size, n);
                size += n;
            }
            return size == data.length ? data : Arrays.copyOf(data, size);
        } catch (IOException e) {
            throw fail(e); // read() raises only unchecked ones, already failed; here for the compiler
        }
    }

    @Override
    public int read() throws IOException {
        return Wire.readOne(this);
    }

    /**
     * Reads up to {@code len} decoded body bytes; -1 at the end. Parks the task until bytes arrive; see the
     * class comment for the failures and the cancellation.
     *
     * @throws IOException when the stream was closed
     */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (failed != null) {
            throw failed;
        }
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        try {
            if (decoder == null) {
                int n = source.read(b, off, len);
                if (n < 0) {
                    ended = true;
                    return -1;
                }
                produced += n;
                if (produced > max) {
                    throw tooLarge("more than " + max + " bytes arrived");
                }
                return n;
            }
            while (chunk == null || at == chunk.length) {
                chunk = pending.pollFirst();
                at = 0;
                if (chunk == null && !decodeMore()) {
                    return -1;
                }
            }
            int n = Math.min(len, chunk.length - at);
            System.arraycopy(chunk, at, b, off, n);
            at += n;
            return n;
        } catch (IOException | RuntimeException | Error e) {
            throw fail(e);
        }
    }

    /** Reads and decodes raw bytes until a decoded batch is pending; false at the end of the body. */
    private boolean decodeMore() throws IOException {
        if (ended) {
            return false;
        }
        while (pending.isEmpty()) {
            int n = source.read(raw, 0, raw.length);
            if (n < 0) {
                decoder.finish();
                ended = true;
                return false;
            }
            received += n;
            if (received > max) {
                throw tooLarge("more than " + max + " bytes arrived");
            }
            decoder.feed(ByteBuffer.wrap(raw, 0, n), this::accept);
            if (overCap != null) {
                throw overCap;
            }
        }
        return true;
    }

    /** The decoder's sink: queues {@code decoded}, or records that it passes the cap and stops. */
    private boolean accept(byte[] decoded) {
        if (produced + decoded.length > max) {
            overCap = tooLarge("more than " + max + " bytes after decoding");
            return false;
        }
        produced += decoded.length;
        if (decoded.length > 0) {
            pending.addLast(decoded);
        }
        return true;
    }

    /**
     * Releases the source without reuse and returns what {@code e} means to the reader (see the class
     * comment); an {@link Error} such as {@code CancelledError} is thrown as it is.
     */
    private RuntimeException fail(Throwable e) {
        release(false, false);
        if (e instanceof Error err) {
            throw err;
        }
        if (Thread.currentThread().isInterrupted() && !(e instanceof SocketTimeoutException)
                && Asyncio.currentTask() != null) {
            Asyncio.sleep(0); // the task was interrupted to reach a blocking socket: delivers its CancelledError
        }
        String what = ": " + request.method() + " " + request.uri();
        RuntimeException r;
        if (e instanceof ClientError ce) {
            r = ce;
        } else if (e instanceof SocketTimeoutException) {
            r = new ClientTimeoutError("no body data for sockRead " + sockRead + what, e);
        } else if (e instanceof ZipException) {
            r = new ClientConnectionError("invalid compressed body: " + e.getMessage() + what, e);
        } else if (e instanceof IOException) {
            r = new ClientConnectionError("response body failed: " + e + what, e);
        } else {
            r = (RuntimeException) e;
        }
        failed = r;
        return r;
    }

    private BodyTooLarge tooLarge(String detail) {
        return new BodyTooLarge("response body exceeds maxBodySize " + max + " bytes: " + detail + ": "
                + request.method() + " " + request.uri());
    }

    private void release(boolean reuse, boolean inRequestTask) {
        if (released) {
            return;
        }
        released = true;
        if (decoder != null) {
            decoder.end();
        }
        source.release(reuse, inRequestTask);
    }

    @Override
    public int available() {
        return chunk == null ? 0 : chunk.length - at;
    }

    /**
     * Stops reading: the connection goes back to the pool when the body was read to its end (and this runs
     * in a task of the session's loop), else it is closed. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (pending != null) {
            pending.clear();
        }
        release(failed == null, false);
    }
}
