package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class CrawlerExampleTest {
    @Test
    void everyPageIsFetchedOnceLevelByLevel(Console console) {
        List<CrawlerExample.Page> pages;
        try (Runner runner = Runner.builder().build()) {
            pages = runner.run(() -> new CrawlerExample(null).main());
        }
        assertEquals(13, pages.stream().map(CrawlerExample.Page::url).distinct().count());
        List<String> expected = new ArrayList<>(List.of(
                "depth 0: 1 page",
                "  [200] /links/12 (12 links, 12 new)",
                "depth 1: 12 pages"));
        for (int i = 0; i < 12; i++) {
            expected.add("  [200] /links/12/" + i + " (11 links, 0 new)");
        }
        expected.add("crawled 13 pages, 0 failed");
        assertEquals(expected, console.lines());
    }

    @Test
    void theDepthLimitStopsTheCrawl(Console console) {
        List<CrawlerExample.Page> pages;
        try (Runner runner = Runner.builder().build()) {
            pages = runner.run(() -> {
                try (TargetServer server = TargetServer.start(null, Duration.ZERO)) {
                    return new CrawlerExample(null)
                            .crawl(URI.create(server.url() + "/links/5"), 0, 4);
                }
            });
        }
        assertEquals(1, pages.size());
        assertEquals(List.of("depth 0: 1 page", "  [200] /links/5 (5 links, 5 new)"), console.lines());
    }
}
