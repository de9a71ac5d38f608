package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AwaitExampleTest {
    @Test
    void mainGetsWhatFetchDataReturned() {
        Console console = new Console();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            Map<String, String> result = runner.run(() -> new AwaitExample(console.out).main());

            assertEquals(Map.of("data", "value"), result);
            assertEquals(1.0, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of("Fetching data...", "{data=value}"), console.lines());
    }
}
