package io.asyncio4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.asyncio4j.Asyncio;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.cli.FetchResult.ErrorKind;
import io.asyncio4j.http.ClientConnectionError;
import io.asyncio4j.http.ClientError;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.InvalidUrl;
import io.asyncio4j.http.Response;
import io.asyncio4j.http.TooManyRedirects;
import io.asyncio4j.sync.RateLimiter;

/**
 * Fetches one URL for {@code fetch}, on the calling task: sends the request through the shared
 * {@link ClientSession}, reads the body as it comes and throws it away (counting its bytes), and retries a
 * transient failure. Never throws for a failed URL: every outcome is a {@link FetchResult}.
 *
 * <h2>Timeout and retries</h2>
 * Each attempt, from sending the request to the last byte of the body, runs under
 * {@code Asyncio.timeout(timeout)}. As curl's {@code --retry}, an attempt that timed out, failed to connect
 * or broke off, or got status 408, 429, 500, 502, 503 or 504, is repeated (any method: the user asked for
 * it) after {@code min(30 s, delay · 2^(n-1))} less a random half of it (n = 1 before the second attempt), or
 * after what a 429's or 503's {@code Retry-After} asks, capped at 30 s. The waits are {@link Asyncio#sleep}
 * on the loop clock and hold no connection slot.
 *
 * <h2>Rate and per-host limits</h2>
 * Each attempt first takes a token of the {@code --rate} limiter, then a {@code --per-host} slot of its URL's
 * origin ({@link HostLimits}), and only then starts its timeout: a request queued behind others is not slow.
 * Redirect hops take no token; the session's own per-host limit covers the hosts they lead to.
 *
 * <p>The session's own {@code Retry} is not used: it shares one total timeout between all attempts, so a
 * timed-out request could not be tried again, and it retries only 429 and 503 of idempotent methods.
 *
 * <h2>Cancellation</h2>
 * A cancel of the calling task (the run stopping) propagates as {@code CancelledError} from any wait:
 * the request, a body read, a backoff sleep.
 *
 * <p>Thread-safety: immutable; shared by the worker tasks of one loop.
 */
final class Fetcher {

    private static final Set<Integer> TRANSIENT = Set.of(408, 429, 500, 502, 503, 504);
    private static final Duration MAX_DELAY = Duration.ofSeconds(30);

    private final ClientSession session;
    private final String method;
    private final Map<String, String> headers;
    private final byte[] body;
    private final Duration timeout;
    private final int attempts;
    private final Duration retryDelay;
    private final RateLimiter rate;
    private final HostLimits hosts;

    /**
     * @param rate  one token per attempt, or null for no --rate
     * @param hosts the --per-host slots, or null for no limit
     */
    Fetcher(ClientSession session, String method, Map<String, String> headers, byte[] body, Duration timeout,
            int retries, Duration retryDelay, RateLimiter rate, HostLimits hosts) {
        this.session = session;
        this.rate = rate;
        this.hosts = hosts;
        this.method = method;
        this.headers = Map.copyOf(headers);
        this.body = body;
        this.timeout = timeout;
        this.attempts = retries + 1;
        this.retryDelay = retryDelay;
    }

    /** What one attempt found out; filled in as it goes. */
    private static final class Attempt {
        String finalUrl;
        Integer status;
        long bytes;
        String retryAfter;
        ErrorKind kind;
        String message;

        boolean isTransient() {
            return kind == ErrorKind.TIMEOUT || kind == ErrorKind.CONNECTION
                    || (kind == ErrorKind.HTTP_STATUS && TRANSIENT.contains(status));
        }
    }

    /** Fetches {@code url}, retrying as configured; {@code buffer} is the caller's scratch space for bodies. */
    FetchResult fetch(String url, byte[] buffer) {
        long start = System.nanoTime();
        Attempt a;
        int n = 0;
        while (true) {
            n++;
            a = attempt(url, buffer);
            if (n >= attempts || !a.isTransient()) {
                break;
            }
            Asyncio.sleep(delay(n, a));
        }
        return new FetchResult(url, a.finalUrl, a.status, a.bytes, System.nanoTime() - start, n, a.kind, a.message);
    }

    private Attempt attempt(String url, byte[] buffer) {
        Attempt a = new Attempt();
        // the waits for a token and a host slot come before the timeout starts: queueing is not slowness
        if (rate != null) {
            rate.acquire();
        }
        HostLimits.Slot slot = hosts == null ? null : hosts.acquire(url);
        try {
            Asyncio.timeout(timeout, () -> exchange(url, buffer, a));
        } catch (TimeoutError e) {
            a.kind = ErrorKind.TIMEOUT;
            a.message = "no complete response within " + FetchCommand.format(timeout)
                    + (a.status == null ? "" : " (status " + a.status + ", " + a.bytes + " bytes of the body read)");
        } catch (InvalidUrl e) {
            a.kind = ErrorKind.INVALID_URL;
            a.message = e.getMessage();
        } catch (TooManyRedirects e) {
            a.kind = ErrorKind.TOO_MANY_REDIRECTS;
            a.message = e.getMessage();
        } catch (ClientConnectionError e) {
            a.kind = ErrorKind.CONNECTION;
            a.message = connectionProblem(e);
        } catch (ClientError | IllegalArgumentException e) {
            a.kind = ErrorKind.OTHER;
            a.message = e.getMessage();
        } finally {
            if (slot != null) {
                slot.release();
            }
        }
        return a;
    }

    private void exchange(String url, byte[] buffer, Attempt a) {
        try (Response r = session.requestStreaming(method, url, headers, body)) {
            a.status = r.status();
            a.finalUrl = r.url().toString();
            a.retryAfter = r.headers().firstValue("Retry-After").orElse(null);
            InputStream in = r.stream();
            for (int k; (k = in.read(buffer)) >= 0; ) {
                a.bytes += k;
            }
        } catch (InterruptedIOException e) {
            // Our timeout (or the run stopping) cancelled this task while it waited for the next part of the
            // body: the cancel interrupted the JDK wait. A wait of the loop's own delivers it as the
            // CancelledError the timeout scope turns into TimeoutError.
            Asyncio.sleep(Duration.ZERO);
            throw new ClientConnectionError("reading the body was interrupted: " + url, e);
        } catch (IOException e) {
            throw new ClientConnectionError("reading the body failed: " + e, e);
        }
        if (a.status >= 400) {
            a.kind = ErrorKind.HTTP_STATUS;
            a.message = String.valueOf(a.status);
        }
    }

    /** The wait before retry {@code n} (1 before the second attempt). */
    private Duration delay(int n, Attempt a) {
        if (a.retryAfter != null && (a.status == 429 || a.status == 503)) {
            Duration asked = retryAfter(a.retryAfter, System.currentTimeMillis());
            if (asked != null) {
                return asked.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : asked;
            }
        }
        long nanos = retryDelay.toNanos();
        for (int i = 1; i < n && nanos < MAX_DELAY.toNanos(); i++) {
            nanos *= 2;
        }
        nanos = Math.min(nanos, MAX_DELAY.toNanos());
        return Duration.ofNanos(nanos - (long) (nanos * 0.5 * ThreadLocalRandom.current().nextDouble()));
    }

    /** A {@code Retry-After} value (seconds, or an HTTP date) as a wait, or null when it is neither. */
    static Duration retryAfter(String value, long nowMillis) {
        String v = value.strip();
        if (v.matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        try {
            long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return Duration.ofMillis(Math.max(0, at - nowMillis));
        } catch (DateTimeParseException e) {
            return null;
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
