package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * kill -9 during {@code crawl}, on real child JVMs against {@code serve --site} in this JVM: a crawl of the
 * generated site is killed at a random moment (once its output holds a random number of new lines, a random
 * few ms later; the seed is fixed, so the draws are the same on every run), then started again with the same
 * command, {@value #DEFAULT_KILLS} times by default; the last run goes to the end. Its output must then hold
 * exactly the pages of an uninterrupted crawl of the same site, each once, and the WARC file one response
 * record per line. More: {@code -Dcrawl.pages=5000 -Dcrawl.kills=20}.
 */
class CrawlKillTest {

    private static final int DEFAULT_KILLS = 5;
    private static final int KILLS = Integer.getInteger("crawl.kills", DEFAULT_KILLS);
    private static final int PAGES = Integer.getInteger("crawl.pages", 300);
    private static final long SEED = Long.getLong("crawl.seed", 20261206L);

    @TempDir
    Path dir;

    @Test
    @Timeout(600) // 6 child JVMs: some 15 s on an idle 2-core machine, minutes when it is loaded
    void killedAtRandomMomentsAndRestartedTheOutputHoldsTheUninterruptedCrawlsPagesEachOnce() throws Exception {
        Path out = dir.resolve("pages.jsonl");
        Path warc = dir.resolve("pages.warc");
        List<Long> linesAfterKill;
        try (ServeThread server = CrawlCommandTest.serve(new CrawlSite(PAGES, Duration.ZERO))) {
            String start = server.url + "/site/";
            Set<String> reference = urls(CrawlCommandTest.crawl(dir.resolve("reference.jsonl"), start,
                    "--exclude", "/calendar/", "--depth", "30").lines());
            ChildCommand crawl = crawl(start, out, warc);
            linesAfterKill = crawl.killAtRandomMoments(out, reference.size(), KILLS, new Random(SEED),
                    Duration.ofSeconds(30));
            Process last = crawl.start();
            assertTrue(last.waitFor(300, TimeUnit.SECONDS), "the last run did not end");
            Integer finisher = crawl.endedBeforeItsKill();
            if (finisher == null) {
                assertEquals(1, last.exitValue(), crawl.err()); // the site's broken links
            } else { // a run finished the crawl before its kill (0 or 1: what it fetched itself); the reruns
                // found nothing left to fetch
                assertTrue(finisher == 0 || finisher == 1, "the run that finished the crawl exited " + finisher);
                assertEquals(0, last.exitValue(), crawl.err());
            }
            List<JsonNode> lines = CrawlCommandTest.read(out);
            Set<String> got = urls(lines);
            assertEquals(lines.size(), got.size(), "a page appears twice");
            assertEquals(reference, got, crawl.err());
            long responses;
            try (org.netpreserve.jwarc.WarcReader reader = new org.netpreserve.jwarc.WarcReader(warc)) {
                responses = reader.records().filter(r -> r instanceof org.netpreserve.jwarc.WarcResponse).count();
            }
            assertEquals(lines.size(), responses, "WARC response records");
        }
        System.out.println("crawl kill test: " + PAGES + " pages, " + KILLS + " kills, lines after each: "
                + linesAfterKill);
    }

    @Test
    @Timeout(300)
    void sigtermKeepsWhatWasFetchedPrintsTheSummaryExitsWith143AndTheRerunCompletesTheCrawl() throws Exception {
        Path out = dir.resolve("pages.jsonl");
        // a crawl delay of 20 ms keeps the crawl going long enough to be stopped in the middle
        try (ServeThread server = CrawlCommandTest.serve(new CrawlSite(60, Duration.ofMillis(20)))) {
            String start = server.url + "/site/";
            ChildCommand crawl = crawl(start, out, dir.resolve("pages.warc"));
            Process p = crawl.start();
            ChildCommand.awaitLines(p, out, 10, Duration.ofSeconds(60));
            FetchInterruptTest.signal(p, "TERM");
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "crawl did not end after SIGTERM");
            String err = crawl.err();
            assertEquals(143, p.exitValue(), err);
            assertTrue(err.contains("interrupted; the pages so far are in " + out), err);
            assertTrue(err.contains("fetched "), err);
            assertTrue(!err.contains("Exception"), err);
            long kept = CrawlCommandTest.read(out).size(); // complete lines only
            assertTrue(kept >= 10, "lines: " + kept);

            Process again = crawl.start();
            assertTrue(again.waitFor(120, TimeUnit.SECONDS), "the rerun did not end");
            String err2 = crawl.err();
            assertEquals(1, again.exitValue(), err2); // the site's broken links
            assertTrue(err2.contains("resuming the crawl"), err2);
            List<JsonNode> lines = CrawlCommandTest.read(out);
            Set<String> got = urls(lines);
            assertEquals(lines.size(), got.size(), "a page appears twice");
            Set<String> expected = new HashSet<>();
            CrawlCommandTest.expected(60, 30, false).forEach(path -> expected.add(server.url + path));
            expected.add(server.url + "/site/orphan"); // from the sitemap
            assertEquals(expected, got);
        }
    }

    private static Set<String> urls(List<JsonNode> lines) {
        Set<String> out = new HashSet<>();
        lines.forEach(l -> out.add(l.get("url").asString()));
        return out;
    }

    private ChildCommand crawl(String start, Path out, Path warc) {
        return new ChildCommand(dir, Map.of(), List.of("crawl", start, "-o", out.toString(), "--warc",
                warc.toString(), "--exclude", "/calendar/", "--depth", "30", "--progress", "never"));
    }
}
