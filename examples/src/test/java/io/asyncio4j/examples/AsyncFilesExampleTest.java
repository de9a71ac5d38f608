package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class AsyncFilesExampleTest {
    @Test
    void whatWasWrittenIsReadBack(Console console) {
        String content;
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            content = runner.run(() -> new AsyncFilesExample().main());
        }
        assertEquals("Hello, Async!", content);
        assertEquals(List.of("Hello, Async!"), console.lines());
    }
}
