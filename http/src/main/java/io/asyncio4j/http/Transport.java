package io.asyncio4j.http;

import java.io.IOException;

/**
 * What {@link ClientSession} needs from an HTTP implementation: send one request and return once the answer's
 * head arrived, its body left to read as a {@link BodySource} (which {@link Body} reads, caps and decodes
 * whatever the transport). Called by the requesting task, which it parks (never the loop) until the head is
 * there. The implementation is {@link SocketTransport} (HTTP/1.1 driven by the task itself, plain http on the
 * loop's selector, a loop-confined pool of keep-alive connections); the tests add one in memory.
 *
 * <p>Failures: {@link java.net.http.HttpTimeoutException} (a connect or {@code sockRead} limit passed),
 * another {@link IOException} (the connection failed or the answer is not valid HTTP), or
 * {@link io.asyncio4j.CancelledError} when the task is cancelled meanwhile, in which case the exchange is
 * aborted and its connection closed. {@link #close()} may be called from any thread; {@link #send} by tasks
 * of the session's loop only.
 */
interface Transport extends AutoCloseable {
    /**
     * An answer's head and its body still to read: the status, the headers, the {@code Content-Encoding} (or
     * null), the body's raw bytes; and how often the request was sent for it: 2 when the transport sent it
     * again on a fresh connection after a stale pooled one failed, else 1.
     */
    record Reply(int status, ResponseHeaders headers, String contentEncoding, BodySource body, int sends) {
    }

    /**
     * Sends {@code request} and returns once the head of the final answer arrived (interim 1xx skipped); the
     * caller must read the body to its end or release it.
     */
    Reply send(Request request) throws IOException;

    /** Aborts every exchange in flight and closes every connection. Idempotent; any thread. */
    @Override
    void close();
}
