package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Smoke test of {@link PsPstreeExample} (seed 003, {@code python -m asyncio ps/pstree}) on virtual time: it
 * prints its PID and the two commands, and its group of two sleeping workers runs until it is stopped.
 * (What {@code ps} and {@code pstree} print for such a program is tested in the cli module, on a real
 * child JVM.)
 */
@ExtendWith(Console.class)
class PsPstreeExampleTest {
    @Test
    void printsItsPidAndRunsTheTutorialsWorkersUntilStopped(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(() -> {
                Task<Void> example = Asyncio.createTask(() -> PsPstreeExample.main(), "example");
                Asyncio.sleep(24 * 3600); // a day later it still runs
                assertFalse(example.done());
                assertEquals(List.of("example", "worker-1", "worker-2"),
                        Asyncio.allTasks().stream().map(Task::getName).filter(n -> !n.startsWith("Task-")).sorted().toList());
                example.cancel(); // Ctrl-C
            });
        }
        long pid = ProcessHandle.current().pid();
        assertEquals(List.of("PID " + pid + ". In another terminal:", "  bin/asyncio4j ps " + pid,
                "  bin/asyncio4j pstree " + pid, "Ctrl-C stops it."), console.lines());
    }
}
