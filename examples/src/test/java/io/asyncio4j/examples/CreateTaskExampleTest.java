package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class CreateTaskExampleTest {
    @Test
    void threeBackgroundJobsFinishWithinTheLongestDelay(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            List<String> results = runner.run(() -> new CreateTaskExample().main());

            assertEquals(List.of("Job A done", "Job B done", "Job C done"), results);
            assertEquals(3.0, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of("Tasks running...", "Job A done Job B done Job C done"), console.lines());
    }
}
