package io.asyncio4j.http;

import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads a response body into memory on the transport's threads, with two limits: at most {@code maxBodySize}
 * bytes ({@link BodyTooLarge}, checked against {@code Content-Length} before the first byte when the server
 * sends one), and at most {@code sockRead} between two chunks ({@link HttpTimeoutException}).
 *
 * <p>A body with {@code Content-Encoding: gzip} or {@code deflate} is decoded here as it arrives
 * ({@link ContentDecoder}); {@code maxBodySize} then caps the bytes received and the decoded bytes alike, so
 * a gzip bomb stops once {@code maxBodySize} decoded bytes came out. Another coding is kept as sent.
 *
 * <p>Either limit, or {@link #abort()}, cancels the subscription, which makes the JDK client close the
 * connection. Thread-safety: the JDK calls {@code onSubscribe/onNext/onError/onComplete} one at a time; the
 * read timer and {@link #abort()} run on other threads, so every method is synchronized.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    // the cap on the body length in bytes
    private final long maxBodySize;
    // the longest wait between two chunks, or null
    private final Duration sockRead;
    // runs the read timer; null when sockRead is null
    private final ScheduledExecutorService timers;
    // the body, or its failure
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    // the chunks received so far
    private final List<byte[]> chunks = new ArrayList<>();
    // how many bytes the chunks hold
    private long size;
    // bytes received on the wire (equal to size when there is no decoder)
    private long received;
    // decodes a gzip or deflate body, or null
    private final ContentDecoder decoder;
    // the JDK's subscription; null until onSubscribe
    private Flow.Subscription subscription;
    // the pending read timer, or null
    private ScheduledFuture<?> timer;
    // set by abort() before onSubscribe: cancel as soon as subscribed
    private boolean aborted;
    // the failure a limit or abort() caused here, which the JDK may report as a plain IOException; or null
    private Throwable ownFailure;
    // System.nanoTime() when the timer was last armed: a timer that fires late, after fresh data, is ignored
    private long armedAt;

    CappedBody(HttpResponse.ResponseInfo info, long maxBodySize, Duration sockRead, ScheduledExecutorService timers) {
        this.maxBodySize = maxBodySize;
        this.sockRead = sockRead;
        this.timers = timers;
        this.decoder = ContentDecoder.forEncoding(info.headers().firstValue("Content-Encoding").orElse(null));
        long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > maxBodySize) {
            ownFailure = tooLarge("Content-Length is " + declared);
            result.completeExceptionally(ownFailure);
        }
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (aborted || result.isDone()) {
            s.cancel();
            return;
        }
        armTimer();
        s.request(Long.MAX_VALUE);
    }

    @Override
    public synchronized void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : buffers) {
            received += b.remaining();
            if (received > maxBodySize) {
                fail(tooLarge("more than " + maxBodySize + " bytes arrived"));
                return;
            }
            if (decoder == null) {
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                if (!add(bytes)) {
                    return;
                }
            } else {
                try {
                    if (!decoder.feed(b, this::add)) {
                        return;
                    }
                } catch (java.util.zip.ZipException e) {
                    fail(e);
                    return;
                }
            }
        }
        armTimer();
    }

    /** Keeps {@code bytes}, or fails with {@link BodyTooLarge} and returns false when they pass the cap. */
    private boolean add(byte[] bytes) {
        size += bytes.length;
        if (size > maxBodySize) {
            fail(tooLarge("more than " + maxBodySize + " bytes " + (decoder == null ? "arrived" : "after decoding")));
            return false;
        }
        chunks.add(bytes);
        return true;
    }

    @Override
    public synchronized void onError(Throwable t) {
        cancelTimer();
        if (decoder != null) {
            decoder.end();
        }
        result.completeExceptionally(t);
    }

    @Override
    public synchronized void onComplete() {
        cancelTimer();
        if (result.isDone()) {
            return;
        }
        if (decoder != null) {
            try {
                decoder.finish();
            } catch (java.util.zip.ZipException e) {
                fail(e);
                return;
            }
        }
        byte[] body = new byte[Math.toIntExact(size)];
        int at = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, body, at, c.length);
            at += c.length;
        }
        chunks.clear();
        result.complete(body);
    }

    /** Stops reading and closes the connection (the request was cancelled). */
    synchronized void abort() {
        aborted = true;
        fail(new java.util.concurrent.CancellationException("request cancelled"));
    }

    /** The failure a limit or {@link #abort()} caused, or null: the real reason behind the JDK's IOException. */
    synchronized Throwable ownFailure() {
        return ownFailure;
    }

    private void fail(Throwable t) {
        if (ownFailure == null) {
            ownFailure = t;
        }
        cancelTimer();
        chunks.clear();
        if (decoder != null) {
            decoder.end();
        }
        if (subscription != null) {
            subscription.cancel();
        }
        result.completeExceptionally(t);
    }

    private BodyTooLarge tooLarge(String what) {
        return new BodyTooLarge("response body exceeds maxBodySize " + maxBodySize + " bytes: " + what);
    }

    private void armTimer() {
        if (sockRead == null) {
            return;
        }
        cancelTimer();
        armedAt = System.nanoTime();
        timer = timers.schedule(this::readTimedOut, sockRead.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private synchronized void readTimedOut() {
        if (!result.isDone() && System.nanoTime() - armedAt >= sockRead.toNanos()) {
            fail(new HttpTimeoutException("no body data for sockRead " + sockRead));
        }
    }
}
