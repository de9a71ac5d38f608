package io.asyncio4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;

/**
 * The running totals of a {@code batch}: successes and failures, counts by status and by error code, tokens
 * in and out (from each answer's {@code usage}), retries, and latencies in a {@link LatencyHistogram}. Its
 * size does not grow with the number of requests. At the end it prints itself:
 * <pre>
 * batch: 1000 requests in 12.34 s (4862.3 requests/min): 998 ok, 2 failed, 31 retries
 *   status:  200: 998, 400: 2
 *   errors:  http_400: 2
 *   tokens:  in 12034, out 8812 (101234.5 tokens/min)
 *   latency: p50 203.4 ms, p95 1012.0 ms, max 3019.9 ms
 * </pre>
 * Latency is each request's {@code elapsed_ms}: all its attempts and waits.
 *
 * <p>Thread-safety: none; the tasks of one event loop update it, one at a time.
 */
final class BatchSummary {

    /**
     * What one request came to.
     *
     * @param status    the status of the last answer, or 0 when none came
     * @param requestId the answer's x-request-id, or null
     * @param body      the answer's body (success), or null
     * @param usage     its usage object, or null
     * @param code      the error code of a failure (invalid_request, too_many_tokens, http_NNN, timeout,
     *                  connection, other), or null
     */
    record Result(boolean ok, int attempts, long elapsedNanos, int status, String requestId, JsonNode body,
                  JsonNode usage, String code, String message) {

        static Result ok(int attempts, long startNanos, int status, String requestId, JsonNode body, JsonNode usage) {
            return new Result(true, attempts, System.nanoTime() - startNanos, status, requestId, body, usage, null, null);
        }

        static Result failed(int attempts, long startNanos, String code, String message) {
            int status = code.startsWith("http_") ? Integer.parseInt(code.substring(5)) : 0;
            return new Result(false, attempts, System.nanoTime() - startNanos, status, null, null, null, code, message);
        }
    }

    // all fields: written on the loop thread by add() and retried(); read there by the ticker and lines()
    private long ok;
    private long failed;
    private long retries;
    private long tokensIn;
    private long tokensOut;
    private final Map<Integer, Long> byStatus = new TreeMap<>();
    private final Map<String, Long> byError = new TreeMap<>();
    private final LatencyHistogram latency = new LatencyHistogram();

    /** Counts one result. */
    void add(Result r) {
        if (r.ok()) {
            ok++;
        } else {
            failed++;
            byError.merge(r.code(), 1L, Long::sum);
        }
        if (r.status() > 0) {
            byStatus.merge(r.status(), 1L, Long::sum);
        }
        if (r.usage() != null) {
            tokensIn += r.usage().path("prompt_tokens").asLong(0);
            tokensOut += r.usage().path("completion_tokens").asLong(0);
        }
        latency.record(r.elapsedNanos() / 1000);
    }

    /** Counts one retry (an attempt after the first). */
    void retried() {
        retries++;
    }

    long ok() {
        return ok;
    }

    long failed() {
        return failed;
    }

    long done() {
        return ok + failed;
    }

    /** What the progress line adds to fetch's: requests/min, tokens/min, retries. */
    String progressExtra(long nanos) {
        double minutes = nanos / 60e9;
        return minutes <= 0 ? "retries " + retries : String.format(Locale.ROOT, "%.0f req/min  %.0f tok/min  retries %d",
                done() / minutes, (tokensIn + tokensOut) / minutes, retries);
    }

    /** The summary's lines, for a run that took {@code wallNanos}. */
    List<String> lines(long wallNanos) {
        List<String> lines = new ArrayList<>();
        double seconds = wallNanos / 1e9;
        double perMinute = seconds > 0 ? done() * 60 / seconds : 0;
        lines.add(String.format(Locale.ROOT, "batch: %d request%s in %.2f s (%.1f requests/min): %d ok, %d failed,"
                + " %d retries", done(), done() == 1 ? "" : "s", seconds, perMinute, ok, failed, retries));
        List<String> statuses = new ArrayList<>();
        byStatus.forEach((status, n) -> statuses.add(status + ": " + n));
        lines.add("  status:  " + (statuses.isEmpty() ? "none" : String.join(", ", statuses)));
        List<String> errors = new ArrayList<>();
        byError.forEach((code, n) -> errors.add(code + ": " + n));
        lines.add("  errors:  " + (errors.isEmpty() ? "none" : String.join(", ", errors)));
        lines.add(String.format(Locale.ROOT, "  tokens:  in %d, out %d (%.1f tokens/min)", tokensIn, tokensOut,
                seconds > 0 ? (tokensIn + tokensOut) * 60 / seconds : 0));
        lines.add("  latency: " + latency.describe());
        return lines;
    }
}
