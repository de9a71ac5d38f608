package io.asyncio4j.http;

import io.asyncio4j.Runner;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request splitting and header injection are impossible through the API: a CR or LF in a header name or
 * value, in the method or in the URL is refused before a connection is even opened, with a message that
 * names the part and shows the characters as {@code \r\n}. And {@link Request}'s own checks and copies.
 * Real time: a loopback server that counts connections.
 */
@RealTime
class RequestTest {

    /** A server that answers nothing: every test asserts that no connection reached it. */
    private static TestServer silent() throws IOException {
        return TestServer.start(r -> Reply.hangUp());
    }

    @AsyncioTest
    void aCrLfInAHeaderValueIsRefusedNamingTheHeaderBeforeAnythingIsSent(Runner runner) throws IOException {
        try (TestServer server = silent(); ClientSession session = ClientSession.builder().build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> runner.run(() ->
                    session.request("GET", server.url() + "/", Map.of("X-Note", "a\r\nX-Evil: 1"), null)));
            assertEquals("invalid header value for header \"X-Note\": \"a\\r\\nX-Evil: 1\" (CR, LF, NUL and"
                    + " characters above U+00FF cannot be sent)", e.getMessage());
            assertEquals(0, server.connectionCount());
        }
    }

    @AsyncioTest
    void aCrLfInAHeaderNameOrInTheSessionsDefaultHeadersIsRefused(Runner runner) throws IOException {
        try (TestServer server = silent(); ClientSession session = ClientSession.builder().build()) {
            IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> runner.run(() ->
                    session.request("GET", server.url() + "/", Map.of("X-A\r\nX-B", "1"), null)));
            assertEquals("invalid header name: \"X-A\\r\\nX-B\"", name.getMessage());
            assertEquals(0, server.connectionCount());
        }
        IllegalArgumentException defaults = assertThrows(IllegalArgumentException.class,
                () -> ClientSession.builder().header("X-Default", "v\n"));
        assertTrue(defaults.getMessage().contains("\"X-Default\""), defaults.getMessage());
    }

    @AsyncioTest
    void aCrLfInTheMethodOrTheUrlIsRefusedBeforeAnythingIsSent(Runner runner) throws IOException {
        try (TestServer server = silent(); ClientSession session = ClientSession.builder().build()) {
            IllegalArgumentException method = assertThrows(IllegalArgumentException.class, () -> runner.run(() ->
                    session.request("GET / HTTP/1.1\r\nX: y\r\n\r\nGET", server.url() + "/", Map.of(), null)));
            assertTrue(method.getMessage().startsWith("illegal method \"GET / HTTP/1.1\\r\\nX: y"), method.getMessage());
            InvalidUrl url = assertThrows(InvalidUrl.class, () -> runner.run(() ->
                    session.get(server.url() + "/a HTTP/1.1\r\nX-Evil: 1\r\n\r\nGET /b")));
            assertTrue(url.getMessage().contains("\\r\\n") && !url.getMessage().contains("\r"), url.getMessage());
            assertEquals(0, server.connectionCount());
        }
    }

    @Test
    void aPortAbove65535IsAnInvalidUrl() {
        InvalidUrl e = assertThrows(InvalidUrl.class, () -> Request.of("GET", "http://127.0.0.1:99999/"));
        assertEquals("invalid URL 'http://127.0.0.1:99999/': port 99999 out of range (1 to 65535)", e.getMessage());
    }

    @Test
    void aUrlWithoutSchemeSuggestsOne() {
        InvalidUrl e = assertThrows(InvalidUrl.class, () -> Request.of("GET", "example.com/x"));
        assertEquals("invalid URL 'example.com/x': no scheme"
                + " (did you mean https://example.com/x ?)", e.getMessage());
    }

    @Test
    void theDefaultPortIsFilledInTheOriginAndHeaderNamesAreLowerCase() {
        Request r = Request.of("GET", "HTTPS://Example.COM/path").withHeader("X-Token", "t");
        assertEquals("https://example.com:443", r.origin());
        assertEquals(Map.of("x-token", "t"), r.headers());
        assertEquals("t", r.header("X-TOKEN"));
        assertEquals(Map.of(), r.withoutHeader("x-Token").headers());
    }

    @Test
    void withUriChecksTheNewUrl() {
        Request r = Request.of("GET", "http://a.example/");
        assertEquals("http://b.example:8080", r.withUri(URI.create("http://b.example:8080/x")).origin());
        assertThrows(InvalidUrl.class, () -> r.withUri(URI.create("ftp://b.example/")));
    }

    @Test
    void restrictedHeadersAreRefusedAsTheJdkClientRefusesThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Request.of("GET", "http://a.example/").withHeader("Host", "b.example"));
        assertEquals("restricted header name: \"Host\"", e.getMessage());
    }

    @AsyncioTest
    void aSessionSendsARequestMadeWithOfAndItsDefaultHeadersFillTheRest(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(q -> Reply.ok(q.method() + " " + q.header("X-Default") + " "
                + q.header("X-Token") + " " + q.bodyText()));
             ClientSession session = ClientSession.builder().header("X-Default", "d").header("X-Token", "old").build()) {
            Request r = Request.of("PUT", server.url() + "/h").withHeader("X-Token", "new").withBody("b".getBytes());
            assertEquals("PUT d new b", runner.run(() -> session.request(r).text()));
        }
    }

    @Test
    void aMethodIsIdempotentOrNotInAnyCaseAsRfc9110Says() {
        for (String m : java.util.List.of("GET", "get", "Head", "PUT", "delete", "OPTIONS", "trace")) {
            assertTrue(Request.of(m, "http://x/").idempotent(), m);
        }
        for (String m : java.util.List.of("POST", "post", "PATCH", "Patch", "PROPFIND")) {
            assertFalse(Request.of(m, "http://x/").idempotent(), m);
        }
    }

    @Test
    void theUsualMethodsAndOtherTokensAreAcceptedAndConnectOrANonTokenIsRefused() {
        for (String m : java.util.List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "get",
                "PROPFIND")) {
            assertEquals(m, Request.of(m, "http://x/").method());
        }
        for (String m : java.util.List.of("CONNECT", "connect", "GE T", "", "GET\r\n", "G(ET")) {
            assertThrows(IllegalArgumentException.class, () -> Request.of(m, "http://x/"), m);
        }
    }
}
