package io.asyncio4j.http;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link ClientSession} needs from an HTTP implementation: send one request and read its whole body,
 * completing off the loop. {@link JdkTransport} is the only implementation; the interface keeps the JDK
 * client's types out of the session's logic.
 *
 * <p>Contract of {@link #send}: the returned future completes with the response (body read in full), or
 * exceptionally with {@link BodyTooLarge} (more than {@code maxBodySize} bytes), {@link java.net.http.HttpTimeoutException}
 * ({@code sockRead} passed) or another {@link java.io.IOException}. Cancelling the returned future aborts the
 * exchange and closes its connection. Any thread may call every method.
 */
interface Transport extends AutoCloseable {
    /**
     * Sends {@code request} and reads the body, at most {@code maxBodySize} bytes, waiting at most
     * {@code sockRead} (null: no limit) between two chunks.
     */
    CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request, long maxBodySize, Duration sockRead);

    /**
     * Sends {@code request} and completes with the response once its headers arrived; the body is read
     * through the returned {@link StreamingBody}, which the caller must close. Cancelling the returned
     * future before it completes aborts the exchange.
     */
    CompletableFuture<HttpResponse<StreamingBody>> stream(HttpRequest request, Duration sockRead);

    /** Aborts every exchange in flight and releases the threads. Idempotent. */
    @Override
    void close();
}
