package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.asyncio4j.cli.CrawlScope.Verdict;

class CrawlScopeTest {

    private static CrawlScope scope(List<String> domains, List<String> include, List<String> exclude) {
        return new CrawlScope(List.of("http://docs.example.com/", "http://127.0.0.1:8080/start"), domains,
                include.stream().map(Pattern::compile).toList(), exclude.stream().map(Pattern::compile).toList(),
                2, Long.MAX_VALUE);
    }

    @Test
    void theStartHostsAreInScopeAndOtherHostsAreNot() {
        CrawlScope s = scope(List.of(), List.of(), List.of());
        assertEquals(Verdict.IN, s.check("http://docs.example.com/a/b", 1));
        assertEquals(Verdict.IN, s.check("https://docs.example.com/other-scheme", 1));
        assertEquals(Verdict.IN, s.check("http://127.0.0.1:9999/another-port", 1));
        assertEquals(Verdict.OFF_SCOPE, s.check("http://www.example.com/", 1));
        assertEquals(Verdict.OFF_SCOPE, s.check("http://example.com/", 1));
        assertEquals(Verdict.OFF_SCOPE, s.check("http://notdocs.example.com.evil.org/", 1));
    }

    @Test
    void anAllowedDomainBringsItsSubdomainsButNotLookalikes() {
        CrawlScope s = scope(List.of("Example.ORG", ".python.org"), List.of(), List.of());
        assertEquals(Verdict.IN, s.check("http://example.org/", 1));
        assertEquals(Verdict.IN, s.check("http://a.b.example.org/", 1));
        assertEquals(Verdict.IN, s.check("http://docs.python.org/3/", 1));
        assertEquals(Verdict.OFF_SCOPE, s.check("http://badexample.org/", 1));
        assertEquals(Verdict.OFF_SCOPE, s.check("http://example.org.evil.net/", 1));
    }

    @Test
    void includePatternsNarrowAndExcludePatternsWin() {
        CrawlScope s = scope(List.of(), List.of("/library/", "/tutorial/"), List.of("/calendar/", "\\.pdf$"));
        assertEquals(Verdict.IN, s.check("http://docs.example.com/library/os.html", 1));
        assertEquals(Verdict.OFF_SCOPE, s.check("http://docs.example.com/whatsnew/3.12.html", 1));
        assertEquals(Verdict.OFF_SCOPE, s.check("http://docs.example.com/library/calendar/2030", 1));
        assertEquals(Verdict.OFF_SCOPE, s.check("http://docs.example.com/tutorial/all.pdf", 1));
    }

    @Test
    void depthBeyondTheLimitIsTooDeepButOffScopeIsReportedFirst() {
        CrawlScope s = scope(List.of(), List.of(), List.of());
        assertEquals(Verdict.IN, s.check("http://docs.example.com/", 0));
        assertEquals(Verdict.IN, s.check("http://docs.example.com/x", 2));
        assertEquals(Verdict.TOO_DEEP, s.check("http://docs.example.com/x", 3));
        assertEquals(Verdict.OFF_SCOPE, s.check("http://elsewhere.net/x", 3));
    }

    @Test
    void thePageLimitIsReachedAtMaxPages() {
        CrawlScope s = new CrawlScope(List.of("http://a.example/"), List.of(), List.of(), List.of(), 5, 3);
        assertFalse(s.pageLimitReached(2));
        assertTrue(s.pageLimitReached(3));
        assertFalse(scope(List.of(), List.of(), List.of()).pageLimitReached(1_000_000_000L));
    }

    @Test
    void refusesANegativeDepthAndANonPositivePageLimit() {
        assertEquals("--depth must be 0 or more, got -1", assertThrows(IllegalArgumentException.class,
                () -> new CrawlScope(List.of("http://a.example/"), List.of(), List.of(), List.of(), -1, 1)).getMessage());
        assertEquals("--max-pages must be a positive integer, got 0", assertThrows(IllegalArgumentException.class,
                () -> new CrawlScope(List.of("http://a.example/"), List.of(), List.of(), List.of(), 1, 0)).getMessage());
    }
}
