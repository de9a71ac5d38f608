package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class RobotsPolicyTest {

    private static final String ROBOTS_URL = "http://site.test/robots.txt";
    private static final Duration CAP = Duration.ofSeconds(30);

    private static RobotsPolicy robots(String text, String userAgent) {
        return RobotsPolicy.fromResponse(ROBOTS_URL, 200, text.getBytes(StandardCharsets.UTF_8), userAgent, CAP);
    }

    @Test
    void theLongestMatchingRuleWinsAndAllowWinsATie() {
        RobotsPolicy r = robots("""
                User-agent: *
                Disallow: /private/
                Allow: /private/public/
                Disallow: /page
                Allow: /page
                """, "asyncio4j-crawl/0.1");
        assertFalse(r.allows("http://site.test/private/x.html"));
        assertTrue(r.allows("http://site.test/private/public/x.html"));
        assertTrue(r.allows("http://site.test/page"));
        assertTrue(r.allows("http://site.test/other"));
    }

    @Test
    void wildcardsAndEndAnchorsMatchAsInRfc9309() {
        RobotsPolicy r = robots("""
                User-agent: *
                Disallow: /*.pdf$
                Disallow: /cal*/20
                """, "asyncio4j-crawl");
        assertFalse(r.allows("http://site.test/docs/a.pdf"));
        assertTrue(r.allows("http://site.test/docs/a.pdf?download=1"));
        assertFalse(r.allows("http://site.test/calendar/2031/01"));
        assertTrue(r.allows("http://site.test/calendar/"));
    }

    @Test
    void theCrawlersOwnGroupReplacesTheStarGroup() {
        String text = """
                User-agent: asyncio4j-crawl
                Disallow: /only-for-others/

                User-agent: *
                Disallow: /
                """;
        RobotsPolicy mine = robots(text, "asyncio4j-crawl/0.1 (+https://example.invalid)");
        assertTrue(mine.allows("http://site.test/a"));
        assertFalse(mine.allows("http://site.test/only-for-others/a"));
        assertFalse(robots(text, "OtherBot/2.0").allows("http://site.test/a"));
    }

    @Test
    void crawlDelayIsHonouredUpToTheCap() {
        assertEquals(Duration.ofMillis(1500), robots("User-agent: *\nCrawl-delay: 1.5\n", "a").crawlDelay());
        assertEquals(CAP, robots("User-agent: *\nCrawl-delay: 3600\n", "a").crawlDelay());
        assertTrue(robots("User-agent: *\nCrawl-delay: 3600\n", "a").allows("http://site.test/x"),
                "a delay beyond the cap must not turn into 'disallow everything'");
        assertEquals(Duration.ZERO, robots("User-agent: *\nDisallow:\n", "a").crawlDelay());
    }

    @Test
    void aMissingFileAllowsEverythingAndAnUnreachableOneAllowsNothing() {
        assertTrue(RobotsPolicy.fromResponse(ROBOTS_URL, 404, new byte[0], "a", CAP).allows("http://site.test/x"));
        assertTrue(RobotsPolicy.fromResponse(ROBOTS_URL, 410, new byte[0], "a", CAP).allows("http://site.test/x"));
        assertFalse(RobotsPolicy.fromResponse(ROBOTS_URL, 503, new byte[0], "a", CAP).allows("http://site.test/x"));
        assertFalse(RobotsPolicy.fromResponse(ROBOTS_URL, 0, new byte[0], "a", CAP).allows("http://site.test/x"));
        assertTrue(RobotsPolicy.allowAll().allows("http://site.test/private/"));
    }

    @Test
    void listsTheSitemapsTheFileNames() {
        RobotsPolicy r = robots("""
                User-agent: *
                Disallow:
                Sitemap: http://site.test/sitemap-index.xml
                Sitemap: http://site.test/extra.xml.gz
                """, "a");
        assertEquals(List.of("http://site.test/sitemap-index.xml", "http://site.test/extra.xml.gz"), r.sitemaps());
    }
}
