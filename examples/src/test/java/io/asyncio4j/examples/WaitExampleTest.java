package io.asyncio4j.examples;

import io.asyncio4j.Done;
import io.asyncio4j.Runner;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Smoke test of {@link WaitExample} (seeds 001 §5 and 002 wait) on virtual time. */
class WaitExampleTest {
    @Test
    void waitReturnsAtTheFirstCompletedAndWithATimeout() {
        Console console = new Console();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            Done<String> result = runner.run(() -> new WaitExample(console.out).main());
            assertEquals(2.0, runner.getLoop().time(), 1e-9);
            assertEquals(1, result.done().size());
            assertEquals(2, result.pending().size());
        }
        assertEquals(List.of(
                "Done: 1, pending: 2",
                "First: url2 data",
                "Done: 5, pending: 0",
                "Done: 5, pending: 0"), console.lines());
    }
}
