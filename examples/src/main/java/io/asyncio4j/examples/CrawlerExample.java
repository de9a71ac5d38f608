package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.Response;
import io.asyncio4j.sync.Semaphore;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Exercise 1 of the tutorials, "Web crawler": follow links concurrently, each URL once, to a depth limit.
 *
 * <p>Pages are fetched level by level (breadth first), at most N requests in flight.
 *
 * <p>Tutorial: "연습 1: 웹 크롤러 — 여러 URL을 동시에 가져오는 비동기 크롤러를 작성하세요" (write an async
 * crawler that fetches several URLs at once) of "비동기 프로그래밍 (Async Programming)". The site is the
 * local server's {@code /links/12/{i}}: twelve pages, each linking to the eleven others; the crawl starts at
 * the index {@code /links/12} and may go two links deep. Each level is fetched with one {@code gather}
 * (at most 4 requests at once, by a {@code Semaphore}), so pages print in link order, not in the order they
 * arrive. A link already seen is not fetched again: the pages of level 1 link only to known pages, so
 * there is no level 2 to fetch. Give a base URL argument to crawl another server's {@code /links}.
 *
 * <p>This is the idea in a hundred lines. The production version of the exercise is the command
 * {@code asyncio4j crawl} (docs/cli.md, section "asyncio4j crawl"): the same level-by-level walk, plus
 * robots.txt and its crawl delay, per-host limits, sitemaps, URL normalisation, redirects, and a frontier in
 * SQLite that survives {@code kill -9}.
 * <pre>
 * depth 0: 1 page
 *   [200] /links/12 (12 links, 12 new)
 * depth 1: 12 pages
 *   [200] /links/12/0 (11 links, 0 new)
 *   ...
 *   [200] /links/12/11 (11 links, 0 new)
 * crawled 13 pages, 0 failed
 * </pre>
 */
public final class CrawlerExample {
    private static final Pattern HREF = Pattern.compile("href=\"([^\"]*)\"");

    private final String baseUrl;
    private final Duration latency = Duration.ofMillis(100); // the local server's wait before each answer

    CrawlerExample(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** One fetched page: its status and the absolute URLs it links to (none when the fetch failed). */
    record Page(URI url, int status, List<URI> links) {
    }

    /** Fetches {@code url} (at most as many at once as {@code sem} allows) and finds its links. */
    Page fetch(ClientSession session, Semaphore sem, URI url) {
        Response response;
        try (var held = sem.hold()) {
            response = session.get(url.toString());
        } catch (RuntimeException e) { // a page that cannot be fetched is reported, not fatal
            return new Page(url, 0, List.of());
        }
        List<URI> links = new ArrayList<>();
        Matcher m = HREF.matcher(response.text());
        while (m.find()) {
            links.add(url.resolve(m.group(1)));
        }
        return new Page(url, response.status(), links);
    }

    /** Crawls from {@code start} to {@code maxDepth} links away; returns the pages in the order crawled. */
    List<Page> crawl(URI start, int maxDepth, int maxConcurrent) {
        Semaphore sem = new Semaphore(maxConcurrent);
        Set<URI> visited = new HashSet<>(List.of(start));
        List<URI> level = List.of(start);
        List<Page> crawled = new ArrayList<>();
        try (ClientSession session = ClientSession.builder().build()) {
            for (int depth = 0; depth <= maxDepth && !level.isEmpty(); depth++) {
                System.out.println("depth " + depth + ": " + level.size() + (level.size() == 1 ? " page" : " pages"));
                List<Page> pages = Asyncio.gather(level, url -> fetch(session, sem, url));
                List<URI> next = new ArrayList<>();
                for (Page page : pages) {
                    int before = next.size();
                    for (URI link : page.links()) {
                        if (visited.add(link)) { // dedup: a URL is fetched once
                            next.add(link);
                        }
                    }
                    System.out.println("  [" + page.status() + "] " + page.url().getPath()
                            + " (" + page.links().size() + " links, " + (next.size() - before) + " new)");
                }
                crawled.addAll(pages);
                level = next;
            }
        }
        return crawled;
    }

    List<Page> main() throws IOException {
        try (TargetServer server = TargetServer.start(baseUrl, latency)) {
            List<Page> pages = crawl(URI.create(server.url() + "/links/12"), 2, 4);
            long failed = pages.stream().filter(p -> p.status() != 200).count();
            System.out.println("crawled " + pages.size() + " pages, " + failed + " failed");
            return pages;
        }
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new CrawlerExample(TargetServer.baseUrl(args)).main());
    }
}
