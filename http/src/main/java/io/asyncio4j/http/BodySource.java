package io.asyncio4j.http;

import java.io.IOException;

/**
 * The raw bytes of one response body as a {@link Transport} delivers them: delimited by the response's framing
 * ({@code Content-Length}, chunked, up to the close), still in their {@code Content-Encoding}. {@link Body}
 * is the one reader of a source: it caps, decodes and hands the bytes out, buffered or streamed.
 *
 * <p>{@link #read} is called by one task at a time and parks it (a wait of the loop, never the loop thread)
 * until bytes arrive; a cancel of the task ends that wait with {@link io.asyncio4j.CancelledError} or, on a
 * blocking JDK socket, with the task's interrupt. {@link #release} is called once, by the task that read.
 */
interface BodySource {
    /**
     * Reads up to {@code len} raw body bytes into {@code b} from {@code off}; -1 once the body ended. Never
     * returns 0 for a positive {@code len}.
     *
     * @throws java.net.SocketTimeoutException when no byte came within the read limit ({@code sockRead})
     * @throws IOException                     when the connection broke or the framing is invalid
     */
    int read(byte[] b, int off, int len) throws IOException;

    /**
     * The length the response announced for the body, or -1 when it did not ({@code chunked}, up to the
     * close) or there is no body to read (HEAD, 204, 304: then the first {@link #read} returns -1).
     */
    long declaredLength();

    /**
     * The whole body, {@code declared} bytes, when every one of them has arrived already and none was read yet;
     * else null and nothing is consumed. The body has then ended (a read returns -1): {@link Body#readAll}
     * takes it in one copy, without zeroing an array first or reading past it to check its end.
     */
    byte[] takeWhole(int declared);

    /**
     * Gives the source back: with {@code reuse} and a body read to its end, the transport may use its
     * connection again; otherwise the connection is closed. {@code inRequestTask}: the caller is the task
     * that made the request, on the session's loop (a buffered body), so the transport need not check where
     * it runs; false: any thread (a streamed body's close). Idempotent.
     */
    void release(boolean reuse, boolean inRequestTask);
}
