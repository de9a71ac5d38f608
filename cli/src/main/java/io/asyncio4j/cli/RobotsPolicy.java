package io.asyncio4j.cli;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;

/**
 * What one host's robots.txt allows {@code crawl} to do: which paths it may fetch, how long to wait between
 * two requests, and which sitemaps the file names.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * RobotsPolicy robots = RobotsPolicy.fromResponse("http://example.com/robots.txt", status, body,
 *         "asyncio4j-crawl", Duration.ofSeconds(30));
 * if (robots.allows("http://example.com/private/x")) { ... }
 * Duration gap = robots.crawlDelay();     // Duration.ZERO when the file sets none
 * }</pre>
 *
 * <h2>Rules (RFC 9309)</h2>
 * Parsing is crawler-commons' {@code SimpleRobotRulesParser}: the group of the most specific matching
 * user-agent (else {@code *}), longest match between {@code Allow} and {@code Disallow} (allow on a tie),
 * {@code *} and {@code $} in paths. The answer to the robots.txt request decides before the content:
 * <ul>
 *   <li>2xx: the file's rules;
 *   <li>4xx (including 404: no robots.txt): everything is allowed;
 *   <li>5xx, or no answer at all: nothing is allowed ("unreachable", RFC 9309 section 2.3.1.4).
 * </ul>
 * A {@code Crawl-delay} is not in RFC 9309 but widely used: it is honoured, capped by
 * {@code --max-crawl-delay} (a site asking for an hour between requests gets the cap, not a stalled crawl).
 *
 * <h2>Thread-safety</h2>
 * Immutable once built; safe to share between tasks.
 */
final class RobotsPolicy {

    private final BaseRobotRules rules;
    private final Duration crawlDelay;

    private RobotsPolicy(BaseRobotRules rules, Duration maxCrawlDelay) {
        this.rules = rules;
        long delayMs = rules.getCrawlDelay();
        Duration asked = delayMs <= 0 ? Duration.ZERO : Duration.ofMillis(delayMs);
        this.crawlDelay = asked.compareTo(maxCrawlDelay) > 0 ? maxCrawlDelay : asked;
    }

    /**
     * The policy for the answer to a robots.txt request.
     *
     * @param robotsUrl     the robots.txt URL (used to resolve relative sitemap URLs)
     * @param status        the HTTP status, or 0 when the request failed (connection refused, timeout)
     * @param body          the body (only read for a 2xx status)
     * @param userAgent     the crawler's product token or full User-Agent; its first word, lower-cased,
     *                      is matched against the file's {@code User-agent} lines
     * @param maxCrawlDelay the longest crawl delay honoured
     */
    static RobotsPolicy fromResponse(String robotsUrl, int status, byte[] body, String userAgent,
                                     Duration maxCrawlDelay) {
        // The parser's own cap turns a longer delay into "disallow everything": cap here instead.
        SimpleRobotRulesParser parser = new SimpleRobotRulesParser(Long.MAX_VALUE, 10);
        BaseRobotRules rules;
        if (status >= 200 && status < 300) {
            rules = parser.parseContent(robotsUrl, body, "text/plain", List.of(productToken(userAgent)));
        } else if (status >= 400 && status < 500) {
            rules = parser.failedFetch(404);
        } else {
            rules = parser.failedFetch(503);
        }
        return new RobotsPolicy(rules, maxCrawlDelay);
    }

    /** The policy of {@code --ignore-robots}: everything allowed, no delay, no sitemaps. */
    static RobotsPolicy allowAll() {
        return new RobotsPolicy(new SimpleRobotRulesParser().failedFetch(404), Duration.ZERO);
    }

    /** Whether the normalised {@code url} (on this policy's host) may be fetched. */
    boolean allows(String url) {
        return rules.isAllowed(url);
    }

    /** The delay between two requests to the host, capped by {@code --max-crawl-delay}; zero if none. */
    Duration crawlDelay() {
        return crawlDelay;
    }

    /** The {@code Sitemap:} URLs of the file, absolute, in the file's order. */
    List<String> sitemaps() {
        return List.copyOf(rules.getSitemaps());
    }

    /** "asyncio4j-crawl/0.1 (+https://...)" becomes "asyncio4j-crawl". */
    static String productToken(String userAgent) {
        String first = userAgent.strip().split("[\\s/]", 2)[0];
        return first.toLowerCase(Locale.ROOT);
    }
}
