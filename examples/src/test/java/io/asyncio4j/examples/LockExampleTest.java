package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class LockExampleTest {
    @Test
    void workersHoldTheLockOneAfterAnotherInArrivalOrder(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(() -> new LockExample().main());
            assertEquals(3.0, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of("A acquired", "A released", "B acquired", "B released", "C acquired", "C released"),
                console.lines());
    }
}
