package io.asyncio4j.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * What {@link ClientSession} needs from an HTTP implementation: send one request and read its answer, called
 * by the requesting task, which it parks (never the loop) until the answer is there. Two implementations:
 * {@link SocketTransport} (the default: HTTP/1.1 driven by the task itself, plain http on the loop's
 * selector and https on a JDK {@code SSLSocket}, a loop-confined pool of keep-alive connections) and {@link JdkTransport} (the JDK {@code HttpClient};
 * {@code ClientSession.Builder.jdkHttpClient()}).
 *
 * <p>Failures: {@link BodyTooLarge} (more than {@code maxBodySize} bytes), {@link java.net.http.HttpTimeoutException}
 * (a connect or {@code sockRead} limit passed), another {@link IOException} (the connection failed or the
 * answer is not valid HTTP), or {@link io.asyncio4j.CancelledError} when the task is cancelled meanwhile,
 * in which case the exchange is aborted and its connection closed. {@link #close()} may be called from any
 * thread; the other methods by tasks of the session's loop only.
 */
interface Transport extends AutoCloseable {
    /**
     * An answer: the status, the headers and the body (a {@code byte[]}, or a stream to read and close); and how
     * often the request was sent for it: 2 when the transport sent it again on a fresh connection after a
     * stale pooled one failed, else 1.
     */
    record Reply<B>(int status, ResponseHeaders headers, B body, int sends) {
        Reply(int status, ResponseHeaders headers, B body) {
            this(status, headers, body, 1);
        }
    }

    /** Sends {@code request} and reads the whole body, at most {@code maxBodySize} bytes once decoded. */
    Reply<byte[]> send(Request request, long maxBodySize) throws IOException;

    /**
     * Sends {@code request} and returns once the headers arrived; the body is read through the returned
     * stream, which the caller must close (closing it before its end closes the connection).
     */
    Reply<InputStream> stream(Request request) throws IOException;

    /** Aborts every exchange in flight and closes every connection. Idempotent; any thread. */
    @Override
    void close();
}
