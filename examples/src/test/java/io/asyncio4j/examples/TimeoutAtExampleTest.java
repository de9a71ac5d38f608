package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@ExtendWith(Console.class)
class TimeoutAtExampleTest {
    @Test
    void aDelayAndAnAbsoluteDeadlineBothCutTheTaskShort(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            String result = runner.run(() -> new TimeoutAtExample().main());

            assertNull(result);
            assertEquals(10.0, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of("Timeout occurred", "Timeout occurred at 10.0 s"), console.lines());
    }
}
