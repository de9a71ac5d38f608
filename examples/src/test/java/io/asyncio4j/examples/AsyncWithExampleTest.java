package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class AsyncWithExampleTest {
    @Test
    void resourcesAreAcquiredUsedAndReleasedInOrder(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            int sum = runner.run(() -> new AsyncWithExample().main());

            assertEquals(3, sum);
            assertEquals(0.1 + 0.1 + 1.0, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of(
                "Resource acquired", "Using the resource", "Resource released",
                "Acquired", "Using: resource", "Released",
                "3"), console.lines());
    }
}
