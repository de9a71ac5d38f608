package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class DataPipelineExampleTest {
    @Test
    void theFailedUrlIsDroppedAndTheOthersAreProcessedInUrlOrder(Console console) {
        List<Integer> sizes;
        try (Runner runner = Runner.builder().build()) {
            sizes = runner.run(() -> new DataPipelineExample(null).main());
        }
        assertEquals(List.of(74, 158, 1256), sizes);
        assertEquals(List.of("processed 3 of 4 pages: [74, 158, 1256]"), console.lines());
    }
}
