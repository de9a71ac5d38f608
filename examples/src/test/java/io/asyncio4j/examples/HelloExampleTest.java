package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HelloExampleTest {
    @Test
    void printsHelloWorld() {
        Console console = new Console();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(() -> new HelloExample(console.out).hello());
        }
        assertEquals(List.of("hello, world!"), console.lines());
    }
}
