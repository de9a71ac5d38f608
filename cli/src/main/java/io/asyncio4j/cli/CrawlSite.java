package io.asyncio4j.cli;

import java.time.Duration;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The generated site {@code serve --site N} offers to crawlers: a deterministic graph of N pages with
 * everything a polite crawler must cope with, so that {@code crawl} can be tested and demonstrated
 * against a site whose exact page set is known.
 *
 * <h2>The site</h2>
 * <ul>
 *   <li>{@code /robots.txt}: {@code Disallow: /site/private/}, a {@code Crawl-delay} (set with
 *       {@code --site-crawl-delay}) and a {@code Sitemap:} line naming the sitemap index;
 *   <li>{@code /sitemap-index.xml}: a sitemap index of the sitemaps {@code /site/sitemap-1.xml},
 *       {@code /site/sitemap-2.xml}, ..., which list every page and then {@code /site/orphan}, a page no
 *       other page links to, at most 50,000 URLs each (the sitemap protocol's limit: a site of 1,000,000
 *       pages has 21 sitemaps of under 4 MB, not one of 76 MB that a crawler would have to hold whole);
 *   <li>{@code /site/}: the home page, linking to page 0, the nofollow page, the calendar, and (with
 *       {@code rel=nofollow}) to {@code /site/hidden/2};
 *   <li>{@code /site/page/{i}} for {@code 0 <= i < N}: links to pages {@code 2i+1} and {@code 2i+2} (a binary
 *       tree: page i is at depth {@code floor(log2(i+1)) + 1} from {@code /site/}), to home, and to itself
 *       spelled differently ({@code ./{i}#top}). Every tenth page (i % 10 == 3) also links a broken
 *       link {@code /site/missing/{i}} (404); i % 10 == 5 a redirect {@code /site/redirect/{i}} (301 to page
 *       {@code (3i) % N}); i % 10 == 7 a PDF {@code /site/files/{i}.pdf} (not HTML) and a disallowed
 *       {@code /site/private/{i}};
 *   <li>{@code /site/nofollow}: a page with {@code <meta name=robots content=nofollow>} linking to
 *       {@code /site/hidden/1}, which a polite crawler therefore never fetches;
 *   <li>{@code /site/calendar/{yyyy-mm}}: the spider trap, an endless calendar whose every month links to
 *       the next one; only the crawl's depth or scope stops it.
 * </ul>
 * Anything else under {@code /site/} is 404. Stateless; the pages are the same on every run.
 *
 * <p>For tests, {@link #recordArrivals} keeps the path and the time of every request the site receives (a
 * crawler's gaps are measured where they matter, at the server).
 */
final class CrawlSite {

    /** A request the site received: its path and {@code System.nanoTime()} when its answer was routed. */
    record Arrival(String path, long nanos) {
    }

    private static final String HTML = "text/html; charset=utf-8";
    /** The sitemap protocol's limit of URLs in one sitemap. */
    static final int URLS_PER_SITEMAP = 50_000;

    private final int pages;
    private final int urlsPerSitemap;
    private final Duration crawlDelay;
    // set by a test before the server starts; appended to by the server's loop thread, read by the test after
    private volatile java.util.Queue<Arrival> arrivals;

    /**
     * @param pages      the number of numbered pages (1 or more)
     * @param crawlDelay the {@code Crawl-delay} robots.txt asks for (zero for none)
     */
    CrawlSite(int pages, Duration crawlDelay) {
        this(pages, crawlDelay, URLS_PER_SITEMAP);
    }

    /** As above, with at most {@code urlsPerSitemap} URLs in a sitemap (tests split a small site). */
    CrawlSite(int pages, Duration crawlDelay, int urlsPerSitemap) {
        if (pages < 1) {
            throw new IllegalArgumentException("--site must be a positive number of pages, got " + pages);
        }
        this.pages = pages;
        this.crawlDelay = crawlDelay;
        this.urlsPerSitemap = urlsPerSitemap;
    }

    /** How many sitemaps the index names: the pages and the orphan page, {@code urlsPerSitemap} at a time. */
    int sitemaps() {
        return (int) ((pages + 1L + urlsPerSitemap - 1) / urlsPerSitemap);
    }

    /** Keeps every request's arrival in {@code sink} (a thread-safe queue), for tests. */
    void recordArrivals(java.util.Queue<Arrival> sink) {
        arrivals = sink;
    }

    /** Records a request of {@code path} when a test asked for it. */
    void arrived(String path) {
        java.util.Queue<Arrival> sink = arrivals;
        if (sink != null) {
            sink.add(new Arrival(path, System.nanoTime()));
        }
    }

    /** {@code GET /robots.txt}; {@code origin} is {@code http://host:port} as the client addressed it. */
    Reply robots(String origin) {
        StringBuilder b = new StringBuilder("User-agent: *\nDisallow: /site/private/\n");
        if (!crawlDelay.isZero()) {
            b.append("Crawl-delay: ").append(crawlDelay.toMillis() / 1000.0).append('\n');
        }
        b.append("Sitemap: ").append(origin).append("/sitemap-index.xml\n");
        return Reply.text(200, b.toString());
    }

    /** {@code GET /sitemap-index.xml}. */
    Reply sitemapIndex(String origin) {
        StringBuilder b = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                """);
        for (int k = 1; k <= sitemaps(); k++) {
            b.append("  <sitemap><loc>").append(origin).append("/site/sitemap-").append(k).append(".xml</loc></sitemap>\n");
        }
        return new Reply(200, "application/xml", Reply.utf8(b.append("</sitemapindex>\n").toString()));
    }

    /** A path under {@code /site/}, split at '/' ({@code parts[0]} is "" and {@code parts[1]} is "site"). */
    Reply route(String[] parts, String origin) {
        String what = parts.length > 2 ? parts[2] : "";
        String arg = parts.length > 3 ? parts[3] : null;
        if (parts.length > 4) {
            return null;
        }
        return switch (what) {
            case "" -> arg == null ? home() : null;
            case "page" -> arg == null ? null : page(arg);
            case "redirect" -> arg == null ? null : redirect(arg, origin);
            case "files" -> arg != null && arg.endsWith(".pdf") ? pdf() : null;
            case "private", "hidden", "orphan" -> leaf(what, arg);
            case "nofollow" -> arg == null ? nofollow() : null;
            case "calendar" -> arg == null ? null : calendar(arg);
            default -> arg == null ? sitemap(what, origin) : null;
        };
    }

    private Reply home() {
        return html("home", List.of("page/0", "nofollow", "calendar/2026-01"),
                "<a rel=\"nofollow\" href=\"hidden/2\">hidden</a>\n");
    }

    private Reply page(String arg) {
        int i = index(arg);
        if (i < 0) {
            return null;
        }
        List<String> links = new ArrayList<>();
        for (long child : new long[] {2L * i + 1, 2L * i + 2}) {
            if (child < pages) {
                links.add(String.valueOf(child));
            }
        }
        links.add("../");
        links.add("./" + i + "#top");
        switch (i % 10) {
            case 3 -> links.add("/site/missing/" + i);
            case 5 -> links.add("/site/redirect/" + i);
            case 7 -> {
                links.add("/site/files/" + i + ".pdf");
                links.add("/site/private/" + i);
            }
            default -> {
                // no extra link
            }
        }
        return html("page " + i, links, "");
    }

    private Reply redirect(String arg, String origin) {
        int i = index(arg);
        return i < 0 ? null : Reply.redirect(301, origin + "/site/page/" + (3L * i) % pages);
    }

    private static Reply pdf() {
        return new Reply(200, "application/pdf", Reply.utf8("%PDF-1.4\n% not a real document\n%%EOF\n"));
    }

    private static Reply leaf(String what, String arg) {
        return html(what + (arg == null ? "" : " " + arg), List.of(), "");
    }

    private static Reply nofollow() {
        return html("nofollow", List.of("hidden/1"), "", "<meta name=\"robots\" content=\"nofollow\">\n");
    }

    private static Reply calendar(String arg) {
        YearMonth month;
        try {
            month = YearMonth.parse(arg);
        } catch (DateTimeParseException e) {
            return null;
        }
        return html("calendar " + month, List.of(month.plusMonths(1).toString()), "");
    }

    /**
     * {@code /site/sitemap-{k}.xml} for {@code 1 <= k <= sitemaps()}: entries {@code (k-1)*urlsPerSitemap}
     * onwards of the sequence page 0, ..., page N-1, orphan; null (404) for any other name.
     */
    private Reply sitemap(String name, String origin) {
        if (!name.startsWith("sitemap-") || !name.endsWith(".xml")) {
            return null;
        }
        int k;
        try {
            k = Integer.parseInt(name.substring("sitemap-".length(), name.length() - ".xml".length()));
        } catch (NumberFormatException e) {
            return null;
        }
        if (k < 1 || k > sitemaps() || !name.equals("sitemap-" + k + ".xml")) {
            return null;
        }
        StringBuilder b = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                """);
        long first = (long) (k - 1) * urlsPerSitemap;
        long end = Math.min(first + urlsPerSitemap, pages + 1L); // entry `pages` is the orphan page
        for (long i = first; i < end; i++) {
            b.append("  <url><loc>").append(origin).append(i < pages ? "/site/page/" + i : "/site/orphan")
                    .append("</loc></url>\n");
        }
        return new Reply(200, "application/xml", Reply.utf8(b.append("</urlset>\n").toString()));
    }

    /** A page number in 0..pages-1, or -1. */
    private int index(String arg) {
        try {
            int i = Integer.parseInt(arg);
            return i >= 0 && i < pages ? i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Reply html(String title, List<String> links, String extraBody) {
        return html(title, links, extraBody, "");
    }

    private static Reply html(String title, List<String> links, String extraBody, String extraHead) {
        StringBuilder b = new StringBuilder(256);
        b.append("<!DOCTYPE html>\n<html><head><title>").append(title).append("</title>\n").append(extraHead)
                .append("</head><body>\n<h1>").append(title).append("</h1>\n");
        for (String link : links) {
            b.append("<a href=\"").append(link).append("\">").append(link).append("</a>\n");
        }
        return new Reply(200, HTML, Reply.utf8(b.append(extraBody).append("</body></html>\n").toString()));
    }
}
