package io.asyncio4j.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read as it arrives, for {@link Response#stream()}: the JDK client pushes chunks (decoded
 * here when the body is gzip or deflate) into a queue, the reading task takes them out. One network batch is
 * requested at a time, so at most about two batches are held in memory, whatever the body's length.
 *
 * <p>Reading parks the task's virtual thread on a JDK queue, never the loop. A read waits at most
 * {@code sockRead} (null: no limit) for the next chunk, then raises {@link ClientTimeoutError} and closes the
 * connection. A cancel of the reading task interrupts the wait: the read raises
 * {@link InterruptedIOException}, which ends the task as cancelled. A broken connection or a body invalid
 * for its coding raises {@link ClientConnectionError}. {@link #close()} (any thread, idempotent) stops the
 * body and closes the connection unless the body was read to its end.
 *
 * <p>Thread-safety: the subscriber side is called by the JDK one call at a time; the reader side is meant for
 * one task at a time; the queue is the only thing they share, plus the synchronized subscription handling.
 */
final class StreamingBody extends BodyInputStream implements HttpResponse.BodySubscriber<StreamingBody> {
    // queued after the last chunk
    private static final Object END = new Object();

    // the longest wait for the next chunk, or null
    private final Duration sockRead;
    // decodes a gzip or deflate body, or null
    private final ContentDecoder decoder;
    // batches of chunks (List<byte[]>), then END or a Throwable
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    // the JDK's subscription; null until onSubscribe
    private Flow.Subscription subscription;
    // set by close(): cancel the subscription as soon as there is one
    private boolean closed;
    // reader side: the chunks of the batch being read, the chunk being read and the position in it
    private List<byte[]> batch = List.of();
    private int batchIndex;
    private byte[] chunk;
    private int pos;
    // reader side: END or the failure once seen
    private Object last;

    StreamingBody(HttpResponse.ResponseInfo info, Duration sockRead) {
        this.sockRead = sockRead;
        this.decoder = ContentDecoder.forEncoding(info.headers().firstValue("Content-Encoding").orElse(null));
    }

    @Override
    public CompletionStage<StreamingBody> getBody() {
        return CompletableFuture.completedFuture(this);
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (closed) {
            s.cancel();
            return;
        }
        s.request(1);
    }

    @Override
    public synchronized void onNext(List<ByteBuffer> buffers) {
        if (closed) {
            return;
        }
        List<byte[]> out = new ArrayList<>();
        try {
            for (ByteBuffer b : buffers) {
                if (decoder == null) {
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    out.add(bytes);
                } else {
                    decoder.feed(b, out::add);
                }
            }
        } catch (java.util.zip.ZipException e) {
            queue.add(new ClientConnectionError("invalid compressed body: " + e.getMessage(), e));
            cancelSubscription();
            return;
        }
        out.removeIf(c -> c.length == 0);
        if (out.isEmpty()) {
            request();
        } else {
            queue.add(out);
        }
    }

    @Override
    public synchronized void onError(Throwable t) {
        if (decoder != null && !closed) {
            decoder.end();
        }
        queue.add(t instanceof ClientError ? t : new ClientConnectionError("response body failed: " + t, t));
    }

    @Override
    public synchronized void onComplete() {
        if (decoder != null && !closed) {
            try {
                decoder.finish();
            } catch (java.util.zip.ZipException e) {
                queue.add(new ClientConnectionError("invalid compressed body: " + e.getMessage(), e));
                return;
            }
        }
        queue.add(END);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (chunk == null || pos == chunk.length) {
            if (batchIndex < batch.size()) {
                chunk = batch.get(batchIndex++);
                pos = 0;
                continue;
            }
            if (!next()) {
                return -1;
            }
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return chunk == null ? 0 : chunk.length - pos;
    }

    /** Takes the next batch; false at the end of the body. */
    @SuppressWarnings("unchecked")
    private boolean next() throws IOException {
        if (last == END) {
            return false;
        }
        if (last != null) {
            throw (RuntimeException) last;
        }
        synchronized (this) {
            if (closed) {
                throw new IOException("stream closed");
            }
        }
        Object item;
        try {
            item = sockRead == null ? queue.take() : queue.poll(sockRead.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException ie = new InterruptedIOException("read of the response body interrupted");
            ie.initCause(e);
            throw ie;
        }
        if (item == null) {
            close();
            last = new ClientTimeoutError("no body data for sockRead " + sockRead, null);
            throw (RuntimeException) last;
        }
        if (item == END) {
            last = END;
            return false;
        }
        if (item instanceof RuntimeException e) {
            last = e;
            throw e;
        }
        batch = (List<byte[]>) item;
        batchIndex = 0;
        request();
        return true;
    }

    private synchronized void request() {
        if (subscription != null && !closed) {
            subscription.request(1);
        }
    }

    private synchronized void cancelSubscription() {
        closed = true;
        if (subscription != null) {
            subscription.cancel();
        }
    }

    /** Stops the body; the connection is closed unless the body was read to its end. Idempotent, any thread. */
    @Override
    public void close() {
        synchronized (this) {
            if (!closed && decoder != null) {
                decoder.end();
            }
            cancelSubscription();
        }
        queue.clear();
    }
}
