package io.asyncio4j.internal.introspect;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The JFR events of tasks: {@code io.asyncio4j.TaskStart} and {@code TaskEnd} with the task's name, loop,
 * virtual-thread id and outcome when a recording turns them on; off in the JDK's own configurations.
 * ({@code LoopBlocked} is in WatchdogTest, the one test class allowed to hold a loop busy.)
 */
class TaskEventsTest {
    @TempDir
    Path dir;

    @Test
    void aRecordingThatEnablesThemGetsTheStartAndEndOfEveryTask() throws Exception {
        Path file = dir.resolve("tasks.jfr");
        try (Recording r = new Recording()) {
            r.enable("io.asyncio4j.TaskStart");
            r.enable("io.asyncio4j.TaskEnd");
            r.start();
            try (Runner runner = Runner.builder().virtualTime(true).build()) {
                runner.run(() -> {
                    Task<String> ok = Asyncio.createTask(() -> "done", "ok");
                    Task<Void> failing = Asyncio.createTask(() -> {
                        throw new IllegalStateException("boom");
                    }, "failing");
                    Task<Void> cancelled = Asyncio.createTask(() -> Asyncio.sleep(10), "cancelled");
                    Asyncio.sleep(0);
                    cancelled.cancel();
                    ok.await();
                    assertThrows(IllegalStateException.class, failing::await);
                    assertThrows(CancelledError.class, cancelled::await);
                });
            }
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<String> seen = events.stream()
                .filter(e -> e.getEventType().getName().startsWith("io.asyncio4j."))
                .map(e -> e.getEventType().getName().substring("io.asyncio4j.".length()) + " " + e.getString("taskName")
                        + (e.hasField("outcome") ? " " + e.getString("outcome") : ""))
                .sorted()
                .toList();
        assertEquals(List.of(
                "TaskEnd Task-1 result", "TaskEnd cancelled cancelled", "TaskEnd failing failed", "TaskEnd ok result",
                "TaskStart Task-1", "TaskStart cancelled", "TaskStart failing", "TaskStart ok"), seen);
        RecordedEvent start = events.stream().filter(e -> e.getEventType().getName().equals("io.asyncio4j.TaskStart"))
                .findFirst().orElseThrow();
        assertFalse(start.getString("loop").isEmpty());
        assertFalse(start.getLong("taskId") == 0);
    }

    @Test
    void theJdksOwnConfigurationsLeaveThemOff() throws Exception {
        for (String name : List.of("default", "profile")) {
            Configuration c = Configuration.getConfiguration(name);
            for (String event : List.of("io.asyncio4j.TaskStart", "io.asyncio4j.TaskEnd", "io.asyncio4j.LoopBlocked")) {
                assertFalse("true".equals(c.getSettings().get(event + "#enabled")), event + " in " + name);
            }
        }
        Path file = dir.resolve("default.jfr");
        try (Recording r = new Recording(Configuration.getConfiguration("default"))) {
            r.start();
            try (Runner runner = Runner.builder().virtualTime(true).build()) {
                runner.run(() -> Asyncio.createTask(() -> "x", "quiet").await());
            }
            r.stop();
            r.dump(file);
        }
        assertEquals(0, RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("io.asyncio4j.")).count());
    }
}
