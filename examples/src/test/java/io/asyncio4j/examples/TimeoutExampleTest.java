package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Smoke test of {@link TimeoutExample} (seeds 001 §6 and 002 timeout/wait_for) on virtual time. */
class TimeoutExampleTest {
    @Test
    void waitForAndTimeoutRaiseTimeoutError() {
        Console console = new Console();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            String result = runner.run(() -> new TimeoutExample(console.out).main());
            assertEquals(4.0, runner.getLoop().time(), 1e-9);
            assertEquals("null", String.valueOf(result));
        }
        assertEquals(List.of(
                "Timeout!",
                "Timeout! (asyncio.timeout)"), console.lines());
    }
}
