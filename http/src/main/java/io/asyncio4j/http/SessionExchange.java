package io.asyncio4j.http;

import io.asyncio4j.sync.Semaphore;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The last step of every {@link ClientSession} call ({@link CallChain} ends here): waits for a slot of the
 * session's total {@code limit}, then one of the request's host ({@code limitPerHost}), starts the attempt's
 * clock, sends through the {@link Transport} and reads the body through the one {@link Body} pipeline —
 * whole for a buffered response, as a stream for a streamed one. The slots are given back once the body was
 * read (buffered) or the response is closed (streamed).
 *
 * <h2>Cancellation</h2>
 * A task cancelled while it waits for a slot leaves the semaphore's queue (FIFO, so it loses its place); a
 * task cancelled during the exchange has it aborted and its connection closed. Either way the slots it holds
 * are given back before the {@code CancelledError} propagates.
 *
 * <h2>Thread-safety</h2>
 * Used by the tasks of the session's loop, which run one at a time: the host map has no lock.
 */
final class SessionExchange {
    /* Implementation overview
     *
     * The host semaphores live in a map with a count of the requests using each (holding or waiting for a
     * slot), removed at zero, so a session that talks to many hosts does not keep one per host forever.
     */

    // sends the requests
    private final Transport transport;
    // one slot per concurrent request
    private final Semaphore total;
    // concurrent requests per host allowed; 0 = no per-host cap
    private final int limitPerHost;
    // the body cap in bytes
    private final long maxBodySize;
    // the longest wait for body bytes, for messages; or null
    private final Duration sockRead;
    // decodes Response.json
    private final JsonCodec codec;
    // scheme://host:port -> its semaphore and how many requests use it; tasks of the session's loop only
    private final Map<String, HostSlot> hosts = new HashMap<>();
    // set by close(); read by the tasks (volatile)
    private volatile boolean closed;

    SessionExchange(Transport transport, int limit, int limitPerHost, long maxBodySize, Duration sockRead,
                    JsonCodec codec) {
        this.transport = transport;
        this.total = new Semaphore(limit);
        this.limitPerHost = limitPerHost;
        this.maxBodySize = maxBodySize;
        this.sockRead = sockRead;
        this.codec = codec;
    }

    /** The response to {@code req}, buffered or streamed as {@code call} says; see the class comment. */
    Response exchange(Request req, CallChain.Call call) {
        String key = req.origin();
        total.acquire();
        HostSlot host = null;
        boolean hostHeld = false;
        boolean handedOver = false;
        try {
            if (limitPerHost > 0) {
                host = hosts.get(key);
                if (host == null) { // not computeIfAbsent: its lambda would be one more object per request
                    host = new HostSlot(limitPerHost);
                    hosts.put(key, host);
                }
                host.users++;
                host.semaphore.acquire();
                hostHeld = true;
            }
            call.startAttemptClock();
            if (!call.streaming) {
                return send(req, call, false);
            }
            HostSlot h = host;
            Response r = send(req, call, true).onClose(() -> release(key, h, true));
            handedOver = true;
            return r;
        } finally {
            if (!handedOver) {
                release(key, host, hostHeld);
            }
        }
    }

    /** Gives back the total slot and, when {@code host} is not null, the use (and the slot if held) of the host. */
    private void release(String key, HostSlot host, boolean hostHeld) {
        if (host != null) {
            if (hostHeld) {
                host.semaphore.release();
            }
            if (--host.users == 0) {
                hosts.remove(key);
            }
        }
        total.release();
    }

    private Response send(Request req, CallChain.Call call, boolean streaming) {
        if (closed) {
            throw new IllegalStateException("ClientSession is closed");
        }
        long start = System.nanoTime();
        Transport.Reply r;
        try {
            r = transport.send(req);
        } catch (IOException | CompletionException | ClientError e) {
            throw translate(e, req);
        }
        call.resends += r.sends() - 1;
        Response response;
        if (streaming) {
            Body body = Body.stream(r.body(), r.contentEncoding(), maxBodySize, sockRead, req);
            response = new Response(r.status(), r.headers(), req.uri(), System.nanoTime() - start, body, codec);
        } else {
            byte[] body = Body.readAll(r.body(), r.contentEncoding(), maxBodySize, sockRead, req);
            response = new Response(r.status(), r.headers(), req.uri(), System.nanoTime() - start, body, codec);
        }
        return response.withAttempts(r.sends());
    }

    /** The {@link ClientError} a transport's failure means, naming the request. */
    private static RuntimeException translate(Throwable e, Request req) {
        String what = req.method() + " " + req.uri();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ClientError ce) {
                return ce;
            }
            if (t instanceof HttpTimeoutException) {
                return new ClientTimeoutError(t.getMessage() + ": " + what, t);
            }
            if (!(t instanceof CompletionException || t instanceof ExecutionException)) {
                if (t instanceof IOException) {
                    return new ClientConnectionError(t + ": " + what, t);
                }
                return t instanceof RuntimeException re ? re : new ClientConnectionError(t + ": " + what, t);
            }
        }
        return new ClientConnectionError(e + ": " + what, e);
    }

    /** Aborts the exchanges in flight and closes the connections; later exchanges raise. Idempotent; any thread. */
    void close() {
        closed = true;
        transport.close();
    }

    /** A host's semaphore and how many requests hold or wait for it. */
    private static final class HostSlot {
        final Semaphore semaphore;
        int users;

        HostSlot(int permits) {
            semaphore = new Semaphore(permits);
        }
    }
}
