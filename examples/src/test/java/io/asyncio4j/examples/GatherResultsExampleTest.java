package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Smoke test of {@link GatherResultsExample} (seeds 001 §5 and 002 gather) on virtual time. */
class GatherResultsExampleTest {
    @Test
    void gatherReturnsResultsInTheOrderGiven() {
        Console console = new Console();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            List<String> result = runner.run(() -> new GatherResultsExample(console.out).main());
            assertEquals(3.0, runner.getLoop().time(), 1e-9);
            assertEquals("[User 1, User 2, User 3]", result.toString());
        }
        assertEquals(List.of(
                "[url1 data, url2 data, url3 data]",
                "[User 1, User 2, User 3]"), console.lines());
    }
}
