package io.asyncio4j.examples;

import io.asyncio4j.Outcome;
import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

@ExtendWith(Console.class)
class GatherSettledExampleTest {
    @Test
    void failuresBecomeResultsAndTheOtherTasksRunToTheEnd(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            List<Outcome<Integer>> results = runner.run(() -> new GatherSettledExample().main());

            assertEquals(new Outcome.Success<>(1), results.get(0));
            Outcome.Failure<Integer> failure = assertInstanceOf(Outcome.Failure.class, results.get(1));
            assertInstanceOf(IllegalArgumentException.class, failure.exception());
            assertEquals(new Outcome.Success<>(3), results.get(2));
            assertEquals(2.0, runner.getLoop().time(), 1e-9); // 1 s for might_fail, 1 s for task1
        }
        assertEquals(List.of(
                "[1, IllegalArgumentException(\"Error!\"), 3]",
                "Success: Task 1 result",
                "Error: Task 2 failed",
                "Result: 1",
                "Error: An error occurred!",
                "Result: 3"), console.lines());
    }
}
