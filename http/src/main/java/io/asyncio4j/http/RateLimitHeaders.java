package io.asyncio4j.http;

import java.math.BigDecimal;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a response says about the server's rate limit, read from its headers: how many requests (or tokens)
 * are left, when the limit resets, and how long to wait before the next request. For jobs that pace
 * themselves, such as a batch of LLM API calls.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Response r = session.postJson(url, body);
 * RateLimitHeaders limit = RateLimitHeaders.of(r);
 * limit.suggestedWait().ifPresent(Asyncio::sleep);   // Retry-After, or the reset when nothing is left
 * }</pre>
 *
 * <h2>Headers read</h2>
 * <ul>
 * <li>{@code x-ratelimit-remaining} and every {@code x-ratelimit-remaining-*} (OpenAI's {@code -requests} and
 *     {@code -tokens}, GitHub's plain one): {@link #remaining()} is the smallest, a whole number.</li>
 * <li>{@code x-ratelimit-reset-*}, a duration as OpenAI writes it ({@code 20ms}, {@code 1s}, {@code 6m0s},
 *     {@code 1h2m3.5s}) or a number of seconds; and {@code x-ratelimit-reset}, seconds, or (GitHub) a Unix time
 *     when the number is above 10^9: {@link #reset()} is the longest wait.</li>
 * <li>{@code Retry-After}: seconds or an HTTP date, as {@link Retry#parseRetryAfter}.</li>
 * </ul>
 * A header that does not parse is ignored.
 *
 * <h2>Thread-safety</h2>
 * Immutable; any thread.
 *
 * @param remaining  the fewest requests or tokens left of any limit, or empty when no header says
 * @param reset      how long until the last of the limits resets, or empty when no header says
 * @param retryAfter the wait {@code Retry-After} asks for, or empty when there is none
 */
public record RateLimitHeaders(OptionalLong remaining, Optional<Duration> reset, Optional<Duration> retryAfter) {
    private static final Pattern UNIT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");
    private static final long UNIX_TIME_ABOVE = 1_000_000_000L;

    /** Checks the values are there (empty, not null). */
    public RateLimitHeaders {
        Objects.requireNonNull(remaining, "remaining");
        Objects.requireNonNull(reset, "reset");
        Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** The rate-limit headers of {@code response}, read now. */
    public static RateLimitHeaders of(Response response) {
        return of(response.headers(), Instant.now());
    }

    /** The rate-limit headers of {@code headers}, with HTTP dates and Unix times taken relative to {@code now}. */
    public static RateLimitHeaders of(HttpHeaders headers, Instant now) {
        OptionalLong remaining = OptionalLong.empty();
        Duration reset = null;
        for (Map.Entry<String, List<String>> e : headers.map().entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            String value = e.getValue().isEmpty() ? "" : e.getValue().getFirst().strip();
            if (name.equals("x-ratelimit-remaining") || name.startsWith("x-ratelimit-remaining-")) {
                OptionalLong n = count(value);
                if (n.isPresent() && (remaining.isEmpty() || n.getAsLong() < remaining.getAsLong())) {
                    remaining = n;
                }
            } else if (name.equals("x-ratelimit-reset") || name.startsWith("x-ratelimit-reset-")) {
                Duration d = duration(value, name.equals("x-ratelimit-reset"), now);
                if (d != null && (reset == null || d.compareTo(reset) > 0)) {
                    reset = d;
                }
            }
        }
        Optional<Duration> retryAfter = headers.firstValue("Retry-After").flatMap(v -> Retry.parseRetryAfter(v, now));
        return new RateLimitHeaders(remaining, Optional.ofNullable(reset), retryAfter);
    }

    /**
     * How long to wait before the next request: what {@code Retry-After} asks, else, when nothing is left
     * ({@link #remaining()} is 0), the time until the reset; else empty (go on).
     */
    public Optional<Duration> suggestedWait() {
        if (retryAfter.isPresent()) {
            return retryAfter;
        }
        return remaining.isPresent() && remaining.getAsLong() <= 0 ? reset : Optional.empty();
    }

    private static OptionalLong count(String value) {
        try {
            return OptionalLong.of(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** A reset value as a wait: "1m30s", "20ms", seconds, or (plain x-ratelimit-reset) a Unix time; null if none. */
    private static Duration duration(String value, boolean unixTimeAllowed, Instant now) {
        if (value.matches("\\d+(\\.\\d+)?")) {
            BigDecimal seconds = new BigDecimal(value);
            if (unixTimeAllowed && seconds.compareTo(BigDecimal.valueOf(UNIX_TIME_ABOVE)) > 0) {
                Instant at = Instant.ofEpochSecond(seconds.longValue());
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            }
            return nanos(seconds.movePointRight(9));
        }
        Matcher m = UNIT.matcher(value);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (m.find() && m.start() == at) {
            BigDecimal n = new BigDecimal(m.group(1));
            nanos = nanos.add(switch (m.group(2)) {
                case "ms" -> n.movePointRight(6);
                case "s" -> n.movePointRight(9);
                case "m" -> n.multiply(BigDecimal.valueOf(60_000_000_000L));
                default -> n.multiply(BigDecimal.valueOf(3_600_000_000_000L));
            });
            at = m.end();
        }
        return at == 0 || at != value.length() ? null : nanos(nanos);
    }

    private static Duration nanos(BigDecimal nanos) {
        return nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0 ? Duration.ofNanos(Long.MAX_VALUE)
                : Duration.ofNanos(nanos.longValue());
    }
}
