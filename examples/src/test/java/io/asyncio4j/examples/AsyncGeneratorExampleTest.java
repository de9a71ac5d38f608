package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class AsyncGeneratorExampleTest {
    @Test
    void generatorsYieldWhileTheConsumerAsksAndComprehensionsCollect(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            List<Integer> values = runner.run(() -> new AsyncGeneratorExample().main());

            assertEquals(List.of(0, 1, 2, 3, 4), values);
            // 5 x 0.2 s, 5 x 0.1 s, then async_counter's three one-second sleeps (one after each value)
            assertEquals(5 * 0.2 + 5 * 0.1 + 3 * 1.0, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of("received: 0", "received: 1", "received: 2", "received: 3", "received: 4",
                "collected: [0, 1, 2, 3, 4]", "0 1 2"), console.lines());
    }
}
