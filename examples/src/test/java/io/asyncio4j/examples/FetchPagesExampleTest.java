package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import io.asyncio4j.cli.LocalServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class FetchPagesExampleTest {
    @Test
    void thePagesComeBackInUrlOrderWithTheirSizes(Console console) {
        try (Runner runner = Runner.builder().build()) {
            runner.run(() -> new FetchPagesExample(null).main());
        }
        assertEquals(List.of(
                "BASE/bytes/1256: 1256 bytes",
                "BASE/json: 74 bytes",
                "BASE/links/3: 158 bytes",
                "Fetched 3 pages"), console.linesWithBase());
    }

    @Test
    void aBaseUrlArgumentSendsTheRequestsToThatServer(Console console) {
        String url;
        try (Runner runner = Runner.builder().build()) {
            url = runner.run(() -> {
                try (LocalServer server = LocalServer.builder().start()) {
                    new FetchPagesExample(server.url() + "/").main(); // trailing slash dropped
                    return server.url();
                }
            });
        }
        assertEquals(url + "/bytes/1256: 1256 bytes", console.lines().getFirst());
    }
}
