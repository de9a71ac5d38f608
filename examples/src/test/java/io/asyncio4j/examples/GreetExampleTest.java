package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GreetExampleTest {
    @Test
    void greetsAfterOneSecond() {
        Console console = new Console();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            String result = runner.run(() -> new GreetExample(console.out).main());

            assertEquals("Hello, Python!", result);
            assertEquals(1.0, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of("Greeting started: Python", "Greeting done: Python", "Hello, Python!"), console.lines());
    }
}
