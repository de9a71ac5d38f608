package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DataPipelineExampleTest {
    @Test
    void theFailedUrlIsDroppedAndTheOthersAreProcessedInUrlOrder() {
        Console console = new Console();
        List<Integer> sizes;
        try (Runner runner = Runner.builder().build()) {
            sizes = runner.run(() -> new DataPipelineExample(console.out, null, Duration.ofMillis(5)).main());
        }
        assertEquals(List.of(74, 158, 1256), sizes);
        assertEquals(List.of("processed 3 of 4 pages: [74, 158, 1256]"), console.lines());
    }
}
