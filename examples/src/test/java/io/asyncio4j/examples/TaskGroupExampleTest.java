package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class TaskGroupExampleTest {
    @Test
    void theGroupWaitsForItsTasksAndCancelsTheOthersWhenOneFails(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            List<Integer> results = runner.run(() -> new TaskGroupExample().main());

            assertEquals(List.of(5, 4, 5), results);
            // 1 s group, 1 s until task_b fails (not the 3 s of task_c), 1 s per gather
            assertEquals(4.0, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of(
                "[5, 4, 5]",
                "task_a cancelled",
                "task_c cancelled",
                "task_b failed",
                "[5, 4, 5]",
                "[5, 4, 5]"), console.lines());
    }
}
