package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(Console.class)
class BoundedFetchExampleTest {
    @Test
    void aHundredCallsAllSucceed(Console console) {
        try (Runner runner = Runner.builder().build()) {
            runner.run(() -> new BoundedFetchExample(null).main());
        }
        assertEquals(List.of(
                "100 results: 100 ok, 0 failed",
                "Result[url=BASE/bytes/1256, status=200, size=1256, error=null]"), console.linesWithBase());
    }

    @Test
    void aFailedCallBecomesAResultWithItsError(Console console) {
        List<BoundedFetchExample.Result> results;
        try (Runner runner = Runner.builder().build()) {
            results = runner.run(() -> new BoundedFetchExample(null)
                    .main(List.of("ftp://example.invalid/")));
        }
        BoundedFetchExample.Result r = results.getFirst();
        assertEquals("ftp://example.invalid/", r.url());
        assertEquals(null, r.status());
        assertTrue(r.error().contains("InvalidUrl"), r.error());
    }
}
