package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class ErrorHandlingExampleTest {
    @Test
    void gatherSettledCollectsTheFailureWaitForTimesOutAndTheGroupSucceeds(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(() -> new ErrorHandlingExample().main());

            assertEquals(2.5, runner.getLoop().time(), 1e-9); // 1 s gather, 0.5 s timeout, 1 s group
        }
        assertEquals(List.of(
                "Success: task1 succeeded",
                "Error: 'fail' failed!",
                "Success: task3 succeeded",
                "Timed out!",
                "task1 succeeded task2 succeeded"), console.lines());
    }
}
