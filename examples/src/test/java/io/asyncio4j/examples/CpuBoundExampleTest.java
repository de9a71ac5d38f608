package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class CpuBoundExampleTest {
    @Test
    void theComputationRunsOnThePoolWhileAnotherTaskRuns(Console console) {
        int result;
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            result = runner.run(() -> new CpuBoundExample().main());
        }
        assertEquals(17984, result);
        assertEquals(List.of(
                "the loop is free while the pool computes",
                "primes below 200000: 17984"), console.lines());
    }
}
