package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import io.asyncio4j.cli.LocalServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(Console.class)
class BoundedFetchExampleTest {
    @Test
    void aHundredCallsAllSucceedOneByOneAndTwentyAtATimeBothTimed(Console console) {
        // a server of our own that answers at once, so that the hundred sequential requests are quick
        try (Runner runner = Runner.builder().build()) {
            runner.run(() -> {
                try (LocalServer server = LocalServer.builder().start()) {
                    return new BoundedFetchExample(server.url()).main();
                }
            });
        }
        assertEquals(List.of(
                "one by one: 100 results in N s",
                "at most 20 at once: 100 results in N s",
                "100 results: 100 ok, 0 failed",
                "Result[url=BASE/bytes/1256, status=200, size=1256, error=null]"),
                console.linesWithSeconds().stream().map(l -> l.replaceAll("http://127\\.0\\.0\\.1:\\d+", "BASE")).toList());
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
