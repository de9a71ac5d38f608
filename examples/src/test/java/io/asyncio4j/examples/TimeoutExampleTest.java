package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@ExtendWith(Console.class)
class TimeoutExampleTest {
    @Test
    void bothFormsGiveUpAfterTwoSeconds(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            String result = runner.run(() -> new TimeoutExample().main());

            assertNull(result);
            assertEquals(4.0, runner.getLoop().time(), 1e-9); // two 2 s deadlines, not 10 s operations
        }
        assertEquals(List.of("Timeout!", "Timeout! (asyncio.timeout)"), console.lines());
    }
}
