package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import io.asyncio4j.cli.LocalServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class FetchStatusExampleTest {
    @Test
    void fiveRequestsOneByOneThenAtOnceEachAnswer200AndBothAreTimed(Console console) {
        // a server of our own that answers at once, so that the five sequential requests are quick
        try (Runner runner = Runner.builder().build()) {
            runner.run(() -> {
                try (LocalServer server = LocalServer.builder().start()) {
                    return new FetchStatusExample(server.url()).main();
                }
            });
        }
        assertEquals(List.of(
                "one by one: [200, 200, 200, 200, 200] in N s",
                "together:   [200, 200, 200, 200, 200] in N s"), console.linesWithSeconds());
    }
}
