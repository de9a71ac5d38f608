package io.asyncio4j.http;

import io.asyncio4j.Runner;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cookie jar and the HTTP proxy option of ClientSession; real time because the loop waits for sockets. */
@RealTime
class ClientSessionCookieProxyTest {
    private static TestServer cookieServer() throws IOException {
        return new TestServer()
                .handle("/set", ex -> {
                    ex.getResponseHeaders().add("Set-Cookie", "sid=abc; Path=/");
                    TestServer.send(ex, 200, "set".getBytes(StandardCharsets.UTF_8));
                })
                .handle("/echo", ex -> TestServer.send(ex, 200,
                        String.valueOf(ex.getRequestHeaders().getFirst("Cookie")).getBytes(StandardCharsets.UTF_8)));
    }

    @AsyncioTest
    void withAJarASetCookieIsSentBackToItsHostButNotToAnotherHost(Runner runner) throws IOException {
        try (TestServer server = cookieServer(); ClientSession session = ClientSession.builder().cookieJar(true).build()) {
            int port = server.server.getAddress().getPort();
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
        RawServer[] self = new RawServer[1];
        try (RawServer proxy = self[0] = new RawServer((socket, in, out, n) -> {
            String head = self[0].readHead(in);
            String line = head.substring(0, head.indexOf("\r\n"));
            RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + line.length() + "\r\nConnection: close\r\n\r\n" + line);
            socket.close();
        }); ClientSession session = ClientSession.builder()
                .proxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), portOf(proxy))).build()) {
            String body = runner.run(() -> session.get("http://example.invalid/path?q=1").text());
            assertEquals("GET http://example.invalid/path?q=1 HTTP/1.1", body);
            assertEquals(List.of("GET http://example.invalid/path?q=1 HTTP/1.1"), proxy.requestLines());
        }
    }

    private static int portOf(RawServer server) {
        return java.net.URI.create(server.url()).getPort();
    }
}
