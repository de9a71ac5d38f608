package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Smoke test of {@link SyncVsAsyncExample} (seed 001 §1) on virtual time. */
class SyncVsAsyncExampleTest {
    @Test
    void threeJobsRunTogetherInTwoSeconds() {
        Console console = new Console();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(() -> new SyncVsAsyncExample(console.out, Duration.ofMillis(10)).main());
            assertEquals(2.0, runner.getLoop().time(), 1e-9);
        }
        assertEquals(List.of(
                "Job 1 started",
                "Job 2 started",
                "Job 3 started",
                "Job 1 done",
                "Job 2 done",
                "Job 3 done"), console.lines());
    }
}
