package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.asyncio4j.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code crawl} end to end, in this JVM, against {@code serve --site} ({@link LocalServer} with a
 * {@link CrawlSite}) over loopback: the page set for a depth and a scope (compared with a breadth-first walk of
 * a model of the site written here), robots.txt, the crawl delay measured at the server, the trap, sitemaps,
 * nofollow, redirects, a 429 with Retry-After (on the testing module's {@link TestServer}), resuming, and bad
 * options.
 */
class CrawlCommandTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    /** What one run of the command left: its exit code, stderr and the output's lines. */
    record Outcome(int code, String err, List<JsonNode> lines) {
        Set<String> paths(String origin) {
            Set<String> out = new TreeSet<>();
            lines.forEach(l -> out.add(l.get("url").asString().substring(origin.length())));
            return out;
        }

        JsonNode line(String url) {
            return lines.stream().filter(l -> l.get("url").asString().equals(url)).findFirst().orElseThrow();
        }
    }

    Outcome crawl(String... args) throws Exception {
        return crawl(dir.resolve("pages.jsonl"), args);
    }

    static Outcome crawl(Path out, String... args) throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return cls == CrawlCommand.class ? cls.cast(new CrawlCommand(fd -> false, () -> 80))
                        : CommandLine.defaultFactory().create(cls);
            }
        });
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("crawl", "-o", out.toString(), "--progress", "never"));
        all.addAll(List.of(args));
        int code = cl.execute(all.toArray(String[]::new));
        return new Outcome(code, err.toString(), read(out));
    }

    static List<JsonNode> read(Path out) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        if (Files.exists(out)) {
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    /** A server thread serving {@code site}. */
    static ServeThread serve(CrawlSite site) throws Exception {
        return new ServeThread(LocalServer.builder().site(site));
    }

    /**
     * The model: the paths the generated site links from {@code path} (as {@link CrawlSite} documents them),
     * without the nofollow ones; a redirect's target is its only link, at the same depth.
     */
    static List<String> links(String path, int pages) {
        if (path.equals("/site/")) {
            return List.of("/site/page/0", "/site/nofollow", "/site/calendar/2026-01");
        }
        if (path.startsWith("/site/calendar/")) {
            java.time.YearMonth m = java.time.YearMonth.parse(path.substring("/site/calendar/".length()));
            return List.of("/site/calendar/" + m.plusMonths(1));
        }
        if (!path.startsWith("/site/page/")) {
            return List.of();
        }
        int i = Integer.parseInt(path.substring("/site/page/".length()));
        List<String> out = new ArrayList<>();
        for (long child : new long[] {2L * i + 1, 2L * i + 2}) {
            if (child < pages) {
                out.add("/site/page/" + child);
            }
        }
        out.add("/site/");
        out.add(path);
        switch (i % 10) {
            case 3 -> out.add("/site/missing/" + i);
            case 5 -> out.add("/site/redirect/" + i);
            case 7 -> {
                out.add("/site/files/" + i + ".pdf");
                out.add("/site/private/" + i);
            }
            default -> {
            }
        }
        return out;
    }

    /** Breadth-first over the model from /site/, to {@code depth}, without /site/private/ (robots.txt). */
    static Set<String> expected(int pages, int depth, boolean calendar) {
        // each page at its shortest depth: a link is one level deeper, a redirect's target at the redirect's own
        // depth (a 0-1 breadth-first search: same-depth targets go to the front of the queue)
        Map<String, Integer> seen = new HashMap<>(Map.of("/site/", 0));
        Deque<String> queue = new ArrayDeque<>(List.of("/site/"));
        while (!queue.isEmpty()) {
            String path = queue.removeFirst();
            int d = seen.get(path);
            boolean redirect = path.startsWith("/site/redirect/");
            List<String> next = redirect
                    ? List.of("/site/page/" + (3L * Integer.parseInt(path.substring(15))) % pages) : links(path, pages);
            int nd = redirect ? d : d + 1;
            for (String link : next) {
                if (nd <= depth && nd < seen.getOrDefault(link, Integer.MAX_VALUE) && !link.startsWith("/site/private/")
                        && (calendar || !link.startsWith("/site/calendar/"))) {
                    seen.put(link, nd);
                    if (redirect) {
                        queue.addFirst(link);
                    } else {
                        queue.addLast(link);
                    }
                }
            }
        }
        return new TreeSet<>(seen.keySet());
    }

    @Test
    void aCrawlFetchesExactlyThePagesWithinTheDepthEachOnceAndStopsTheCalendarTrap() throws Exception {
        try (ServeThread server = serve(new CrawlSite(60, Duration.ZERO))) {
            Outcome o = crawl(server.url + "/site/", "--depth", "4", "--no-sitemaps", "-c", "8");
            assertEquals(1, o.code(), o.err()); // the site has broken links
            assertEquals(expected(60, 4, true), o.paths(server.url), o.err());
            assertEquals(o.lines().size(), o.paths(server.url).size(), "a page appears twice");
            assertEquals(4, o.paths(server.url).stream().filter(p -> p.startsWith("/site/calendar/")).count());
            JsonNode page = o.line(server.url + "/site/page/1");
            assertEquals(200, page.get("status").asInt());
            assertEquals(2, page.get("depth").asInt());
            assertEquals(server.url + "/site/page/0", page.get("referrer").asString());
            assertEquals("page 1", page.get("title").asString());
            assertEquals(4, page.get("links").asInt()); // pages 3 and 4, home, itself
            assertEquals(List.of("url", "final_url", "status", "depth", "referrer", "content_type", "bytes", "title",
                    "links", "elapsed_ms", "error"), List.copyOf(page.propertyNames()));
            JsonNode missing = o.line(server.url + "/site/missing/3");
            assertEquals("http_status: 404", missing.get("error").asString());
            assertTrue(o.err().contains("  skipped: robots-excluded "), o.err());
        }
    }

    @Test
    void anExcludePatternKeepsTheTrapOutOfScope() throws Exception {
        try (ServeThread server = serve(new CrawlSite(30, Duration.ZERO))) {
            Outcome o = crawl(server.url + "/site/", "--depth", "6", "--no-sitemaps", "--exclude", "/calendar/");
            assertEquals(expected(30, 6, false), o.paths(server.url), o.err());
            assertTrue(o.err().contains("off-scope 1,"), o.err()); // the calendar's first month, counted once
        }
    }

    @Test
    void robotsTxtDisallowedPathsNofollowLinksAndTheHiddenPagesAreNeverRequested() throws Exception {
        CrawlSite site = new CrawlSite(40, Duration.ZERO);
        Queue<CrawlSite.Arrival> arrivals = new ConcurrentLinkedQueue<>();
        site.recordArrivals(arrivals);
        try (ServeThread server = serve(site)) {
            Outcome o = crawl(server.url + "/site/", "--depth", "8", "--exclude", "/calendar/");
            List<String> requested = arrivals.stream().map(CrawlSite.Arrival::path).toList();
            assertTrue(requested.contains("/site/page/17"), requested.toString());
            assertTrue(requested.stream().noneMatch(p -> p.startsWith("/site/private/")), requested.toString());
            assertTrue(requested.stream().noneMatch(p -> p.startsWith("/site/hidden/")), requested.toString());
            assertEquals(1, requested.stream().filter(p -> p.equals("/robots.txt")).count());
            assertTrue(o.err().contains("robots-excluded 4,"), o.err()); // pages 7, 17, 27, 37 link a private page
        }
    }

    @Test
    void sitemapsFromRobotsTxtBringTheOrphanPageAndEveryPageAtDepthOne() throws Exception {
        try (ServeThread server = serve(new CrawlSite(50, Duration.ZERO))) {
            Outcome o = crawl(server.url + "/site/", "--depth", "1", "--exclude", "/calendar/");
            Set<String> paths = o.paths(server.url);
            assertTrue(paths.contains("/site/orphan"), paths.toString());
            for (int i = 0; i < 50; i++) {
                assertTrue(paths.contains("/site/page/" + i), "page " + i + " " + paths);
            }
            assertEquals(server.url + "/site/sitemap-1.xml", o.line(server.url + "/site/orphan").get("referrer").asString());
            assertTrue(o.err().contains("sitemaps: 2 read (51 URLs), 0 failed"), o.err());
        }
    }

    @Test
    void aRedirectIsALineOfItsOwnAndItsTargetIsFetched() throws Exception {
        try (ServeThread server = serve(new CrawlSite(100, Duration.ZERO))) {
            Outcome o = crawl(server.url + "/site/page/5", "--depth", "1", "--no-sitemaps");
            JsonNode redirect = o.line(server.url + "/site/redirect/5");
            assertEquals(301, redirect.get("status").asInt());
            assertEquals(server.url + "/site/page/15", redirect.get("final_url").asString());
            assertEquals(1, redirect.get("depth").asInt());
            JsonNode target = o.line(server.url + "/site/page/15");
            assertEquals(server.url + "/site/redirect/5", target.get("referrer").asString());
            assertEquals(1, target.get("depth").asInt());
        }
    }

    @Test
    void requestsToOneHostStartNoCloserThanTheRobotsCrawlDelay() throws Exception {
        gapsAtLeast(new CrawlSite(12, Duration.ofMillis(200)), Duration.ofMillis(200));
    }

    @Test
    void requestsToOneHostStartNoCloserThanTheDelayOption() throws Exception {
        gapsAtLeast(new CrawlSite(12, Duration.ZERO), Duration.ofMillis(150), "--delay", "150ms");
    }

    /**
     * Crawls {@code site} with 4 slots per host and checks the gaps between the server's arrivals. The server
     * notes a request's time when it routes it, after the request arrived and before its answer left; the
     * crawler starts the next request to the host a gap after the previous answer came. So the noted times
     * are at least the gap apart, whatever the network or the machine's load (1 ms allowed for the rounding
     * of the loop clock's seconds).
     */
    private void gapsAtLeast(CrawlSite site, Duration gap, String... more) throws Exception {
        Queue<CrawlSite.Arrival> arrivals = new ConcurrentLinkedQueue<>();
        site.recordArrivals(arrivals);
        try (ServeThread server = serve(site)) {
            List<String> args = new ArrayList<>(List.of(server.url + "/site/", "--depth", "3", "--exclude",
                    "/calendar/", "--no-sitemaps", "-c", "8", "--per-host", "4"));
            args.addAll(List.of(more));
            Outcome o = crawl(args.toArray(String[]::new));
            List<Long> times = arrivals.stream().map(CrawlSite.Arrival::nanos).sorted().toList();
            assertTrue(times.size() >= 8, o.err());
            long least = Long.MAX_VALUE;
            List<String> all = new ArrayList<>();
            List<CrawlSite.Arrival> sorted = arrivals.stream().sorted(java.util.Comparator.comparingLong(CrawlSite.Arrival::nanos)).toList();
            for (int i = 1; i < times.size(); i++) {
                least = Math.min(least, times.get(i) - times.get(i - 1));
                all.add(sorted.get(i).path() + " " + (times.get(i) - times.get(i - 1)) / 1_000_000);
            }
            assertTrue(least >= gap.toNanos() - 1_000_000L, "a gap of " + least / 1e6 + " ms " + all);
        }
    }

    /** The retry is measured from the 429's answer, so its arrival is at least Retry-After later. */
    @Test
    void a429WithRetryAfterPausesTheHostForThatLongAndTheUrlIsFetchedAgain() throws Exception {
        AtomicInteger home = new AtomicInteger();
        Queue<Long> times = new ConcurrentLinkedQueue<>();
        Queue<String> agents = new ConcurrentLinkedQueue<>();
        try (TestServer server = TestServer.start(request -> {
            if (!request.path().equals("/")) {
                return io.asyncio4j.testing.Reply.status(404);
            }
            times.add(System.nanoTime());
            agents.add(request.header("User-Agent"));
            return home.getAndIncrement() == 0 ? io.asyncio4j.testing.Reply.status(429).header("Retry-After", "1")
                    : io.asyncio4j.testing.Reply.status(200).header("Content-Type", "text/html")
                            .body("<html><title>home</title></html>");
        })) {
            Outcome o = crawl(server.url("/"));
            assertEquals(0, o.code(), o.err());
            assertEquals(1, o.lines().size());
            assertEquals(200, o.lines().getFirst().get("status").asInt());
            assertEquals("home", o.lines().getFirst().get("title").asString());
            List<Long> t = List.copyOf(times);
            assertEquals(2, t.size());
            assertTrue(t.get(1) - t.get(0) >= 1_000_000_000L, "retried after " + (t.get(1) - t.get(0)) / 1e6 + " ms");
            assertEquals(List.of("asyncio4j-crawl/" + Main.version(), "asyncio4j-crawl/" + Main.version()),
                    List.copyOf(agents));
        }
    }

    @Test
    void aRerunAfterAPageLimitContinuesWithoutFetchingAPageTwiceAndCutsAPartialLastLine() throws Exception {
        try (ServeThread server = serve(new CrawlSite(40, Duration.ZERO))) {
            Outcome first = crawl(server.url + "/site/", "--depth", "5", "--no-sitemaps", "--exclude", "/calendar/",
                    "--max-pages", "10");
            assertEquals(10, first.lines().size(), first.err());
            Files.writeString(dir.resolve("pages.jsonl"), "{\"url\":\"http://cut", java.nio.file.StandardOpenOption.APPEND);
            Outcome second = crawl(server.url + "/site/", "--depth", "5", "--no-sitemaps", "--exclude", "/calendar/");
            assertTrue(second.err().contains("resuming the crawl"), second.err());
            assertEquals(expected(40, 5, false), second.paths(server.url), second.err());
            assertEquals(second.lines().size(), second.paths(server.url).size(), "a page appears twice");
        }
    }

    @Test
    void aRerunWithOtherScopeOptionsIsRefusedWithExitCode2AndLeavesTheCrawlAsItWas() throws Exception {
        try (ServeThread server = serve(new CrawlSite(20, Duration.ZERO))) {
            Outcome first = crawl(server.url + "/site/", "--depth", "2", "--no-sitemaps", "--max-pages", "3");
            assertEquals(3, first.lines().size(), first.err());
            Outcome deeper = crawl(server.url + "/site/", "--depth", "4", "--no-sitemaps", "--exclude", "/calendar/");
            assertEquals(2, deeper.code(), deeper.err());
            assertTrue(deeper.err().contains("pages.jsonl.state holds a crawl started with other scope options: "
                    + "--exclude none (this run: /calendar/), --depth 2 (this run: 4); run it again with the options"
                    + " it was started with"), deeper.err());
            assertEquals(1, deeper.err().strip().lines().count(), deeper.err());
            assertEquals(first.lines(), deeper.lines());
            Outcome same = crawl(server.url + "/site/", "--depth", "2", "--no-sitemaps", "--max-pages", "5");
            assertEquals(5, same.lines().size(), same.err()); // --max-pages may change
        }
    }

    @Test
    void anOutputShorterThanItsStateFileSaysIsRefusedWithExitCode2() throws Exception {
        try (ServeThread server = serve(new CrawlSite(10, Duration.ZERO))) {
            Outcome first = crawl(server.url + "/site/", "--max-pages", "3", "--no-sitemaps");
            assertEquals(3, first.lines().size(), first.err());
            Files.writeString(dir.resolve("pages.jsonl"), "");
            Outcome again = crawl(server.url + "/site/", "--no-sitemaps");
            assertEquals(2, again.code(), again.err());
            assertTrue(again.err().contains("pages.jsonl holds 0 bytes, fewer than the "), again.err());
            assertTrue(again.err().contains("delete the state file to crawl again from the start"), again.err());
            assertEquals(1, again.err().strip().lines().count(), again.err());
        }
    }

    @Test
    void ignoreRobotsPrintsAWarningAndFetchesDisallowedPaths() throws Exception {
        try (ServeThread server = serve(new CrawlSite(10, Duration.ZERO))) {
            Outcome o = crawl(server.url + "/site/page/7", "--depth", "1", "--ignore-robots", "--no-sitemaps");
            assertTrue(o.err().startsWith("asyncio4j crawl: warning: --ignore-robots"), o.err());
            assertTrue(o.paths(server.url).contains("/site/private/7"), o.paths(server.url).toString());
        }
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, cl.execute("crawl", "--help"));
        String help = out.toString();
        for (String option : List.of("--output=FILE", "--state=FILE", "--allow-domain=DOMAIN", "--include=REGEX",
                "--exclude=REGEX", "--depth=N", "--max-pages=N", "--max-bytes=SIZE", "--concurrency=N", "--per-host=N",
                "--delay=DURATION", "--max-crawl-delay=DURATION", "--user-agent=TEXT", "--ignore-robots",
                "--[no-]sitemaps", "--strip-query-params=NAMES", "--sort-query", "--save=DIR", "--warc=FILE")) {
            assertTrue(help.contains(option), option + " in\n" + help);
        }
        for (String value : List.of("(default: 5)", "(default: 10MiB)", "(default: 32)", "(default: 30s)")) {
            assertTrue(help.contains(value), value + " in\n" + help);
        }
    }

    @Test
    void badOptionsAreOneLineUsageErrorsWithExitCode2() throws Exception {
        String[][] cases = {
            {"ftp://example.com/", "Invalid URL 'ftp://example.com/'"},
            {"http://example.com/", "--depth", "-1", "'--depth': -1 is negative"},
            {"http://example.com/", "-c", "0", "'--concurrency': 0 is not a positive integer"},
            {"http://example.com/", "--per-host", "0", "'--per-host': 0 is not a positive integer"},
            {"http://example.com/", "--max-pages", "0", "'--max-pages': 0 is not a positive integer"},
            {"http://example.com/", "--max-bytes", "ten", "'--max-bytes': 'ten' is not a size"},
            {"http://example.com/", "--include", "(", "'--include': '(' is not a regular expression"},
            {"http://example.com/", "--allow-domain", "a b", "'--allow-domain': 'a b' is not a domain name"},
            {"http://example.com/", "--delay", "soon", "--delay"},
        };
        for (String[] c : cases) {
            Outcome o = crawl(java.util.Arrays.copyOf(c, c.length - 1));
            assertEquals(2, o.code(), o.err());
            assertTrue(o.err().contains(c[c.length - 1]), o.err());
            assertEquals(1, o.err().strip().lines().count(), o.err());
            assertFalse(o.err().contains("Exception"), o.err());
        }
    }
}
