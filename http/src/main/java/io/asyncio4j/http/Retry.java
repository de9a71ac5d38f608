package io.asyncio4j.http;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When and how often a {@link ClientSession} repeats a request (aiohttp-retry's {@code ExponentialRetry},
 * httpx's transport {@code retries} with backoff): up to {@code attempts} tries in all, on
 * {@link ClientConnectionError} and on the statuses 429 and 503, for idempotent methods only (GET, HEAD, PUT,
 * DELETE, OPTIONS, TRACE) unless {@link #retryNonIdempotent(boolean) retryNonIdempotent(true)}.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * ClientSession session = ClientSession.builder()
 *         .retry(Retry.of(4).base(Duration.ofMillis(200)).max(Duration.ofSeconds(10)))
 *         .build();
 * }</pre>
 *
 * <h2>Delays</h2>
 * Before retry {@code n} (1 for the second attempt) the session sleeps {@code min(max, base * 2^(n-1))},
 * less a random part of at most {@code jitter} of it (full jitter at 1.0, none at 0.0). A 429 or 503 with a
 * {@code Retry-After} header (seconds, or an HTTP date) sleeps what it asks instead, capped at {@code max}.
 * The sleeps are {@link io.asyncio4j.Asyncio#sleep(Duration)} on the loop clock and count against the
 * session's total timeout. After the last attempt its response (even a 503) is returned, or its error raised
 * with the earlier attempts' errors attached as suppressed exceptions.
 *
 * <h2>Thread-safety</h2>
 * Immutable; any thread.
 *
 * @param attempts           tries in all, at least 1 (1 = no retry)
 * @param base               the first delay; not negative
 * @param max                the largest delay, also the cap on {@code Retry-After}; not below {@code base}
 * @param jitter             the fraction of each delay that is random, 0.0 to 1.0
 * @param retryNonIdempotent whether POST, PATCH and other non-idempotent methods are retried too
 */
public record Retry(int attempts, Duration base, Duration max, double jitter, boolean retryNonIdempotent) {
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");

    /** Checks the values. */
    public Retry {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be >= 1, got " + attempts);
        }
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
        if (base.isNegative()) {
            throw new IllegalArgumentException("base must not be negative, got " + base);
        }
        if (max.compareTo(base) < 0) {
            throw new IllegalArgumentException("max must be >= base, got max " + max + " and base " + base);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be within 0.0 and 1.0, got " + jitter);
        }
    }

    /** {@code attempts} tries in all with base 0.5 s, max 30 s, jitter 0.5, idempotent methods only. */
    public static Retry of(int attempts) {
        return new Retry(attempts, Duration.ofMillis(500), Duration.ofSeconds(30), 0.5, false);
    }

    /** This policy with the first delay {@code base}. */
    public Retry base(Duration base) {
        return new Retry(attempts, base, max, jitter, retryNonIdempotent);
    }

    /** This policy with the largest delay {@code max}. */
    public Retry max(Duration max) {
        return new Retry(attempts, base, max, jitter, retryNonIdempotent);
    }

    /** This policy with the random fraction {@code jitter} (0.0 to 1.0). */
    public Retry jitter(double jitter) {
        return new Retry(attempts, base, max, jitter, retryNonIdempotent);
    }

    /** This policy retrying non-idempotent methods too ({@code true}) or not. */
    public Retry retryNonIdempotent(boolean retryNonIdempotent) {
        return new Retry(attempts, base, max, jitter, retryNonIdempotent);
    }

    /** Whether requests with {@code method} may be retried. */
    boolean allows(String method) {
        return retryNonIdempotent || IDEMPOTENT.contains(method.toUpperCase(Locale.ROOT));
    }

    /** Whether a response with {@code status} is retried. */
    static boolean retriesStatus(int status) {
        return status == 429 || status == 503;
    }

    /** The delay before retry {@code n} (1-based) with a random {@code r} in [0, 1). */
    Duration backoff(int n, double r) {
        long baseNanos = base.toNanos();
        long maxNanos = max.toNanos();
        long d = baseNanos;
        for (int i = 1; i < n && d < maxNanos; i++) {
            d = d > maxNanos / 2 ? maxNanos : d * 2;
        }
        d = Math.min(d, maxNanos);
        return Duration.ofNanos(d - (long) (d * jitter * r));
    }

    /** The delay before retry {@code n}, with a fresh random jitter. */
    Duration backoff(int n) {
        return backoff(n, ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The delay a {@code Retry-After} value asks for, capped at {@code max}, or null when it is neither a
     * number of seconds nor an HTTP date. A date in the past asks for no delay.
     */
    Duration retryAfter(String value, long nowEpochMillis) {
        String v = value.strip();
        Duration d;
        if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            d = v.length() > 12 ? max : Duration.ofSeconds(Long.parseLong(v));
        } else {
            try {
                long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                d = Duration.ofMillis(Math.max(0, at - nowEpochMillis));
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
