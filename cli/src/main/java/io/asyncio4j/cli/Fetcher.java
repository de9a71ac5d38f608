package io.asyncio4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Map;

import io.asyncio4j.Asyncio;
import io.asyncio4j.ContextVar;
import io.asyncio4j.Token;
import io.asyncio4j.cli.FetchResult.ErrorKind;
import io.asyncio4j.http.ClientConnectionError;
import io.asyncio4j.http.ClientError;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.ClientTimeout;
import io.asyncio4j.http.ClientTimeoutError;
import io.asyncio4j.http.Interceptor;
import io.asyncio4j.http.InvalidUrl;
import io.asyncio4j.http.Response;
import io.asyncio4j.http.Retry;
import io.asyncio4j.http.TooManyRedirects;
import io.asyncio4j.sync.RateLimiter;

/**
 * Fetches one URL for {@code fetch}, on the calling task, as a plain client of {@link ClientSession}: the
 * session does the limits, the rate, the retries and the attempt timeout; this class reads each body as it
 * comes and throws it away (counting its bytes), and turns the outcome into a {@link FetchResult}. Never
 * throws for a failed URL.
 *
 * <h2>The session</h2>
 * {@link #session} builds it from the options: {@code limit(--concurrency)}, {@code limitPerHost(--per-host)},
 * {@code rateLimit(--rate)}, and a {@link Retry} of {@code --retries + 1} attempts (any method: the user asked
 * for it) starting at {@code --retry-delay}, capped at 30 s, on the statuses 408, 429, 500, 502, 503, 504,
 * honouring {@code Retry-After}, each attempt limited to {@code --timeout}. So each attempt takes a token of
 * the rate, then its slots, and only then starts its timeout: a request queued behind others is not slow.
 * Redirect hops take a token each and belong to their attempt.
 *
 * <h2>The body inside the attempt</h2>
 * {@code --timeout} covers the whole body, and a body cut off is retried: so the body is read by a network
 * interceptor of the session ({@link #readBody}), inside the attempt, rather than after the session returned.
 * The interceptor finds the URL's {@link Progress} (byte count, status, attempt) in a context variable the
 * fetching task set, as asyncio code passes per-request state through {@code contextvars}.
 *
 * <h2>Cancellation</h2>
 * A cancel of the calling task (the run stopping) propagates as {@code CancelledError} from any wait:
 * the request, a body read, a backoff sleep.
 *
 * <p>Thread-safety: immutable; shared by the worker tasks of one loop.
 */
final class Fetcher {

    /** The longest backoff between attempts, and the cap on {@code Retry-After}. */
    static final Duration MAX_DELAY = Duration.ofSeconds(30);

    // the Progress of the URL the current task fetches; set by fetch(), read by readBody()
    private static final ContextVar<Progress> CURRENT = new ContextVar<>("asyncio4j fetch progress", null);

    private final ClientSession session;
    private final String method;
    private final Map<String, String> headers;
    private final byte[] body;
    private final Duration timeout;

    /** Fetches through {@code session}, which must come from {@link #session}. */
    Fetcher(ClientSession session, String method, Map<String, String> headers, byte[] body, Duration timeout) {
        this.session = session;
        this.method = method;
        this.headers = Map.copyOf(headers);
        this.body = body;
        this.timeout = timeout;
    }

    /**
     * The session for the options: see the class comment.
     *
     * @param perHost     0 for no per-host limit
     * @param ratePerSecond 0 for no rate limit
     */
    static ClientSession session(int concurrency, int perHost, double ratePerSecond, Duration timeout, int retries,
                                 Duration retryDelay) {
        Duration base = retryDelay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : retryDelay;
        ClientSession.Builder b = ClientSession.builder()
                .limit(concurrency)
                .limitPerHost(perHost)
                .timeout(ClientTimeout.NONE)
                .maxBodySize(Long.MAX_VALUE) // bodies are streamed to their destination: any size
                .retry(Retry.of(retries + 1).base(base).max(MAX_DELAY).jitter(0.5).retryNonIdempotent(true)
                        .attemptTimeout(timeout))
                .networkInterceptor(Fetcher::readBody);
        if (ratePerSecond > 0) {
            b.rateLimit(RateLimiter.perSecond(ratePerSecond));
        }
        return b.build();
    }

    /** What is known of the URL being fetched, as its attempts go; task-confined. */
    private static final class Progress {
        final byte[] buffer;
        // the attempt of the last request that went out, and the transport's resends so far
        int attempt = 1;
        int resends;
        // of the last response: its status and URL (null before one came), the body bytes read
        Integer status;
        String finalUrl;
        long bytes;

        Progress(byte[] buffer) {
            this.buffer = buffer;
        }
    }

    /** Fetches {@code url}; {@code buffer} is the caller's scratch space for bodies. */
    FetchResult fetch(String url, byte[] buffer) {
        long start = System.nanoTime();
        Progress p = new Progress(buffer);
        Token<Progress> token = CURRENT.set(p);
        ErrorKind kind = null;
        String message = null;
        int attempts = -1;
        try (Response r = session.requestStreaming(method, url, headers, body)) {
            attempts = r.attempts();
            if (r.status() >= 400) {
                kind = ErrorKind.HTTP_STATUS;
                message = String.valueOf(r.status());
            }
        } catch (ClientTimeoutError e) {
            kind = ErrorKind.TIMEOUT;
            message = "no complete response within " + FetchCommand.format(timeout)
                    + (p.status == null ? "" : " (status " + p.status + ", " + p.bytes + " bytes of the body read)");
        } catch (InvalidUrl e) {
            kind = ErrorKind.INVALID_URL;
            message = e.getMessage();
        } catch (TooManyRedirects e) {
            kind = ErrorKind.TOO_MANY_REDIRECTS;
            message = e.getMessage();
        } catch (ClientConnectionError e) {
            kind = ErrorKind.CONNECTION;
            message = connectionProblem(e);
        } catch (ClientError | IllegalArgumentException e) {
            kind = ErrorKind.OTHER;
            message = e.getMessage();
        } finally {
            CURRENT.reset(token);
        }
        if (attempts < 0) { // failed: the attempts that went out, and the transport's resends
            attempts = p.attempt + p.resends;
        }
        return new FetchResult(url, p.finalUrl, p.status, p.bytes, System.nanoTime() - start, attempts, kind, message);
    }

    /**
     * The session's network interceptor: records each response of the fetching task's URL and reads its body
     * to the end (a redirect's is left to the session, which closes it), within the attempt.
     */
    private static Response readBody(Interceptor.Chain chain) {
        Progress p = CURRENT.get();
        if (p == null) {
            return chain.proceed(chain.request()); // not a fetch of this class (no such caller today)
        }
        p.attempt = chain.attempt();
        p.status = null;
        p.finalUrl = null;
        p.bytes = 0;
        Response r = chain.proceed(chain.request());
        p.resends += r.attempts() - 1;
        p.status = r.status();
        p.finalUrl = r.url().toString();
        if (r.status() / 100 == 3 && r.headers().firstValue("Location").isPresent()) {
            return r;
        }
        try {
            InputStream in = r.stream();
            for (int k; (k = in.read(p.buffer)) >= 0; ) {
                p.bytes += k;
            }
            return r;
        } catch (InterruptedIOException e) {
            // The attempt timeout (or the run stopping) cancelled this task while it waited for the next part of
            // the body: the cancel interrupted the JDK wait. A wait of the loop's own delivers it as the
            // CancelledError the timeout scope turns into a timeout.
            r.close();
            Asyncio.sleep(Duration.ZERO);
            throw new ClientConnectionError("reading the body was interrupted: " + chain.request().uri(), e);
        } catch (IOException e) {
            r.close();
            throw new ClientConnectionError("reading the body failed: " + e, e);
        }
    }

    /**
     * The JDK's reasons are terse ({@code ConnectException} with no message, caused by a
     * {@code ClosedChannelException}): "unknown host", "cannot connect", else the innermost cause with a
     * message, as {@code IOException: Connection reset}.
     */
    static String connectionProblem(ClientConnectionError e) {
        String detail = null;
        boolean connect = false;
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
            connect |= t instanceof java.net.ConnectException;
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                detail = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        if (connect) {
            return detail == null ? "cannot connect" : "cannot connect (" + detail + ")";
        }
        return detail != null ? detail : e.getMessage();
    }
}
