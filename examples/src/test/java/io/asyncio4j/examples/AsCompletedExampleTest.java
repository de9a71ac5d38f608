package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class AsCompletedExampleTest {
    @Test
    void resultsComeInTheOrderTheTasksFinish(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            List<String> results = runner.run(() -> new AsCompletedExample().main());

            assertEquals(List.of("url2 data", "url3 data", "url1 data"), results);
            assertEquals(3.0, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of("url2 data", "url3 data", "url1 data"), console.lines());
    }
}
