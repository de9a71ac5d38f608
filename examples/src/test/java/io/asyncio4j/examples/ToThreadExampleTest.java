package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ToThreadExampleTest {
    @Test
    void anotherTaskRunsWhileTheWorkerThreadBlocks() {
        Console console = new Console();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            String result = runner.run(() -> new ToThreadExample(console.out, Duration.ofMillis(10)).main());

            assertEquals("result", result);
        }
        assertEquals(List.of("Another task runs while the worker thread blocks", "result"), console.lines());
    }
}
