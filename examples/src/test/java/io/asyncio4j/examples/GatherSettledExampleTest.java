package io.asyncio4j.examples;

import io.asyncio4j.Outcome;
import io.asyncio4j.Runner;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Smoke test of {@link GatherSettledExample} (seeds 000/001/002 gather(return_exceptions=True)) on virtual time. */
class GatherSettledExampleTest {
    @Test
    void gatherSettledReturnsFailuresAsValues() {
        Console console = new Console();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            List<Outcome<Integer>> result = runner.run(() -> new GatherSettledExample(console.out).main());
            assertEquals(2.0, runner.getLoop().time(), 1e-9);
            assertEquals("[Success[value=1], Failure[exception=java.lang.IllegalArgumentException: Error!], Success[value=3]]", result.toString());
        }
        assertEquals(List.of(
                "[Success[value=1], Failure[exception=java.lang.IllegalArgumentException: Error!], Success[value=3]]",
                "Success: Task 1 result",
                "Error: Task 2 failed",
                "Result: 1",
                "Error: An error occurred!",
                "Result: 3"), console.lines());
    }
}
