package io.asyncio4j.http;

import io.asyncio4j.Runner;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cookie jar and the HTTP proxy option of ClientSession; real time because the loop waits for sockets. */
@RealTime
class ClientSessionCookieProxyTest {
    private static TestServer cookieServer() throws IOException {
        return TestServer.start(r -> r.path().equals("/set")
                ? Reply.ok("set").header("Set-Cookie", "sid=abc; Path=/")
                : Reply.ok(String.valueOf(r.header("Cookie"))));
    }

    @AsyncioTest
    void withAJarASetCookieIsSentBackToItsHostButNotToAnotherHost(Runner runner) throws IOException {
        try (TestServer server = cookieServer(); ClientSession session = ClientSession.builder().cookieJar(true).build()) {
            int port = server.port();
            List<String> seen = runner.run(() -> {
                String before = session.get("http://127.0.0.1:" + port + "/echo").text();
                session.get("http://127.0.0.1:" + port + "/set");
                return List.of(before, session.get("http://127.0.0.1:" + port + "/echo").text(),
                        session.get("http://localhost:" + port + "/echo").text());
            });
            assertEquals(List.of("null", "sid=abc", "null"), seen);
        }
    }

    @AsyncioTest
    void withoutAJarSetCookieIsIgnored(Runner runner) throws IOException {
        try (TestServer server = cookieServer(); ClientSession session = ClientSession.builder().baseUrl(server.url()).build()) {
            String echoed = runner.run(() -> {
                session.get("/set");
                return session.get("/echo").text();
            });
            assertEquals("null", echoed);
        }
    }

    @AsyncioTest
    void requestsGoThroughTheProxyInAbsoluteForm(Runner runner) throws IOException {
        try (TestServer proxy = TestServer.start(r -> Reply.ok(r.requestLine())); ClientSession session = ClientSession.builder()
                .proxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port())).build()) {
            String body = runner.run(() -> session.get("http://example.invalid/path?q=1").text());
            assertEquals("GET http://example.invalid/path?q=1 HTTP/1.1", body);
            assertEquals(List.of("GET http://example.invalid/path?q=1 HTTP/1.1"), proxy.requestLines());
        }
    }
}
