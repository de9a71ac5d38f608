package io.asyncio4j.cli;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which discovered URLs a crawl may fetch: the rules of {@code crawl}'s scope options, applied to URLs that
 * are already normalised ({@link UrlNormalizer}).
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * CrawlScope scope = new CrawlScope(List.of("https://docs.example.com/"), List.of("example.org"),
 *         List.of(), List.of(Pattern.compile("/calendar/")), 5, 10_000);
 * scope.check("https://docs.example.com/a", 1);      // Verdict.IN
 * scope.check("https://www.example.org/b", 1);       // Verdict.IN (an allowed domain's subdomain)
 * scope.check("https://docs.example.com/a", 6);      // Verdict.TOO_DEEP
 * scope.check("https://docs.example.com/calendar/2030", 1);  // Verdict.OFF_SCOPE (excluded)
 * }</pre>
 *
 * <h2>The rules, in order</h2>
 * <ol>
 *   <li>the host must be one of the start URLs' hosts, or be an allowed domain ({@code --allow-domain}) or
 *       one of its subdomains (comparison without case; ports are not compared);
 *   <li>if include patterns ({@code --include}) were given, at least one must be found in the URL;
 *   <li>no exclude pattern ({@code --exclude}) may be found in the URL;
 *   <li>the depth (links followed from a start URL, which has depth 0) must be at most {@code --depth}.
 * </ol>
 * {@code --max-pages} is not a property of a URL: {@link #pageLimitReached(long)} tells the crawler when to
 * stop taking new URLs.
 *
 * <h2>Thread-safety</h2>
 * Immutable; safe to share between tasks and threads.
 */
final class CrawlScope {

    /** What the scope says about one URL. */
    enum Verdict {
        /** Fetch it. */
        IN,
        /** Another host, or ruled out by an include or exclude pattern. */
        OFF_SCOPE,
        /** Further from the start URLs than {@code --depth}. */
        TOO_DEEP
    }

    private final Set<String> hosts;
    private final List<String> allowedDomains;
    private final List<Pattern> include;
    private final List<Pattern> exclude;
    private final int maxDepth;
    private final long maxPages;

    /**
     * @param startUrls      the normalised start URLs, whose hosts are in scope
     * @param allowedDomains domains that are in scope with all their subdomains
     * @param include        patterns of which one must be found in a URL, or empty for any URL
     * @param exclude        patterns none of which may be found in a URL
     * @param maxDepth       the greatest depth fetched (0 fetches only the start URLs)
     * @param maxPages       the most pages fetched, or {@link Long#MAX_VALUE} for no limit
     */
    CrawlScope(List<String> startUrls, List<String> allowedDomains, List<Pattern> include, List<Pattern> exclude,
               int maxDepth, long maxPages) {
        if (maxDepth < 0) {
            throw new IllegalArgumentException("--depth must be 0 or more, got " + maxDepth);
        }
        if (maxPages < 1) {
            throw new IllegalArgumentException("--max-pages must be a positive integer, got " + maxPages);
        }
        this.hosts = startUrls.stream().map(CrawlScope::hostOf).collect(Collectors.toUnmodifiableSet());
        this.allowedDomains = allowedDomains.stream().map(d -> stripDots(d.toLowerCase(Locale.ROOT))).toList();
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        this.maxDepth = maxDepth;
        this.maxPages = maxPages;
    }

    /** Whether a normalised URL found at {@code depth} is to be fetched, and if not, why. */
    Verdict check(String url, int depth) {
        if (!hostInScope(hostOf(url))
                || !include.isEmpty() && include.stream().noneMatch(p -> p.matcher(url).find())
                || exclude.stream().anyMatch(p -> p.matcher(url).find())) {
            return Verdict.OFF_SCOPE;
        }
        return depth > maxDepth ? Verdict.TOO_DEEP : Verdict.IN;
    }

    /** Whether a crawl that has taken {@code pages} URLs must take no more. */
    boolean pageLimitReached(long pages) {
        return pages >= maxPages;
    }

    /** Whether a host (lower-case) is a start host, an allowed domain or a subdomain of one. */
    boolean hostInScope(String host) {
        if (hosts.contains(host)) {
            return true;
        }
        for (String domain : allowedDomains) {
            if (host.equals(domain) || host.endsWith("." + domain)) {
                return true;
            }
        }
        return false;
    }

    private static String hostOf(String url) {
        String host = URI.create(url).getHost();
        return host == null ? "" : host.toLowerCase(Locale.ROOT);
    }

    private static String stripDots(String domain) {
        String d = domain.strip();
        while (d.startsWith(".")) {
            d = d.substring(1);
        }
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }
}
