package io.asyncio4j.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.zip.ZipException;

/**
 * A streamed response body of {@link SocketTransport} ({@link Response#stream()}): each read reads the
 * connection in the reading task, decoding a {@code gzip} or {@code deflate} body as it comes. Nothing is
 * read ahead, so memory stays at one buffer (plus one decoded batch, about 1 MB at most) whatever the
 * body's length.
 *
 * <p>Failures, as {@link StreamingBody} raises them: a read waiting longer than {@code sockRead} raises
 * {@link ClientTimeoutError}; a cancel of the reading task (its thread interrupted; the JDK closes the
 * socket) raises {@link InterruptedIOException}, which ends the task as cancelled; a broken connection or a
 * body invalid for its coding raises {@link ClientConnectionError}. Any failure closes the connection.
 *
 * <p>{@link #close()} (idempotent) gives the connection back to the pool when the body was read to its end,
 * and closes it otherwise. Thread-safety: one task at a time, and {@link #close()} on the session's loop
 * (elsewhere it closes the connection instead of pooling it).
 */
final class SocketBody extends BodyInputStream {
    private final SocketTransport transport;
    private final HttpConnection connection;
    // decodes a gzip or deflate body, or null
    private final ContentDecoder decoder;
    // for the timeout message
    private final Duration sockRead;
    // decoded batches not handed out yet (decoder only), the one being read and the position in it
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private byte[] chunk;
    private int at;
    // raw bytes read from the connection before decoding (decoder only)
    private byte[] raw;
    // the body ended (read to its end); the stream was closed; the failure once raised
    private boolean ended;
    private boolean closed;
    private Throwable failed;

    SocketBody(SocketTransport transport, HttpConnection connection, String contentEncoding, Duration sockRead) {
        this.transport = transport;
        this.connection = connection;
        this.decoder = ContentDecoder.forEncoding(contentEncoding);
        this.sockRead = sockRead;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream closed");
        }
        if (failed != null) {
            throw sneak(failed);
        }
        if (len == 0) {
            return 0;
        }
        try {
            if (decoder == null) {
                int n = connection.readBody(b, off, len);
                ended = n < 0;
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
        } catch (IOException | RuntimeException e) {
            throw fail(e);
        }
    }

    /** Reads and decodes raw bytes until a decoded batch is pending; false at the end of the body. */
    private boolean decodeMore() throws IOException {
        if (ended) {
            return false;
        }
        if (raw == null) {
            // small raw reads: deflate expands at most about 1,032 times, so one decoded batch stays near 1 MB
            raw = new byte[1024];
        }
        while (pending.isEmpty()) {
            int n = connection.readBody(raw, 0, raw.length);
            if (n < 0) {
                decoder.finish();
                ended = true;
                return false;
            }
            decoder.feed(ByteBuffer.wrap(raw, 0, n), bytes -> {
                if (bytes.length > 0) {
                    pending.addLast(bytes);
                }
                return true;
            });
        }
        return true;
    }

    /** Closes the connection and throws what {@code e} means to the reader (see the class comment). */
    private RuntimeException fail(Exception e) {
        connection.close();
        if (decoder != null) {
            decoder.end();
        }
        if (Thread.currentThread().isInterrupted() && !(e instanceof SocketTimeoutException)) {
            InterruptedIOException f = new InterruptedIOException("read of the response body interrupted");
            f.initCause(e);
            failed = f;
            throw sneak(f);
        }
        RuntimeException r;
        if (e instanceof SocketTimeoutException) {
            r = new ClientTimeoutError("no body data for sockRead " + sockRead, e);
        } else if (e instanceof ZipException) {
            r = new ClientConnectionError("invalid compressed body: " + e.getMessage(), e);
        } else if (e instanceof ClientError ce) {
            r = ce;
        } else {
            r = new ClientConnectionError("response body failed: " + e, e);
        }
        failed = r;
        throw r;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneak(Throwable t) throws T {
        throw (T) t;
    }

    @Override
    public int available() {
        return chunk == null ? 0 : chunk.length - at;
    }

    /** Back to the pool if the body was read to its end, else the connection is closed. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pending.clear();
        if (decoder != null) {
            decoder.end();
        }
        if (ended || connection.bodyEnded() && decoder == null) {
            transport.release(connection, false);
        } else {
            connection.close();
        }
    }
}
