package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class AwaitExampleTest {
    @Test
    void mainGetsWhatFetchDataReturned(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            Map<String, String> result = runner.run(() -> new AwaitExample().main());

            assertEquals(Map.of("data", "value"), result);
            assertEquals(1.0, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of("Fetching data...", "{data=value}"), console.lines());
    }
}
