package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class GatherResultsExampleTest {
    @Test
    void resultsComeInTheOrderGivenAndConcurrentCallsTakeTheLongestDelay(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            List<String> users = runner.run(() -> new GatherResultsExample().main());

            assertEquals(List.of("User 1", "User 2", "User 3"), users);
            assertEquals(3.0, runner.getLoop().time(), 1e-9); // 2 s for the urls, 1 s for the users
        }
        assertEquals(List.of("[url1 data, url2 data, url3 data]", "[User 1, User 2, User 3]"), console.lines());
    }
}
