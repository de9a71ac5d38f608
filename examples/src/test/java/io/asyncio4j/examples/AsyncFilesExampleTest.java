package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AsyncFilesExampleTest {
    @Test
    void whatWasWrittenIsReadBack() {
        Console console = new Console();
        String content;
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            content = runner.run(() -> new AsyncFilesExample(console.out).main());
        }
        assertEquals("Hello, Async!", content);
        assertEquals(List.of("Hello, Async!"), console.lines());
    }
}
