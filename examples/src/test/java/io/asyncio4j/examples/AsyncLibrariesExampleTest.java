package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AsyncLibrariesExampleTest {
    @Test
    void eachAsyncSiblingDoesItsJob() {
        Console console = new Console();
        try (Runner runner = Runner.builder().build()) {
            runner.run(() -> new AsyncLibrariesExample(console.out, null, Duration.ofMillis(5), Duration.ofMillis(10)).main());
        }
        assertEquals(List.of(
                "httpx: 200",
                "aiofiles: started",
                "asyncio.sleep: done"), console.lines());
    }
}
