package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TaskExceptionExampleTest {
    @Test
    void theAwaiterCatchesTheTasksException() {
        Console console = new Console();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            String message = runner.run(() -> new TaskExceptionExample(console.out).main());

            assertEquals("Error!", message);
        }
        assertEquals(List.of("Exception raised: Error!"), console.lines());
    }
}
