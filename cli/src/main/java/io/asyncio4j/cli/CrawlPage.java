package io.asyncio4j.cli;

/**
 * What {@code crawl} found out about one URL: one line of its JSON Lines output.
 *
 * <pre>{@code
 * {"url":"http://127.0.0.1:8080/site/page/5","final_url":"http://127.0.0.1:8080/site/page/5","status":200,
 *  "depth":3,"referrer":"http://127.0.0.1:8080/site/page/2","content_type":"text/html; charset=utf-8",
 *  "bytes":412,"title":"page 5","links":5,"elapsed_ms":1.204,"error":null}
 * }</pre>
 * (on one line). The fetch itself (URL, status, bytes, time, error) is a {@link FetchResult}, so that the
 * summary counts crawl and {@code fetch} results alike; this record adds where the URL was found and what
 * the page held.
 *
 * <ul>
 *   <li>{@code final_url}: for a redirect, where its {@code Location} points (normalised); otherwise the
 *       URL itself; null when no response came;
 *   <li>{@code depth}: links followed from a start URL (0); a redirect's target has the redirect's depth;
 *   <li>{@code referrer}: the page (or sitemap, or redirect) the URL was found on; null for a start URL;
 *   <li>{@code title}: the HTML {@code <title>}; null for anything that is not HTML;
 *   <li>{@code links}: the links found on an HTML page (after {@code nofollow}), each once; 0 otherwise.
 * </ul>
 *
 * @param fetch       the request's outcome: url, final URL, status, bytes, elapsed time, error
 * @param depth       the URL's depth
 * @param referrer    where the URL was found, or null for a start URL
 * @param contentType the response's {@code Content-Type}, or null
 * @param title       the page's title, or null when it is not HTML
 * @param links       how many links the page holds
 */
record CrawlPage(FetchResult fetch, int depth, String referrer, String contentType, String title, int links) {

    /** Appends this page as one JSON object, without a line break, in the field order above. */
    void appendJson(StringBuilder b) {
        b.append("{\"url\":");
        FetchResult.string(b, fetch.url());
        b.append(",\"final_url\":");
        FetchResult.string(b, fetch.finalUrl());
        b.append(",\"status\":").append(fetch.status());
        b.append(",\"depth\":").append(depth);
        b.append(",\"referrer\":");
        FetchResult.string(b, referrer);
        b.append(",\"content_type\":");
        FetchResult.string(b, contentType);
        b.append(",\"bytes\":").append(fetch.bytes());
        b.append(",\"title\":");
        FetchResult.string(b, title);
        b.append(",\"links\":").append(links);
        b.append(",\"elapsed_ms\":");
        FetchResult.millis(b, fetch.elapsedNanos());
        b.append(",\"error\":");
        FetchResult.string(b, fetch.error());
        b.append('}');
    }
}
