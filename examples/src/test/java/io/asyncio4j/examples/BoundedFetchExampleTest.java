package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedFetchExampleTest {
    @Test
    void aHundredCallsAllSucceed() {
        Console console = new Console();
        try (Runner runner = Runner.builder().build()) {
            runner.run(() -> new BoundedFetchExample(console.out, null, Duration.ofMillis(5)).main());
        }
        assertEquals(List.of(
                "100 results: 100 ok, 0 failed",
                "Result[url=BASE/bytes/1256, status=200, size=1256, error=null]"), console.linesWithBase());
    }

    @Test
    void aFailedCallBecomesAResultWithItsError() {
        Console console = new Console();
        List<BoundedFetchExample.Result> results;
        try (Runner runner = Runner.builder().build()) {
            results = runner.run(() -> new BoundedFetchExample(console.out, null, Duration.ZERO)
                    .main(List.of("ftp://example.invalid/")));
        }
        BoundedFetchExample.Result r = results.getFirst();
        assertEquals("ftp://example.invalid/", r.url());
        assertEquals(null, r.status());
        assertTrue(r.error().contains("InvalidUrl"), r.error());
    }
}
