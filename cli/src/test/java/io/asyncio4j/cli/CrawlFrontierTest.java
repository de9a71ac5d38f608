package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.asyncio4j.Asyncio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CrawlFrontier} on a real SQLite file, closed and reopened as a restarted crawl would. */
class CrawlFrontierTest {

    @TempDir
    Path dir;

    private String state() {
        return dir.resolve("pages.jsonl.state").toString();
    }

    private static List<String> urls(List<CrawlFrontier.Entry> entries) {
        return entries.stream().map(CrawlFrontier.Entry::url).toList();
    }

    @Test
    void aUrlIsOfferedOnceWhateverItsState() {
        List<Boolean> answers = Asyncio.run(() -> {
            try (CrawlFrontier f = CrawlFrontier.open(state())) {
                boolean first = f.offer("http://a.test/", 0, null);
                boolean again = f.offer("http://a.test/", 3, "http://a.test/x");
                f.take(1);
                boolean whileInFlight = f.offer("http://a.test/", 1, null);
                f.done("http://a.test/");
                boolean whenDone = f.offer("http://a.test/", 1, null);
                return List.of(first, again, whileInFlight, whenDone, f.seen("http://a.test/"), f.seen("http://b.test/"));
            }
        });
        assertEquals(List.of(true, false, false, false, true, false), answers);
    }

    /**
     * A page of level 4 links page/15 (queued at 5) before a redirect of level 4 answers with page/15 as its
     * target: the target moves up to level 4, as if the redirect had answered first; a URL in flight or done,
     * or queued no deeper, keeps its depth.
     */
    @Test
    void aRedirectTargetQueuedOneLevelDeeperMovesUpToTheRedirectsLevel() {
        Asyncio.run(() -> {
            try (CrawlFrontier f = CrawlFrontier.open(state())) {
                f.offerAll(List.of("http://a.test/page/15"), 5, "http://a.test/page/7", List.of());
                assertTrue(f.lowerDepth("http://a.test/page/15", 4, "http://a.test/redirect/5"));
                assertFalse(f.lowerDepth("http://a.test/page/15", 4, "http://a.test/redirect/5"));
                assertEquals(OptionalInt.of(4), f.minQueuedDepth());
                assertEquals(List.of(new CrawlFrontier.Entry("http://a.test/page/15", 4, "http://a.test/redirect/5")),
                        f.take(10, 4));
                assertFalse(f.lowerDepth("http://a.test/page/15", 1, null)); // in flight
                f.done("http://a.test/page/15");
                assertFalse(f.lowerDepth("http://a.test/page/15", 1, null)); // done
                assertFalse(f.lowerDepth("http://a.test/unknown", 1, null));
            }
            return null;
        });
    }

    @Test
    void takeHandsOutQueuedUrlsInOfferOrderWithTheirDepthAndReferrer() {
        List<CrawlFrontier.Entry> batches = Asyncio.run(() -> {
            try (CrawlFrontier f = CrawlFrontier.open(state())) {
                f.offer("http://a.test/", 0, null);
                f.offer("http://a.test/2", 1, "http://a.test/");
                f.offer("http://a.test/1", 1, "http://a.test/");
                List<CrawlFrontier.Entry> first = f.take(2);
                List<CrawlFrontier.Entry> second = f.take(2);
                assertEquals(List.of(), f.take(2));
                return List.of(first.get(0), first.get(1), second.get(0));
            }
        });
        assertEquals(List.of(new CrawlFrontier.Entry("http://a.test/", 0, null),
                new CrawlFrontier.Entry("http://a.test/2", 1, "http://a.test/"),
                new CrawlFrontier.Entry("http://a.test/1", 1, "http://a.test/")), batches);
    }

    @Test
    void reopeningPutsInFlightUrlsBackInTheQueueAndNeverHandsOutDoneOnes() {
        Asyncio.run(() -> {
            try (CrawlFrontier f = CrawlFrontier.open(state())) {
                for (String u : List.of("http://a.test/1", "http://a.test/2", "http://a.test/3")) {
                    f.offer(u, 1, null);
                }
                assertEquals(List.of("http://a.test/1", "http://a.test/2"), urls(f.take(2)));
                f.done("http://a.test/1");
                // the run ends here with /2 in flight, as after a kill
            }
            return null;
        });
        List<Object> after = Asyncio.run(() -> {
            try (CrawlFrontier f = CrawlFrontier.open(state())) {
                long requeued = f.requeuedOnOpen();
                List<String> next = urls(f.take(10));
                return List.of(requeued, next, f.counts()[0], f.counts()[1], f.counts()[2]);
            }
        });
        assertEquals(List.of(1L, List.of("http://a.test/2", "http://a.test/3"), 0L, 2L, 1L), after);
    }

    @Test
    void robotsAnswersAreKeptAcrossARestart() {
        byte[] body = "User-agent: *\nDisallow: /private/\n".getBytes(StandardCharsets.UTF_8);
        Asyncio.run(() -> {
            try (CrawlFrontier f = CrawlFrontier.open(state())) {
                f.putRobots("http://a.test:8080", 200, body);
                f.putRobots("http://b.test", 0, new byte[0]);
            }
            return null;
        });
        Asyncio.run(() -> {
            try (CrawlFrontier f = CrawlFrontier.open(state())) {
                CrawlFrontier.RobotsAnswer a = f.robots("http://a.test:8080").orElseThrow();
                assertEquals(200, a.status());
                assertArrayEquals(body, a.body());
                assertEquals(0, f.robots("http://b.test").orElseThrow().status());
                assertTrue(f.robots("http://c.test").isEmpty());
                assertFalse(f.robots("http://a.test").isPresent(), "the port is part of the origin");
                assertEquals(Optional.empty(), f.robots("http://c.test").map(CrawlFrontier.RobotsAnswer::status));
            }
            return null;
        });
    }

    @Test
    void takeSkipsTheOriginsItIsToldToAndLeavesTheUrlsNotAdmittedQueuedInTheirPlace() {
        List<List<String>> batches = Asyncio.run(() -> {
            try (CrawlFrontier f = CrawlFrontier.open(state())) {
                f.offerAll(List.of("http://a.test/1", "http://a.test:8080/1", "http://a.test/2", "http://b.test/1",
                        "http://a.test/3", "http://b.test/2"), 1, null, List.of());
                List<String> notA = urls(f.take(10, 1, List.of("http://a.test"), url -> true));
                List<String> firstOfEach = new ArrayList<>();
                List<String> one = urls(f.take(10, 1, List.of(), url -> {
                    if (firstOfEach.isEmpty()) {
                        firstOfEach.add(url);
                        return true;
                    }
                    return false;
                }));
                List<String> rest = urls(f.take(10, 1, List.of(), url -> true));
                return List.of(notA, one, rest);
            }
        });
        // a.test:8080 is another origin than a.test; a URL not admitted stays queued, in its place
        assertEquals(List.of(List.of("http://a.test:8080/1", "http://b.test/1", "http://b.test/2"),
                List.of("http://a.test/1"), List.of("http://a.test/2", "http://a.test/3")), batches);
    }

    @Test
    void theScopeOptionsAreRecordedOnceAndEachDifferenceIsNamed() {
        List<List<String>> answers = Asyncio.run(() -> {
            Map<String, String> first = new LinkedHashMap<>();
            first.put("URL", "http://a.test/");
            first.put("--depth", "5");
            first.put("--include", "");
            try (CrawlFrontier f = CrawlFrontier.open(state())) {
                List<String> created = f.checkOptions(first);
                List<String> same = f.checkOptions(first);
                Map<String, String> other = new LinkedHashMap<>(first);
                other.put("--depth", "3");
                other.put("--include", "/docs/");
                return List.of(created, same, f.checkOptions(other), f.checkOptions(first));
            }
        });
        assertEquals(List.of(List.of(), List.of(),
                List.of("--depth 5 (this run: 3)", "--include none (this run: /docs/)"), List.of()), answers);
    }
}
