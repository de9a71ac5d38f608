package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class FetchUrlsExampleTest {
    @Test
    void threePostsAreFetchedAtOnceAndPrintedInUrlOrder(Console console) {
        List<FetchUrlsExample.Fetched> results;
        try (Runner runner = Runner.builder().build()) {
            results = runner.run(() -> new FetchUrlsExample(null).main());
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
