package io.asyncio4j.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When and how often a {@link ClientSession} repeats a request (aiohttp-retry's {@code ExponentialRetry},
 * httpx's transport {@code retries} with backoff, curl's {@code --retry}): up to {@code attempts} tries in
 * all, on {@link ClientConnectionError}, on {@link ClientTimeoutError} of one attempt (its
 * {@code attemptTimeout}, the connect or the {@code sockRead} limit) and on the retryable statuses (by default
 * 408, 429, 500, 502, 503 and 504), for idempotent methods only (GET, HEAD, PUT, DELETE, OPTIONS, TRACE)
 * unless {@link #retryNonIdempotent(boolean) retryNonIdempotent(true)}.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * ClientSession session = ClientSession.builder()
 *         .retry(Retry.of(4).base(Duration.ofMillis(200)).max(Duration.ofSeconds(10))
 *                 .attemptTimeout(Duration.ofSeconds(5)))
 *         .build();
 * }</pre>
 *
 * <h2>Delays</h2>
 * Before retry {@code n} (1 for the second attempt) the session sleeps {@code min(max, base * 2^(n-1))},
 * less a random part of at most {@code jitter} of it (full jitter at 1.0, none at 0.0): {@code max} caps the
 * backoff. A retryable status with a {@code Retry-After} header (seconds, or an HTTP date:
 * {@link #parseRetryAfter}) sleeps what it asks instead, capped at {@code max} too. The sleeps are
 * {@link io.asyncio4j.Asyncio#sleep(Duration)} on the loop clock, hold no connection slot, and count against
 * the session's total timeout. After the last attempt its response (even a 503) is returned, or its error
 * raised with the earlier attempts' errors attached as suppressed exceptions.
 *
 * <h2>Attempt timeout</h2>
 * With {@code attemptTimeout(d)} each attempt gets {@code d} from the moment its request holds its
 * connection slots (waiting for the rate limiter or for a slot is not part of it) to its response: for
 * {@link ClientSession#request}, the whole body; for {@link ClientSession#requestStreaming}, the headers
 * (a {@code networkInterceptor} that reads the body, as {@code fetch} does, reads it within the attempt).
 * Redirect hops belong to their attempt. When it passes the attempt ends with a {@link ClientTimeoutError}
 * ("attempt timeout ... passed"), which is retried like a connection error. The session's
 * {@link ClientTimeout#total()} still bounds the whole call, retries and sleeps included.
 *
 * <h2>Thread-safety</h2>
 * Immutable; any thread.
 *
 * @param attempts           tries in all, at least 1 (1 = no retry)
 * @param base               the first delay; not negative
 * @param max                the largest delay (the cap on the backoff), also the cap on {@code Retry-After};
 *                           not below {@code base}
 * @param jitter             the fraction of each delay that is random, 0.0 to 1.0
 * @param retryNonIdempotent whether POST, PATCH and other non-idempotent methods are retried too
 * @param attemptTimeout     the time limit of each attempt (see above), or null for none
 * @param statuses           the response statuses that are retried
 */
public record Retry(int attempts, Duration base, Duration max, double jitter, boolean retryNonIdempotent,
                    Duration attemptTimeout, Set<Integer> statuses) {
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");

    /** The statuses retried by default: 408, 429, 500, 502, 503, 504 (curl's, urllib3's and aiohttp-retry's transient ones). */
    public static final Set<Integer> DEFAULT_STATUSES = Set.of(408, 429, 500, 502, 503, 504);

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
        if (attemptTimeout != null && (attemptTimeout.isNegative() || attemptTimeout.isZero())) {
            throw new IllegalArgumentException("attemptTimeout must be positive, got " + attemptTimeout);
        }
        statuses = Set.copyOf(Objects.requireNonNull(statuses, "statuses"));
        for (int s : statuses) {
            if (s < 100 || s > 999) {
                throw new IllegalArgumentException("statuses must be HTTP statuses (100 to 999), got " + s);
            }
        }
    }

    /**
     * {@code attempts} tries in all with base 0.5 s, max 30 s, jitter 0.5, idempotent methods only, no attempt
     * timeout, the {@link #DEFAULT_STATUSES}.
     */
    public static Retry of(int attempts) {
        return new Retry(attempts, Duration.ofMillis(500), Duration.ofSeconds(30), 0.5, false, null, DEFAULT_STATUSES);
    }

    /** This policy with the first delay {@code base}. */
    public Retry base(Duration base) {
        return new Retry(attempts, base, max, jitter, retryNonIdempotent, attemptTimeout, statuses);
    }

    /** This policy with the largest delay {@code max} (the cap on the backoff and on {@code Retry-After}). */
    public Retry max(Duration max) {
        return new Retry(attempts, base, max, jitter, retryNonIdempotent, attemptTimeout, statuses);
    }

    /** This policy with the random fraction {@code jitter} (0.0 to 1.0). */
    public Retry jitter(double jitter) {
        return new Retry(attempts, base, max, jitter, retryNonIdempotent, attemptTimeout, statuses);
    }

    /** This policy retrying non-idempotent methods too ({@code true}) or not. */
    public Retry retryNonIdempotent(boolean retryNonIdempotent) {
        return new Retry(attempts, base, max, jitter, retryNonIdempotent, attemptTimeout, statuses);
    }

    /** This policy with each attempt limited to {@code timeout} (null: no limit); see the class comment. */
    public Retry attemptTimeout(Duration timeout) {
        return new Retry(attempts, base, max, jitter, retryNonIdempotent, timeout, statuses);
    }

    /** This policy retrying the responses with one of {@code statuses} (empty: none, only errors are retried). */
    public Retry statuses(Set<Integer> statuses) {
        return new Retry(attempts, base, max, jitter, retryNonIdempotent, attemptTimeout, statuses);
    }

    /** Whether requests with {@code method} may be retried. */
    boolean allows(String method) {
        return retryNonIdempotent || IDEMPOTENT.contains(method.toUpperCase(Locale.ROOT));
    }

    /**
     * Whether a response with {@code status} is retried (one of {@link #statuses()}); public for a client that
     * runs its own retry loop with this policy, as {@code asyncio4j batch} does.
     */
    public boolean retriesStatus(int status) {
        return statuses.contains(status);
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

    /**
     * The delay before retry {@code n} (1-based): {@code base} doubled {@code n - 1} times, capped at
     * {@code max}, less a random part of up to {@code jitter} of it; for a client that runs its own retry loop.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Duration backoff(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Retry.backoff(n): n must be at least 1, got " + n);
        }
        return backoff(n, ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The delay a {@code Retry-After} value asks for, capped at {@code max}, or null when it is neither a
     * number of seconds nor an HTTP date. A date in the past asks for no delay.
     */
    Duration retryAfter(String value, long nowEpochMillis) {
        Duration d = parseRetryAfter(value, Instant.ofEpochMilli(nowEpochMillis)).orElse(null);
        return d == null ? null : d.compareTo(max) > 0 ? max : d;
    }

    /**
     * The wait a {@code Retry-After} header value asks for at {@code now} (RFC 9110 §10.2.3): a number of
     * seconds ({@code "120"}), or an HTTP date ({@code "Wed, 21 Oct 2015 07:28:00 GMT"}, also the obsolete
     * RFC 850 and asctime forms), a date in the past meaning no wait. Empty when the value is neither.
     * A number too large for a {@link Duration} is read as the longest one.
     */
    public static Optional<Duration> parseRetryAfter(String value, Instant now) {
        Objects.requireNonNull(now, "now");
        String v = Objects.requireNonNull(value, "value").strip();
        if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of(v.length() > 15 ? Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L)
                    : Duration.ofSeconds(Long.parseLong(v)));
        }
        // RFC 850's two-digit year is the one less than 50 years ahead of now (RFC 9110 §5.6.7)
        DateTimeFormatter rfc850 = new java.time.format.DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-")
                .appendValueReduced(java.time.temporal.ChronoField.YEAR, 2, 2,
                        now.atZone(ZoneOffset.UTC).getYear() - 50 + 1)
                .appendPattern(" HH:mm:ss zzz").toFormatter(Locale.US);
        for (DateTimeFormatter f : List.of(HTTP_DATES.get(0), rfc850, HTTP_DATES.get(1))) {
            try {
                Instant at = ZonedDateTime.parse(v, f).toInstant();
                return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
            } catch (DateTimeParseException e) {
                // the next form
            }
        }
        return Optional.empty();
    }

    // IMF-fixdate (and RFC 1123 in general) and the obsolete asctime form (RFC 9110 §5.6.7); RFC 850's is made per call
    private static final List<DateTimeFormatter> HTTP_DATES = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC));
}
