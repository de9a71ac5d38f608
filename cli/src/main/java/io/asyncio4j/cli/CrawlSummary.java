package io.asyncio4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The totals of a {@code crawl}: the pages fetched, counted as {@code fetch} counts its URLs (by status, by
 * error kind, latency percentiles: a {@link FetchSummary}), plus what only a crawler has: the bytes of the
 * bodies, the links it did not follow and why, and the sitemaps it read. At the end it prints itself:
 * <pre>
 * fetched 1203 URLs in 4.21 s (285.7 requests/s): 1080 ok, 123 failed
 *   status:  200: 1080, 301: 20, 404: 103
 *   errors:  http_status: 123
 *   latency: p50 1.2 ms, p95 3.4 ms, max 20.1 ms
 *   bytes:   1.9 MiB
 *   skipped: robots-excluded 40, off-scope 210, too deep 96, duplicates 5123
 *   sitemaps: 2 read (1001 URLs), 0 failed
 * </pre>
 * The first four lines are this run's; robots-excluded and off-scope count distinct URLs of the whole crawl
 * (resumed runs included, from the state file); too deep and duplicates count the links this run met. A
 * sitemap its host's robots.txt disallows is not read, and the sitemaps line ends with how many were not
 * ({@code , 1 robots-excluded}).
 *
 * <p>Thread-safety: none; the tasks of one loop update it, one at a time.
 */
final class CrawlSummary {

    // every field: written by the run's tasks on the loop thread; read there, and by the command after the run
    final FetchSummary fetches = new FetchSummary();
    private long bytes;
    long robotsExcluded;
    long offScope;
    long tooDeep;
    long duplicates;
    long sitemapsRead;
    long sitemapsFailed;
    long sitemapsExcluded;
    long sitemapUrls;

    /** Counts one fetched page. */
    void add(CrawlPage page) {
        fetches.add(page.fetch());
        bytes += page.fetch().bytes();
    }

    long failed() {
        return fetches.failed();
    }

    long done() {
        return fetches.done();
    }

    /** The summary's lines, for a run that took {@code wallNanos}. */
    List<String> lines(long wallNanos) {
        List<String> lines = new ArrayList<>(fetches.lines(wallNanos));
        lines.add("  bytes:   " + size(bytes));
        lines.add("  skipped: robots-excluded " + robotsExcluded + ", off-scope " + offScope + ", too deep " + tooDeep
                + ", duplicates " + duplicates);
        lines.add("  sitemaps: " + sitemapsRead + " read (" + sitemapUrls + " URLs), " + sitemapsFailed + " failed"
                + (sitemapsExcluded > 0 ? ", " + sitemapsExcluded + " robots-excluded" : ""));
        return lines;
    }

    /** "512 B", "1.9 MiB". */
    static String size(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
