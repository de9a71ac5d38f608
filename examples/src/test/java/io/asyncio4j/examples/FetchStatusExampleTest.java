package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class FetchStatusExampleTest {
    @Test
    void fiveRequestsAtOnceEachAnswer200(Console console) {
        try (Runner runner = Runner.builder().build()) {
            runner.run(() -> new FetchStatusExample(null).main());
        }
        assertEquals(List.of("[200, 200, 200, 200, 200]"), console.lines());
    }
}
