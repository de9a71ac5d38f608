package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class BackgroundTasksExampleTest {
    @Test
    void finishedTasksRemoveThemselvesFromTheSet(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            int left = runner.run(() -> new BackgroundTasksExample().main());

            assertEquals(0, left);
        }
        assertEquals(List.of(
                "Background tasks: 3, live tasks: 4",
                "Job 1 done",
                "Job 2 done",
                "Job 3 done",
                "Background tasks: 0, live tasks: 1"), console.lines());
    }
}
