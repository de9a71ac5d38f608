package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class AsyncForExampleTest {
    @Test
    void iteratorsWaitBeforeEachValue(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            List<Integer> collected = runner.run(() -> new AsyncForExample().main());

            assertEquals(List.of(0, 1, 2), collected);
            assertEquals(5 * 0.1 + 3 * 1.0 + 3 * 1.0, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of("0", "1", "2", "3", "4", "0 1 2", "[0, 1, 2]", "[1, 1, 1]"), console.lines());
    }
}
