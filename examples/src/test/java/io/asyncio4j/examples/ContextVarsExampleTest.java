package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class ContextVarsExampleTest {
    @Test
    void eachRequestLogsItsOwnIdAlsoOnItsWorkerThread(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            List<String> users = runner.run(() -> new ContextVarsExample().main());

            assertEquals(List.of("user of req-1", "user of req-2"), users);
        }
        assertEquals(List.of(
                "[-] main: handling two requests",
                "[req-1] handling",
                "[req-2] handling",
                "[req-1] querying the database on a worker thread",
                "[req-1] done: user of req-1",
                "[req-2] querying the database on a worker thread",
                "[req-2] done: user of req-2",
                "[-] main: all done"), console.lines());
    }
}
