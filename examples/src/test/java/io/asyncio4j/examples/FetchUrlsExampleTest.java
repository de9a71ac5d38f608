package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FetchUrlsExampleTest {
    @Test
    void threePostsAreFetchedAtOnceAndPrintedInUrlOrder() {
        Console console = new Console();
        List<FetchUrlsExample.Fetched> results;
        try (Runner runner = Runner.builder().build()) {
            results = runner.run(() -> new FetchUrlsExample(console.out, null, Duration.ofMillis(5)).main());
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, ((Map<?, ?>) results.get(i).data()).get("id"));
        }
        assertEquals(List.of(
                "[200] BASE/posts/1",
                "[200] BASE/posts/2",
                "[200] BASE/posts/3"), console.linesWithBase());
    }
}
