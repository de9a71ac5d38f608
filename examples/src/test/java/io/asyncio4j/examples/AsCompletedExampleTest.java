package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Smoke test of {@link AsCompletedExample} (seed 001 §5 as_completed) on virtual time. */
class AsCompletedExampleTest {
    @Test
    void outputsResultsInTheOrderTheFetchesFinish() {
        Console console = new Console();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            List<String> result = runner.run(() -> new AsCompletedExample(console.out).main());
            assertEquals(3.0, runner.getLoop().time(), 1e-9);
            assertEquals("[url2 data, url3 data, url1 data]", result.toString());
        }
        assertEquals(List.of(
                "url2 data",
                "url3 data",
                "url1 data"), console.lines());
    }
}
