package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunInExecutorExampleTest {
    @Test
    void blockingCallsRunOnTheDefaultExecutorAndOnAPoolOfOurOwn() {
        Console console = new Console();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            List<String> results = runner.run(() -> new RunInExecutorExample(console.out, Duration.ofMillis(10)).main());

            assertEquals(List.of("result", "result"), results);
        }
        assertEquals(List.of("result", "result", "hello python "), console.lines());
    }
}
