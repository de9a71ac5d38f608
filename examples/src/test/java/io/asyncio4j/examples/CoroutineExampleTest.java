package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(Console.class)
class CoroutineExampleTest {
    @Test
    void plainCodeRunsCoroutinesAndGetsTheirResults(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            String result = new CoroutineExample().main(runner);

            assertEquals("Hello, Async!", result);
            assertEquals(1.0, runner.getLoop().time(), 1e-9);
        }
        List<String> lines = console.lines();
        assertTrue(lines.getFirst().startsWith("io.asyncio4j.examples.CoroutineExample$$Lambda"), lines.getFirst());
        assertEquals(List.of("Hello, Async!", "result"), lines.subList(1, lines.size()));
    }
}
