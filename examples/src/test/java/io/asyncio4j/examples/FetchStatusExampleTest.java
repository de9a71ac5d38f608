package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FetchStatusExampleTest {
    @Test
    void fiveRequestsAtOnceEachAnswer200() {
        Console console = new Console();
        try (Runner runner = Runner.builder().build()) {
            runner.run(() -> new FetchStatusExample(console.out, null, Duration.ofMillis(5)).main());
        }
        assertEquals(List.of("[200, 200, 200, 200, 200]"), console.lines());
    }
}
