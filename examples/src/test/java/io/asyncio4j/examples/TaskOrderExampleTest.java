package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class TaskOrderExampleTest {
    @Test
    void tasksStartWhenMainWaitsAndEndInOrderOfTheirDelays(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            List<String> results = runner.run(() -> new TaskOrderExample().main());

            assertEquals(List.of("A", "B"), results);
            assertEquals(2.0, runner.getLoop().time(), 1e-9);
        }
        // the output the tutorial lists
        assertEquals(List.of("Tasks created", "A started", "B started", "B done", "A done", "Results: A, B"),
                console.lines());
    }
}
