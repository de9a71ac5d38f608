package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netpreserve.jwarc.MessageVersion;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcRequest;
import org.netpreserve.jwarc.WarcResponse;
import tools.jackson.databind.JsonNode;

/** {@code crawl --save} and {@code --warc}: where bodies go, and the WARC file read back with jwarc's reader. */
class CrawlArchiveTest {

    @TempDir
    Path dir;

    @Test
    void savePathsAreStableInsideTheDirectoryWhateverTheUrl() {
        Path root = dir.resolve("saved");
        String[][] cases = {
            {"http://a.test/", "a.test/index.html"},
            {"http://a.test:8080/x/y", "a.test_8080/x/y"},
            {"http://a.test/x/", "a.test/x/index.html"},
            {"http://a.test/search?q=a%20b&x=1", "a.test/search%3Fq=a%20b%26x=1"},
            {"http://a.test/?page=2", "a.test/index.html%3Fpage=2"},
            {"http://a.test/a/../../b", "a.test/a/%2E%2E/%2E%2E/b"},
            {"http://a.test/%2E%2E/etc/passwd", "a.test/%2E%2E/etc/passwd"},
            {"http://a.test/a//b", "a.test/a/_/b"},
            {"http://a.test/%C3%A9t%C3%A9", "a.test/%C3%A9t%C3%A9"},
            {"http://a.test/x:y*z%7Cw", "a.test/x%3Ay%2Az%7Cw"},
        };
        for (String[] c : cases) {
            assertEquals(root.resolve(c[1]), CrawlArchive.savePath(root, c[0]), c[0]);
        }
        String longName = "x".repeat(300);
        Path p = CrawlArchive.savePath(root, "http://a.test/" + longName);
        assertTrue(p.getFileName().toString().length() <= 200, p.toString());
        assertEquals(p, CrawlArchive.savePath(root, "http://a.test/" + longName), "stable");
        assertTrue(!p.equals(CrawlArchive.savePath(root, "http://a.test/" + longName + "y")), "distinct");
    }

    @Test
    void saveStoresEachBodyByPathAndAFileInTheWayOfADirectoryMovesToIndexHtml() throws Exception {
        try (TestServer server = TestServer.start(request -> switch (request.path()) {
            case "/" -> html("<a href=\"/a\">a</a>");
            case "/a" -> html("<title>a</title><a href=\"/a/b\">b</a>");
            case "/a/b" -> html("<title>b</title>");
            default -> Reply.status(404);
        })) {
            Path saved = dir.resolve("saved");
            CrawlCommandTest.Outcome o = CrawlCommandTest.crawl(dir.resolve("pages.jsonl"), server.url("/"),
                    "--save", saved.toString());
            assertEquals(0, o.code(), o.err());
            Path host = saved.resolve("127.0.0.1_" + server.port());
            assertTrue(Files.readString(host.resolve("index.html")).contains("href=\"/a\""));
            assertTrue(Files.readString(host.resolve("a/index.html")).contains("<title>a</title>"));
            assertTrue(Files.readString(host.resolve("a/b")).contains("<title>b</title>"));
        }
    }

    private static Reply html(String body) {
        return Reply.status(200).header("Content-Type", "text/html; charset=utf-8").body(body);
    }

    @Test
    void theWarcFileHoldsARequestAndAResponsePerLineAndARerunAppendsWithoutRepeatingOne() throws Exception {
        try (ServeThread server = CrawlCommandTest.serve(new CrawlSite(30, Duration.ZERO))) {
            Path out = dir.resolve("pages.jsonl");
            Path warc = dir.resolve("pages.warc");
            String[] args = {server.url + "/site/", "--warc", warc.toString(), "--exclude", "/calendar/"};
            List<String> first = new ArrayList<>(List.of(args));
            first.addAll(List.of("--max-pages", "7"));
            CrawlCommandTest.Outcome partial = CrawlCommandTest.crawl(out, first.toArray(String[]::new));
            assertEquals(7, partial.lines().size(), partial.err());
            CrawlCommandTest.Outcome o = CrawlCommandTest.crawl(out, args);
            assertTrue(o.err().contains("resuming the crawl"), o.err());

            Set<String> lineUrls = new HashSet<>();
            o.lines().forEach(l -> lineUrls.add(l.get("url").asString()));
            List<String> responses = new ArrayList<>();
            int requests = 0;
            try (WarcReader reader = new WarcReader(warc)) {
                for (WarcRecord r : reader) {
                    assertEquals(MessageVersion.WARC_1_1, r.version());
                    if (r instanceof WarcRequest q) {
                        requests++;
                        assertEquals("GET", q.http().method());
                    } else if (r instanceof WarcResponse resp) {
                        responses.add(resp.target());
                        JsonNode line = o.line(resp.target());
                        assertEquals(line.get("status").asInt(), resp.http().status(), resp.target());
                        assertEquals(line.get("bytes").asLong(), resp.http().body().size(), resp.target());
                    }
                }
            }
            assertEquals(o.lines().size(), responses.size(), "one response record per line");
            assertEquals(responses.size(), requests);
            assertEquals(lineUrls, new HashSet<>(responses));
            assertEquals(responses.size(), new HashSet<>(responses).size(), "a response record appears twice");

            byte[] page = Asyncio.run(() -> {
                try (ClientSession s = ClientSession.builder().build()) {
                    return s.get(server.url + "/site/page/3").bytes();
                }
            });
            try (WarcReader reader = new WarcReader(warc)) {
                for (WarcRecord r : reader) {
                    if (r instanceof WarcResponse resp && URI.create(resp.target()).getPath().equals("/site/page/3")) {
                        assertArrayEquals(page, resp.http().body().stream().readAllBytes());
                        assertEquals("text/html; charset=utf-8", resp.http().headers().first("Content-Type").orElseThrow());
                    }
                }
            }
            assertTrue(new String(Files.readAllBytes(warc), 0, 9, StandardCharsets.US_ASCII).startsWith("WARC/1.1"));
        }
    }
}
