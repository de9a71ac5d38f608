package io.asyncio4j.http;

import io.asyncio4j.Runner;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ClientSession.post/put/delete/head over real loopback exchanges. */
@RealTime
class ClientSessionShortcutsTest {
    @AsyncioTest
    void eachShortcutSendsItsMethodAndBody(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(r -> {
            String echo = r.method() + ":" + r.bodyText();
            return Reply.ok(echo).header("X-Echo", echo); // a HEAD answer goes out without its body
        }); ClientSession session = ClientSession.builder().baseUrl(server.url()).build()) {
            List<String> answers = runner.run(() -> List.of(
                    session.post("/echo", "p".getBytes(StandardCharsets.UTF_8)).text(),
                    session.post("/echo", null).text(),
                    session.put("/echo", "u".getBytes(StandardCharsets.UTF_8)).text(),
                    session.delete("/echo").text()));
            assertEquals(List.of("POST:p", "POST:", "PUT:u", "DELETE:"), answers);
            Response head = runner.run(() -> session.head("/echo"));
            assertEquals("HEAD:", head.headers().firstValue("X-Echo").orElseThrow());
            assertEquals(0, head.bytes().length);
        }
    }
}
