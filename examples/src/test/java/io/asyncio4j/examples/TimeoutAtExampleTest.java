package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Smoke test of {@link TimeoutAtExample} (seed 003 timeout_at) on virtual time. */
class TimeoutAtExampleTest {
    @Test
    void timeoutAtExpiresAtTheGivenLoopTime() {
        Console console = new Console();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            String result = runner.run(() -> new TimeoutAtExample(console.out).main());
            assertEquals(10.0, runner.getLoop().time(), 1e-9);
            assertEquals("null", String.valueOf(result));
        }
        assertEquals(List.of(
                "Timeout occurred",
                "Timeout occurred at 10.0 s"), console.lines());
    }
}
