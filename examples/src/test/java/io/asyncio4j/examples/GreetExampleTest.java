package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class GreetExampleTest {
    @Test
    void greetsAfterOneSecond(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            String result = runner.run(() -> new GreetExample().main());

            assertEquals("Hello, Python!", result);
            assertEquals(1.0, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of("Greeting started: Python", "Greeting done: Python", "Hello, Python!"), console.lines());
    }
}
