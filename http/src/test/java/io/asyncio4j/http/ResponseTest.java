package io.asyncio4j.http;

import io.asyncio4j.Runner;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Response over real loopback exchanges; real time because the loop waits for a real socket. */
@RealTime
class ResponseTest {
    @AsyncioTest
    void getReturnsStatusHeadersUrlElapsedAndBody(Runner runner) throws IOException {
        try (TestServer server = TestServer.start().enqueue(
                Reply.status(200).header("X-Multi", "a").header("X-Multi", "b").body("hello, world")); ClientSession session = ClientSession.builder().build()) {
            Response r = runner.run(() -> session.get(server.url() + "/hello"));
            assertEquals(200, r.status());
            assertEquals("hello, world", r.text());
            assertArrayEquals("hello, world".getBytes(StandardCharsets.UTF_8), r.bytes());
            assertEquals(List.of("a", "b"), r.headers().allValues("x-multi"));
            assertEquals(URI.create(server.url() + "/hello"), r.url());
            assertFalse(r.elapsed().isNegative());
        }
    }

    @AsyncioTest
    void bytesHandsOutTheBodyItselfTheSameArrayOnEveryCallWithoutACopy(Runner runner) throws IOException {
        try (TestServer server = TestServer.start().enqueue(Reply.status(200).body("body"));
             ClientSession session = ClientSession.builder().build()) {
            Response r = runner.run(() -> session.get(server.url() + "/"));
            byte[] first = r.bytes();
            assertSame(first, r.bytes());
            assertArrayEquals("body".getBytes(StandardCharsets.UTF_8), first);
        }
    }

    @AsyncioTest
    void textDecodesWithTheContentTypeCharsetAndUtf8ByDefault(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(r -> switch (r.path()) {
                    case "/latin1" -> Reply.status(200).header("Content-Type", "text/plain; charset=\"ISO-8859-1\"")
                            .body("café".getBytes(StandardCharsets.ISO_8859_1));
                    case "/plain" -> Reply.status(200).header("Content-Type", "text/plain").body("café");
                    default -> Reply.status(200).body("café");
                });
             ClientSession session = ClientSession.builder().baseUrl(server.url()).build()) {
            List<String> texts = runner.run(() -> List.of(session.get("/latin1").text(), session.get("/plain").text(),
                    session.get("/none").text()));
            assertEquals(List.of("café", "café", "café"), texts);
            assertEquals(5, runner.run(() -> session.get("/plain").bytes().length));
        }
    }

    @AsyncioTest
    void raiseForStatusThrowsForFourHundredAndUpOnly(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(r -> switch (r.path()) {
                    case "/missing" -> Reply.status(404).header("Content-Type", "text/plain").body("no");
                    case "/broken" -> Reply.status(503);
                    case "/moved" -> Reply.status(302);
                    default -> Reply.ok("ok");
                });
             ClientSession session = ClientSession.builder().baseUrl(server.url()).build()) {
            Response missing = runner.run(() -> session.get("/missing"));
            ClientResponseError e = assertThrows(ClientResponseError.class, missing::raiseForStatus);
            assertEquals(404, e.status());
            assertEquals(URI.create(server.url() + "/missing"), e.url());
            assertTrue(e.getMessage().startsWith("404"), e.getMessage());
            assertEquals(503, assertThrows(ClientResponseError.class, runner.run(() -> session.get("/broken"))::raiseForStatus).status());
            runner.run(() -> session.get("/moved")).raiseForStatus();
            runner.run(() -> session.get("/ok")).raiseForStatus();
        }
    }
}
