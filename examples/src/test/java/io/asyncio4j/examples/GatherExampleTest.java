package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class GatherExampleTest {
    @Test
    void sequentialFetchesTakeSixSecondsAndConcurrentOnesTwo(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            List<String> results = runner.run(() -> new GatherExample().main());

            assertEquals(List.of("API-1: data", "API-2: data", "API-3: data"), results);
            assertEquals(8.0, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of(
                "  [API-1] request started",
                "  [API-1] request done",
                "  [API-2] request started",
                "  [API-2] request done",
                "  [API-3] request started",
                "  [API-3] request done",
                "Sequential: 6.0 s",
                "  [API-1] request started",
                "  [API-2] request started",
                "  [API-3] request started",
                "  [API-1] request done",
                "  [API-2] request done",
                "  [API-3] request done",
                "Concurrent: 2.0 s",
                "Results: [API-1: data, API-2: data, API-3: data]"), console.lines());
    }
}
