package com.example;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Runner;
import io.asyncio4j.testing.AsyncioTest;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The consumer's own tests, as a user of the published artifacts writes them. */
class HelloTest {
    @AsyncioTest
    void greetingsRunConcurrentlyOnVirtualTime(Runner runner) {
        List<String> greetings = runner.run(() -> Asyncio.gather(List.of("Ada", "Bob"), Hello::greet));
        assertEquals(List.of("Hello, Ada", "Hello, Bob"), greetings);
        assertEquals(1.0, runner.getLoop().time(), 1e-9); // one second for both
    }

    @org.junit.jupiter.api.Test
    void mainPrintsTheThreeGreetings() {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            Hello.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        assertEquals(List.of("Hello, Ada", "Hello, Bob", "Hello, Cy"),
                bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }
}
