package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class RunnerExampleTest {
    @Test
    void bothRunsUseTheRunnersOneLoop(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            new RunnerExample().main(runner);

            assertEquals(1.0, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of(
                "Operation one: running on a loop",
                "Blocking code: no task is running here: currentTask() = null",
                "Operation two: running on the same loop: true"), console.lines());
    }
}
