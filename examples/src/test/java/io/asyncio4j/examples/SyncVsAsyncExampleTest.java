package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SyncVsAsyncExampleTest {
    @Test
    void blockingJobsRunOneAfterAnother() throws InterruptedException {
        Console console = new Console();
        new SyncVsAsyncExample(console.out, Duration.ofMillis(5)).syncMain();

        assertEquals(List.of(
                "Job 1 started", "Job 1 done",
                "Job 2 started", "Job 2 done",
                "Job 3 started", "Job 3 done"), console.lines());
    }

    @Test
    void gatheredJobsStartTogetherAndTakeTwoSeconds() {
        Console console = new Console();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(() -> new SyncVsAsyncExample(console.out, Duration.ZERO).main());

            assertEquals(2.0, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of(
                "Job 1 started", "Job 2 started", "Job 3 started",
                "Job 1 done", "Job 2 done", "Job 3 done"), console.lines());
    }
}
