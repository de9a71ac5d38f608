package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Smoke test of {@link TaskGroupExample} (seeds 000 and 003 TaskGroup) on virtual time. */
class TaskGroupExampleTest {
    @Test
    void aFailingTaskCancelsItsSiblingsAndTheGroupReportsIt() {
        Console console = new Console();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            List<Integer> result = runner.run(() -> new TaskGroupExample(console.out).main());
            assertEquals(4.0, runner.getLoop().time(), 1e-9);
            assertEquals("[5, 4, 5]", result.toString());
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
