package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class RunInExecutorExampleTest {
    @Test
    void theTutorialsValuesComeBackAndOnlyCpuWorkInTheTaskHoldsTheLoop(Console console) {
        // real time: the lesson is about what really blocks
        Asyncio.run(() -> RunInExecutorExample.main());
        assertEquals(List.of(
                "result",
                "done",
                "Thread.sleep(1 s) in the task: the ticker ticked N times, so the loop kept running",
                "1 s of CPU work in the task: the ticker ticked 0 times, so the loop was held",
                "1 s of CPU work on our pool: the ticker ticked N times, so the loop kept running"),
                console.linesWithTicks());
    }
}
