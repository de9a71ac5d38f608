package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class SemaphoreExampleTest {
    @Test
    void tenCallsRunThreeAtATimeInArrivalOrder(Console console) {
        List<String> results;
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            results = runner.run(() -> new SemaphoreExample().main());
            assertEquals(4.0, runner.getLoop().time(), 1e-9);
        }
        List<String> expected = new ArrayList<>();
        int[][] batches = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9}};
        for (int[] batch : batches) {
            for (int i : batch) {
                expected.add("  task " + i + ": API call started");
            }
            for (int i : batch) {
                expected.add("  task " + i + ": API call done");
            }
        }
        expected.add("All done: 10 results in 4.0 s");
        assertEquals(expected, console.lines());
        assertEquals("result_0", results.get(0));
        assertEquals("result_9", results.get(9));
    }
}
