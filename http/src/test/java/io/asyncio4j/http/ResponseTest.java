package io.asyncio4j.http;

import io.asyncio4j.Runner;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Response over real loopback exchanges; real time because the loop waits for a real socket. */
@RealTime
class ResponseTest {
    @AsyncioTest
    void getReturnsStatusHeadersUrlElapsedAndBody(Runner runner) throws IOException {
        try (TestServer server = new TestServer().handle("/hello", ex -> {
            ex.getResponseHeaders().add("X-Multi", "a");
            ex.getResponseHeaders().add("X-Multi", "b");
            TestServer.send(ex, 200, "hello, world".getBytes(StandardCharsets.UTF_8));
        }); ClientSession session = ClientSession.builder().build()) {
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
    void textDecodesWithTheContentTypeCharsetAndUtf8ByDefault(Runner runner) throws IOException {
        try (TestServer server = new TestServer()
                .handle("/latin1", TestServer.answer(200, "text/plain; charset=\"ISO-8859-1\"", "café".getBytes(StandardCharsets.ISO_8859_1)))
                .handle("/plain", TestServer.answer(200, "text/plain", "café".getBytes(StandardCharsets.UTF_8)))
                .handle("/none", TestServer.answer(200, null, "café".getBytes(StandardCharsets.UTF_8)));
             ClientSession session = ClientSession.builder().baseUrl(server.url()).build()) {
            List<String> texts = runner.run(() -> List.of(session.get("/latin1").text(), session.get("/plain").text(),
                    session.get("/none").text()));
            assertEquals(List.of("café", "café", "café"), texts);
            assertEquals(5, runner.run(() -> session.get("/plain").bytes().length));
        }
    }

    @AsyncioTest
    void raiseForStatusThrowsForFourHundredAndUpOnly(Runner runner) throws IOException {
        try (TestServer server = new TestServer()
                .handle("/missing", TestServer.answer(404, "text/plain", "no".getBytes(StandardCharsets.UTF_8)))
                .handle("/broken", TestServer.answer(503, null, new byte[0]))
                .handle("/moved", TestServer.answer(302, null, new byte[0]))
                .handle("/ok", TestServer.answer("ok"));
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
