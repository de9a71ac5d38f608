package io.asyncio4j.examples;

import io.asyncio4j.EventLoop;
import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(Console.class)
class GetRunningLoopExampleTest {
    @Test
    void showsTheLoopThatRunsTheTask(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            EventLoop loop = runner.run(() -> new GetRunningLoopExample().showLoop());

            assertSame(runner.getLoop(), loop);
        }
        List<String> lines = console.lines();
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.getFirst().matches("Current loop: EventLoop-\\d+\\[running on '.*'.*]"), lines::toString);
    }
}
