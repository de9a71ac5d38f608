package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class TaskExceptionExampleTest {
    @Test
    void theAwaiterCatchesTheTasksException(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            String message = runner.run(() -> new TaskExceptionExample().main());

            assertEquals("Error!", message);
        }
        assertEquals(List.of("Exception raised: Error!"), console.lines());
    }
}
