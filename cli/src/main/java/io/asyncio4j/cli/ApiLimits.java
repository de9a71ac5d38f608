package io.asyncio4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.asyncio4j.Asyncio;

/**
 * The requests-per-minute and tokens-per-minute limits of {@code serve}'s OpenAI-compatible endpoints, the
 * way OpenAI describes its own: each limit is a bucket that holds a minute's worth ({@code --rpm} requests,
 * {@code --tpm} tokens), starts full and refills continuously, {@code rpm / 60} requests and
 * {@code tpm / 60} tokens a second. A request takes one request and its tokens (the prompt's words plus its
 * {@code max_tokens}); when either bucket lacks them it is answered 429 with {@code Retry-After} (whole
 * seconds until it would fit) and takes nothing.
 *
 * <p>Every answer of these endpoints carries OpenAI's headers: {@code x-ratelimit-limit-requests},
 * {@code x-ratelimit-remaining-requests}, {@code x-ratelimit-reset-requests} (the time until the bucket is
 * full again, as {@code 1.5s}), and the same three for {@code -tokens}; a limit that is off sends none.
 *
 * <p>For tests, {@link #recordArrivals()} keeps the loop time of every admitted request.
 *
 * <p>Thread-safety: none; used by the connection tasks of one server, which run on its loop one at a time.
 */
final class ApiLimits {

    private final int rpm;
    private final int tpm;
    // the buckets' sizes: a minute's worth of each limit, or less (see the constructor)
    private final double maxRequests;
    private final double maxTokens;
    // the buckets' contents and when they were last brought up to date (loop seconds); loop thread only
    private double requests;
    private double tokens;
    private double updated = Double.NaN;
    // the admitted requests' loop times when recording; loop thread only
    private List<Double> arrivals;

    /** Limits of {@code rpm} requests and {@code tpm} tokens a minute; 0 turns a limit off. */
    ApiLimits(int rpm, int tpm) {
        this(rpm, tpm, 60);
    }

    /**
     * Limits whose buckets hold {@code windowSeconds} worth of each limit instead of a minute's (at least one request
     * and one token): tests use a short window to get 429s quickly.
     */
    ApiLimits(int rpm, int tpm, double windowSeconds) {
        this.rpm = rpm;
        this.tpm = tpm;
        this.maxRequests = Math.max(1, rpm * windowSeconds / 60);
        this.maxTokens = Math.max(1, tpm * windowSeconds / 60);
        this.requests = maxRequests;
        this.tokens = maxTokens;
    }

    /** Keeps the loop time of each admitted request from now on, for {@link #arrivals()}. */
    void recordArrivals() {
        arrivals = new ArrayList<>();
    }

    /** The loop times of the admitted requests since {@link #recordArrivals()}; a copy. */
    List<Double> arrivals() {
        return arrivals == null ? List.of() : List.copyOf(arrivals);
    }

    /**
     * Admits a request of {@code cost} tokens, or says why not: null when admitted (its request and tokens are
     * taken), else the 429 answer.
     */
    Reply admit(int cost) {
        refill();
        double waitRequests = rpm > 0 && requests < 1 ? (1 - requests) * 60.0 / rpm : 0;
        double waitTokens = tpm > 0 && tokens < cost ? (cost - tokens) * 60.0 / tpm : 0;
        if (tpm > 0 && cost > maxTokens) {
            return headers(ApiEndpoints.error(429, "Request too large: " + cost + " tokens, the limit is " + tpm
                    + " tokens per minute", "rate_limit_exceeded"));
        }
        if (waitRequests > 0 || waitTokens > 0) {
            String which = waitRequests >= waitTokens ? "requests" : "tokens";
            long seconds = (long) Math.ceil(Math.max(waitRequests, waitTokens));
            return headers(ApiEndpoints.error(429, "Rate limit reached for " + which + " per minute; try again in "
                    + seconds + "s", "rate_limit_exceeded")).withHeader("Retry-After", Long.toString(seconds));
        }
        if (rpm > 0) {
            requests -= 1;
        }
        if (tpm > 0) {
            tokens -= cost;
        }
        if (arrivals != null) {
            arrivals.add(Asyncio.getRunningLoop().time());
        }
        return null;
    }

    /** {@code reply} with the x-ratelimit-* headers of the limits that are on, as of now. */
    Reply headers(Reply reply) {
        refill();
        Reply r = reply;
        if (rpm > 0) {
            r = r.withHeader("x-ratelimit-limit-requests", Integer.toString(rpm))
                    .withHeader("x-ratelimit-remaining-requests", Long.toString((long) Math.floor(requests)))
                    .withHeader("x-ratelimit-reset-requests", seconds((maxRequests - requests) * 60.0 / rpm));
        }
        if (tpm > 0) {
            r = r.withHeader("x-ratelimit-limit-tokens", Integer.toString(tpm))
                    .withHeader("x-ratelimit-remaining-tokens", Long.toString((long) Math.floor(Math.max(0, tokens))))
                    .withHeader("x-ratelimit-reset-tokens", seconds((maxTokens - tokens) * 60.0 / tpm));
        }
        return r;
    }

    private void refill() {
        double now = Asyncio.getRunningLoop().time();
        if (!Double.isNaN(updated)) {
            double elapsed = now - updated;
            requests = Math.min(maxRequests, requests + elapsed * rpm / 60.0);
            tokens = Math.min(maxTokens, tokens + elapsed * tpm / 60.0);
        }
        updated = now;
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3fs", Math.max(0, s));
    }
}
