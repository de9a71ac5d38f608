package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class RateLimiterExampleTest {
    @Test
    void tenRequestsStartFiveASecondInTheOrderTheyAsked(Console console) {
        List<Double> sent;
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            sent = runner.run(() -> new RateLimiterExample().main());
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            assertEquals(0.2 * i, sent.get(i), 1e-9);
            expected.add(String.format(Locale.ROOT, "request %d sent at %.1f s", i, 0.2 * i));
        }
        expected.add("10 requests in 1.8 s");
        assertEquals(expected, console.lines());
    }
}
