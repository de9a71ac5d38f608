package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class AsyncLibrariesExampleTest {
    @Test
    void networkCallsAndThreadSleepParkTheTaskAndEachSiblingDoesItsJob(Console console) {
        // virtual time skips the tutorial's asyncio.sleep(2); the HTTP latency and Thread.sleep stay real
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(() -> AsyncLibrariesExample.main((String) null));
        }
        assertEquals(List.of(
                "requests, as the JDK's HttpClient.send: the ticker ticked N times, so the loop kept running",
                "status 200",
                "httpx, as ClientSession: 200",
                "time.sleep, as Thread.sleep: the ticker ticked N times, so the loop kept running",
                "asyncio.sleep: done",
                "aiofiles, as AsyncFiles: started"), console.linesWithTicks());
    }
}
