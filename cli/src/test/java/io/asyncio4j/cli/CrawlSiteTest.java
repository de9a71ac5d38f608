package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.Response;
import org.junit.jupiter.api.Test;

/**
 * {@code serve --site}: the generated site read over real loopback HTTP, and walked breadth-first with the
 * crawler's own parts ({@link UrlNormalizer}, {@link CrawlScope}, {@link RobotsPolicy}, {@link PageLinks}),
 * whose exact page set for a depth is known in advance.
 */
class CrawlSiteTest {

    /** What a walk saw: status by requested URL, in fetch order, and the URLs robots.txt kept it from. */
    private record Walk(Map<String, Integer> fetched, Set<String> robotsExcluded) {
    }

    /** Breadth-first from /site/, at most {@code depth} links away, excluding the calendar trap. */
    private static Walk walk(LocalServer server, int depth, List<String> exclude) throws Exception {
        UrlNormalizer n = UrlNormalizer.standard();
        String start = n.normalize(server.url() + "/site/");
        CrawlScope scope = new CrawlScope(List.of(start), List.of(), List.of(),
                exclude.stream().map(Pattern::compile).toList(), depth, Long.MAX_VALUE);
        Map<String, Integer> fetched = new LinkedHashMap<>();
        Set<String> robotsExcluded = new TreeSet<>();
        try (ClientSession session = ClientSession.builder().build()) {
            Response robotsTxt = session.get(server.url() + "/robots.txt");
            RobotsPolicy robots = RobotsPolicy.fromResponse(server.url() + "/robots.txt", robotsTxt.status(),
                    robotsTxt.bytes(), "asyncio4j-crawl", Duration.ofSeconds(30));
            Set<String> seen = new HashSet<>(List.of(start));
            Deque<Map.Entry<String, Integer>> queue = new ArrayDeque<>(List.of(Map.entry(start, 0)));
            while (!queue.isEmpty()) {
                Map.Entry<String, Integer> next = queue.removeFirst();
                String url = next.getKey();
                if (!robots.allows(url)) {
                    robotsExcluded.add(url);
                    continue;
                }
                Response r = session.get(url);
                fetched.put(url, r.status());
                String type = r.headers().firstValue("content-type").orElse(null);
                if (r.status() != 200 || !PageLinks.isHtml(type)) {
                    continue;
                }
                for (String link : PageLinks.parse(r.text(), r.url().toString(), n).links()) {
                    if (scope.check(link, next.getValue() + 1) == CrawlScope.Verdict.IN && seen.add(link)) {
                        queue.addLast(Map.entry(link, next.getValue() + 1));
                    }
                }
            }
        }
        return new Walk(fetched, robotsExcluded);
    }

    private static Set<String> paths(LocalServer server, Set<String> urls) {
        Set<String> out = new TreeSet<>();
        urls.forEach(u -> out.add(u.substring(server.url().length())));
        return out;
    }

    private static Set<String> pages(int from, int to) {
        Set<String> out = new TreeSet<>();
        for (int i = from; i <= to; i++) {
            out.add("/site/page/" + i);
        }
        return out;
    }

    @Test
    void aWalkToDepthFiveFetchesExactlyTheKnownPageSet() {
        Walk w = Asyncio.run(() -> {
            try (LocalServer server = LocalServer.builder().site(12, Duration.ZERO).start()) {
                Walk walk = walk(server, 5, List.of("/calendar/"));
                Map<String, Integer> byPath = new LinkedHashMap<>();
                walk.fetched().forEach((url, status) -> byPath.put(url.substring(server.url().length()), status));
                return new Walk(byPath, paths(server, walk.robotsExcluded()));
            }
        });
        Set<String> expected = new TreeSet<>(pages(0, 11));
        expected.addAll(List.of("/site/", "/site/nofollow", "/site/missing/3", "/site/redirect/5",
                "/site/files/7.pdf"));
        assertEquals(expected, new TreeSet<>(w.fetched().keySet()));
        assertEquals(Set.of("/site/private/7"), w.robotsExcluded());
        assertEquals(404, w.fetched().get("/site/missing/3"));
        assertEquals(200, w.fetched().get("/site/redirect/5"), "the redirect to page 3 is followed");
        assertEquals(200, w.fetched().get("/site/files/7.pdf"));
    }

    @Test
    void depthAndExclusionStopTheCalendarTrapAndNofollowIsHonoured() {
        Set<String> fetched = Asyncio.run(() -> {
            try (LocalServer server = LocalServer.builder().site(12, Duration.ZERO).start()) {
                return paths(server, walk(server, 3, List.of()).fetched().keySet());
            }
        });
        Set<String> expected = new TreeSet<>(pages(0, 6));
        expected.addAll(List.of("/site/", "/site/nofollow", "/site/calendar/2026-01", "/site/calendar/2026-02",
                "/site/calendar/2026-03"));
        assertEquals(expected, fetched);
        assertFalse(fetched.stream().anyMatch(p -> p.startsWith("/site/hidden/")));
    }

    @Test
    void robotsTxtDisallowsPrivateAsksForTheCrawlDelayAndNamesTheSitemapIndex() {
        List<String> seen = Asyncio.run(() -> {
            try (LocalServer server = LocalServer.builder().site(3, Duration.ofMillis(250)).start();
                 ClientSession session = ClientSession.builder().build()) {
                Response robotsTxt = session.get(server.url() + "/robots.txt");
                RobotsPolicy robots = RobotsPolicy.fromResponse(server.url() + "/robots.txt", robotsTxt.status(),
                        robotsTxt.bytes(), "asyncio4j-crawl", Duration.ofSeconds(30));
                List<String> out = new ArrayList<>();
                out.add(String.valueOf(robots.crawlDelay().toMillis()));
                out.add(String.valueOf(robots.allows(server.url() + "/site/private/7")));
                out.add(String.valueOf(robots.allows(server.url() + "/site/page/1")));
                String index = robots.sitemaps().getFirst();
                out.add(index.substring(server.url().length()));
                Response ix = session.get(index);
                String child = Sitemaps.parse(index, "application/xml", ix.bytes()).sitemaps().getFirst();
                out.add(child.substring(server.url().length()));
                for (String page : Sitemaps.parse(child, "application/xml", session.get(child).bytes()).pages()) {
                    out.add(page.substring(server.url().length()));
                }
                return out;
            }
        });
        assertEquals(List.of("250", "false", "true", "/sitemap-index.xml", "/site/sitemap-1.xml",
                "/site/page/0", "/site/page/1", "/site/page/2", "/site/orphan"), seen);
    }

    @Test
    void withoutSiteTheSitePathsAreNotFound() {
        List<Integer> statuses = Asyncio.run(() -> {
            try (LocalServer server = LocalServer.builder().start(); ClientSession session = ClientSession.builder().build()) {
                return List.of(session.get(server.url() + "/robots.txt").status(),
                        session.get(server.url() + "/site/").status(),
                        session.get(server.url() + "/sitemap-index.xml").status());
            }
        });
        assertEquals(List.of(404, 404, 404), statuses);
    }

    @Test
    void unknownSitePathsAndPagesBeyondTheSiteAreNotFound() {
        List<Integer> statuses = Asyncio.run(() -> {
            try (LocalServer server = LocalServer.builder().site(3, Duration.ZERO).start();
                 ClientSession session = ClientSession.builder().build()) {
                List<Integer> out = new ArrayList<>();
                for (String p : List.of("/site/page/3", "/site/page/x", "/site/calendar/2026-13", "/site/nope",
                        "/site/page/1/extra", "/site/page/2")) {
                    out.add(session.get(server.url() + p).status());
                }
                return out;
            }
        });
        assertEquals(List.of(404, 404, 404, 404, 404, 200), statuses);
    }

    @Test
    void aSiteLargerThanOneSitemapIsListedInSitemapsOfAtMostTheLimitEachAndEveryPageOnce() {
        CrawlSite site = new CrawlSite(5, Duration.ZERO, 2); // 5 pages and the orphan: 3 sitemaps of 2
        String origin = "http://site.test";
        List<String> maps = Sitemaps.parse(origin + "/sitemap-index.xml", "application/xml",
                body(site.sitemapIndex(origin))).sitemaps();
        assertEquals(List.of(origin + "/site/sitemap-1.xml", origin + "/site/sitemap-2.xml",
                origin + "/site/sitemap-3.xml"), maps);
        List<List<String>> listed = new ArrayList<>();
        for (String map : maps) {
            String name = map.substring(map.lastIndexOf('/') + 1);
            Reply r = site.route(new String[] {"", "site", name}, origin);
            listed.add(Sitemaps.parse(map, r.contentType(), body(r)).pages().stream()
                    .map(u -> u.substring(origin.length())).toList());
        }
        assertEquals(List.of(List.of("/site/page/0", "/site/page/1"), List.of("/site/page/2", "/site/page/3"),
                List.of("/site/page/4", "/site/orphan")), listed);
        for (String missing : List.of("sitemap-0.xml", "sitemap-4.xml", "sitemap-01.xml", "sitemap-x.xml")) {
            assertEquals(null, site.route(new String[] {"", "site", missing}, origin), missing);
        }
    }

    @Test
    void aMillionPageSiteHasTwentyOneSitemapsOfAtMostFiftyThousandUrls() {
        CrawlSite site = new CrawlSite(1_000_000, Duration.ZERO);
        assertEquals(21, site.sitemaps());
        Reply last = site.route(new String[] {"", "site", "sitemap-21.xml"}, "http://site.test");
        List<String> pages = Sitemaps.parse("http://site.test/site/sitemap-21.xml", last.contentType(), body(last))
                .pages();
        assertEquals(List.of("http://site.test/site/orphan"), pages); // 20 x 50,000 pages, then the orphan
        Reply first = site.route(new String[] {"", "site", "sitemap-1.xml"}, "http://site.test");
        assertEquals(CrawlSite.URLS_PER_SITEMAP, Sitemaps.parse("http://site.test/site/sitemap-1.xml",
                first.contentType(), body(first)).pages().size());
    }

    private static byte[] body(Reply r) {
        var out = new java.io.ByteArrayOutputStream();
        try {
            r.body().write(out, r.length());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
