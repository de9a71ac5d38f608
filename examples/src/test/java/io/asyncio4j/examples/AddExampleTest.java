package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class AddExampleTest {
    @Test
    void printAddPrintsTheSumAfterOneSecond(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            int res = runner.run(() -> new AddExample().printAdd(1, 2));

            assertEquals(3, res);
            assertEquals(1.0, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of("1 + 2", "1 + 2 = 3"), console.lines());
    }
}
