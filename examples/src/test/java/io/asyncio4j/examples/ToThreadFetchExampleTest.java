package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(Console.class)
class ToThreadFetchExampleTest {
    @Test
    void bothWaysFetchTheSamePagesInUrlOrder(Console console) {
        List<Integer> results;
        try (Runner runner = Runner.builder().build()) {
            results = runner.run(() -> new ToThreadFetchExample(null).main());
        }
        assertEquals(ToThreadFetchExample.SIZES, results);
        List<String> lines = console.lines();
        assertEquals(4, lines.size(), lines::toString);
        assertEquals("[74443, 137795, 84429, 327409, 65139, 154872]", lines.get(0));
        assertTrue(lines.get(1).matches("Elapsed: \\d+\\.\\d{3} s"), lines.get(1));
        assertEquals(lines.get(0), lines.get(2));
        assertTrue(lines.get(3).matches("Elapsed: \\d+\\.\\d{3} s"), lines.get(3));
    }
}
