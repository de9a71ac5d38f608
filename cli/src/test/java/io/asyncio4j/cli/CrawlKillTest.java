package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
        String java = javaBinary();
        Path out = dir.resolve("pages.jsonl");
        Path warc = dir.resolve("pages.warc");
        Random random = new Random(SEED);
        List<Long> linesAfterKill = new ArrayList<>();
        try (ServeThread server = CrawlCommandTest.serve(new CrawlSite(PAGES, Duration.ZERO))) {
            String start = server.url + "/site/";
            Set<String> reference = urls(CrawlCommandTest.crawl(dir.resolve("reference.jsonl"), start,
                    "--exclude", "/calendar/", "--depth", "30").lines());
            List<String> cmd = command(java, start, out, warc);
            long expected = reference.size();
            for (int k = 0; k < KILLS; k++) {
                Process p = start(cmd);
                long before = lines(out);
                long target = before + 1 + random.nextInt((int) Math.max(1, (expected - before) / (KILLS - k + 1)));
                int extraMillis = random.nextInt(40);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (p.isAlive() && lines(out) < target && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                Thread.sleep(extraMillis);
                p.destroyForcibly(); // SIGKILL: no hook, no flush
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the killed JVM did not end");
                linesAfterKill.add(lines(out));
            }
            Process last = start(cmd);
            assertTrue(last.waitFor(300, TimeUnit.SECONDS), "the last run did not end");
            assertEquals(1, last.exitValue(), Files.readString(dir.resolve("err.txt"))); // the site's broken links
            List<JsonNode> lines = CrawlCommandTest.read(out);
            Set<String> got = urls(lines);
            assertEquals(lines.size(), got.size(), "a page appears twice");
            assertEquals(reference, got, Files.readString(dir.resolve("err.txt")));
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
            List<String> cmd = new ArrayList<>(command(javaBinary(), start, out, dir.resolve("pages.warc")));
            Process p = start(cmd);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (p.isAlive() && lines(out) < 10 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            FetchInterruptTest.signal(p, "TERM");
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "crawl did not end after SIGTERM");
            String err = Files.readString(dir.resolve("err.txt"));
            assertEquals(143, p.exitValue(), err);
            assertTrue(err.contains("interrupted; the pages so far are in " + out), err);
            assertTrue(err.contains("fetched "), err);
            assertTrue(!err.contains("Exception"), err);
            long kept = CrawlCommandTest.read(out).size(); // complete lines only
            assertTrue(kept >= 10, "lines: " + kept);

            Process again = start(cmd);
            assertTrue(again.waitFor(120, TimeUnit.SECONDS), "the rerun did not end");
            String err2 = Files.readString(dir.resolve("err.txt"));
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

    private static String javaBinary() {
        String java = ProcessHandle.current().info().command().orElse(null);
        assumeTrue(java != null, "cannot tell the running java binary");
        return java;
    }

    /** The child's command line: C1 only and the serial GC, so that it starts twice as fast on a busy machine. */
    private static List<String> command(String java, String start, Path out, Path warc) {
        return List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "--add-opens",
                "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.asyncio4j.cli.Main", "crawl", start,
                "-o", out.toString(), "--warc", warc.toString(), "--exclude", "/calendar/", "--depth", "30",
                "--progress", "never");
    }

    /** The newlines in {@code file} so far (0 before it exists). */
    private static long lines(Path file) throws java.io.IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        long n = 0;
        for (byte b : Files.readAllBytes(file)) {
            n += b == '\n' ? 1 : 0;
        }
        return n;
    }

    private Process start(List<String> cmd) throws Exception {
        File err = dir.resolve("err.txt").toFile();
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err).start();
    }
}
