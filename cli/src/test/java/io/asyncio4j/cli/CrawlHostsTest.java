package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.asyncio4j.cli.CrawlCommandTest.Outcome;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crawl} across two hosts (two {@link TestServer}s on loopback: one host name, two ports, so two
 * origins in one scope): a host that answers slowly keeps only its share of the tasks, and a sitemap on
 * another host is read only after, and only as far as, that host's robots.txt allows.
 */
class CrawlHostsTest {

    @TempDir
    Path dir;

    private static Reply html(String body) {
        return Reply.status(200).header("Content-Type", "text/html").body("<html><title>t</title>" + body + "</html>");
    }

    /**
     * The slow host's pages are answered only once the fast host's twenty pages were: before the dispatcher
     * left a host with its share of tasks alone, the slow host's links (queued first) took every task and
     * the fast host's pages waited behind them, so the slow host's handler timed out.
     */
    @Test
    void aSlowHostHoldsOnlyItsShareOfTasksWhileTheOtherHostsPagesKeepMoving() throws Exception {
        CountDownLatch fastPages = new CountDownLatch(20);
        AtomicBoolean slowWaitedInVain = new AtomicBoolean();
        try (TestServer fast = TestServer.start(); TestServer slow = TestServer.start()) {
            fast.dispatcher(request -> {
                if (!request.path().startsWith("/p/")) {
                    return Reply.status(404);
                }
                fastPages.countDown();
                return html("fast");
            });
            slow.dispatcher(request -> {
                if (request.path().equals("/")) {
                    StringBuilder links = new StringBuilder();
                    for (int i = 0; i < 20; i++) {
                        links.append("<a href=\"/p/").append(i).append("\">s</a>");
                    }
                    for (int i = 0; i < 20; i++) {
                        links.append("<a href=\"").append(fast.url("/p/" + i)).append("\">f</a>");
                    }
                    return html(links.toString());
                }
                if (!request.path().startsWith("/p/")) {
                    return Reply.status(404);
                }
                // 10 s once; after a wait in vain the test has failed, and the other slow pages answer at once
                if (!fastPages.await(slowWaitedInVain.get() ? 0 : 10, TimeUnit.SECONDS)) {
                    slowWaitedInVain.set(true);
                }
                return html("slow");
            });
            Outcome o = CrawlCommandTest.crawl(dir.resolve("pages.jsonl"), slow.url("/"), "-c", "4", "--per-host", "1",
                    "--depth", "1", "--no-sitemaps");
            assertFalse(slowWaitedInVain.get(), "the fast host's pages waited for the slow host's\n" + o.err());
            assertEquals(0, o.code(), o.err());
            assertEquals(41, o.lines().size(), o.err());
        }
    }

    /**
     * The first host's robots.txt names two sitemaps on the second host, one of them under a path the second
     * host's robots.txt disallows: the second host's robots.txt is read before its sitemap, the disallowed
     * sitemap is never requested, and the allowed one's page is crawled. (The second host's own sitemap,
     * /sitemap.xml as its robots.txt names none, is looked for when its robots.txt is read: a 404, 1 failed.)
     */
    @Test
    void aSitemapOnAnotherHostIsReadOnlyAsThatHostsRobotsTxtAllows() throws Exception {
        Queue<String> requests = new ConcurrentLinkedQueue<>();
        try (TestServer first = TestServer.start(); TestServer second = TestServer.start()) {
            first.dispatcher(request -> {
                requests.add("first " + request.path());
                return switch (request.path()) {
                    case "/robots.txt" -> Reply.status(200).header("Content-Type", "text/plain")
                            .body("User-agent: *\nAllow: /\nSitemap: " + second.url("/maps/sitemap.xml")
                                    + "\nSitemap: " + second.url("/private/sitemap.xml") + "\n");
                    case "/" -> html("home");
                    default -> Reply.status(404);
                };
            });
            second.dispatcher(request -> {
                requests.add("second " + request.path());
                return switch (request.path()) {
                    case "/robots.txt" -> Reply.status(200).header("Content-Type", "text/plain")
                            .body("User-agent: *\nDisallow: /private/\n");
                    case "/maps/sitemap.xml", "/private/sitemap.xml" -> sitemap(second);
                    case "/from-sitemap" -> html("found");
                    default -> Reply.status(404);
                };
            });
            Outcome o = CrawlCommandTest.crawl(dir.resolve("pages.jsonl"), first.url("/"), "--depth", "1");
            List<String> seen = List.copyOf(requests);
            assertFalse(seen.contains("second /private/sitemap.xml"), seen.toString());
            assertTrue(seen.indexOf("second /robots.txt") >= 0
                    && seen.indexOf("second /robots.txt") < seen.indexOf("second /maps/sitemap.xml"), seen.toString());
            assertEquals(1, seen.stream().filter(r -> r.equals("second /robots.txt")).count(), seen.toString());
            assertTrue(o.paths("").contains(second.url("/from-sitemap")), o.lines().toString());
            assertTrue(o.err().contains("sitemaps: 1 read (1 URLs), 1 failed, 1 robots-excluded"), o.err());
        }
    }

    private static Reply sitemap(TestServer server) {
        return Reply.status(200).header("Content-Type", "application/xml").body(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>"
                        + server.url("/from-sitemap") + "</loc></url></urlset>\n");
    }
}
