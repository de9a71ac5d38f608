package io.asyncio4j.cli;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.asyncio4j.cli.FetchResult.ErrorKind;

/**
 * The running totals of a {@code fetch}: how many URLs succeeded and failed, how many got each status and
 * each kind of error, and their latencies in a {@link LatencyHistogram}. Its size does not grow with the
 * number of URLs (at most one counter per status code and per error kind). At the end it prints itself:
 * <pre>
 * fetched 1000 URLs in 1.23 s (812.7 requests/s): 998 ok, 2 failed
 *   status:  200: 996, 503: 2
 *   errors:  http_status: 2
 *   latency: p50 1003.4 ms, p95 1012.0 ms, max 1019.9 ms
 * </pre>
 * Latency is each URL's {@code elapsed_ms}, failed ones included.
 *
 * <p>Thread-safety: none; the tasks of one event loop update it, one at a time.
 */
final class FetchSummary {

    // all fields: written by add() on the loop thread; read there by the progress bar and lines()
    private long ok;
    private long failed;
    private long noResponse;
    private final Map<Integer, Long> byStatus = new TreeMap<>();
    private final Map<ErrorKind, Long> byError = new EnumMap<>(ErrorKind.class);
    private final LatencyHistogram latency = new LatencyHistogram();

    /** Counts one result. */
    void add(FetchResult r) {
        if (r.ok()) {
            ok++;
        } else {
            failed++;
            byError.merge(r.kind(), 1L, Long::sum);
        }
        if (r.status() == null) {
            noResponse++;
        } else {
            byStatus.merge(r.status(), 1L, Long::sum);
        }
        latency.record(r.elapsedNanos() / 1000);
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

    /** The summary's lines, for a run that took {@code wallNanos}. */
    List<String> lines(long wallNanos) {
        List<String> lines = new ArrayList<>();
        double seconds = wallNanos / 1e9;
        double rate = seconds > 0 ? done() / seconds : 0;
        lines.add(String.format(Locale.ROOT, "fetched %d URL%s in %.2f s (%.1f requests/s): %d ok, %d failed",
                done(), done() == 1 ? "" : "s", seconds, rate, ok, failed));
        List<String> statuses = new ArrayList<>();
        byStatus.forEach((status, n) -> statuses.add(status + ": " + n));
        if (noResponse > 0) {
            statuses.add("no response: " + noResponse);
        }
        lines.add("  status:  " + (statuses.isEmpty() ? "none" : String.join(", ", statuses)));
        List<String> errors = new ArrayList<>();
        byError.forEach((kind, n) -> errors.add(kind.label() + ": " + n));
        lines.add("  errors:  " + (errors.isEmpty() ? "none" : String.join(", ", errors)));
        lines.add("  latency: " + latency.describe());
        return lines;
    }
}
