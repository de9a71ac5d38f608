package io.asyncio4j.examples;

import io.asyncio4j.Done;
import io.asyncio4j.Future;
import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(Console.class)
class WaitExampleTest {
    @Test
    void firstCompletedReturnsWithTheFastestTaskAndTheRestAreCancelled(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            Done<String> first = runner.run(() -> new WaitExample().main());

            assertEquals(1, first.done().size());
            assertEquals(2, first.pending().size());
            for (Future<String> f : first.pending()) {
                assertTrue(f.cancelled(), "a pending fetch was cancelled");
            }
            assertEquals(2.0, runner.getLoop().time(), 1e-9); // 1 s for url2, 1 s for the users
        }
        assertEquals(List.of(
                "Done: 1, pending: 2",
                "First: url2 data",
                "Done: 5, pending: 0",
                "Done: 5, pending: 0"), console.lines());
    }
}
