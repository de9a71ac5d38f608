package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TimeoutExampleTest {
    @Test
    void bothFormsGiveUpAfterTwoSeconds() {
        Console console = new Console();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            String result = runner.run(() -> new TimeoutExample(console.out).main());

            assertNull(result);
            assertEquals(4.0, runner.getLoop().time(), 1e-9); // two 2 s deadlines, not 10 s operations
        }
        assertEquals(List.of("Timeout!", "Timeout! (asyncio.timeout)"), console.lines());
    }
}
