package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Smoke test of {@link ErrorHandlingExample} (seed 000 error handling) on virtual time. */
class ErrorHandlingExampleTest {
    @Test
    void reportsEachFailureAndTheTimeoutWithoutStoppingTheOthers() {
        Console console = new Console();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(() -> new ErrorHandlingExample(console.out).main());
            assertEquals(2.5, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of(
                "Success: task1 succeeded",
                "Error: 'fail' failed!",
                "Success: task3 succeeded",
                "Timed out!",
                "task1 succeeded task2 succeeded"), console.lines());
    }
}
