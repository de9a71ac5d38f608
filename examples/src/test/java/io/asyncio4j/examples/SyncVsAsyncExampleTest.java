package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class SyncVsAsyncExampleTest {
    @Test
    void blockingJobsRunOneAfterAnother(Console console) throws InterruptedException {
        new SyncVsAsyncExample(Duration.ofMillis(5)).syncMain();

        assertEquals(List.of(
                "Job 1 started", "Job 1 done",
                "Job 2 started", "Job 2 done",
                "Job 3 started", "Job 3 done"), console.lines());
    }

    @Test
    void gatheredJobsStartTogetherAndTakeTwoSeconds(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(() -> new SyncVsAsyncExample(Duration.ZERO).main());

            assertEquals(2.0, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of(
                "Job 1 started", "Job 2 started", "Job 3 started",
                "Job 1 done", "Job 2 done", "Job 3 done"), console.lines());
    }
}
