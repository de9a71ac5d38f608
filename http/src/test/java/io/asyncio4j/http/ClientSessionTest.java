package io.asyncio4j.http;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.sync.RateLimiter;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;
import io.asyncio4j.testing.RecordedRequest;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ClientSession against a loopback {@link TestServer}. Real time: the timeouts are real ones (300 ms at most)
 * and every real wait stays under about a second; no test asserts how long anything took, only which limit
 * ended it (the error says which). The time limits asserted on the loop clock are in {@link ClientTimeoutTest},
 * on virtual time through the in-memory transport.
 */
@RealTime
class ClientSessionTest {
    @AsyncioTest
    void relativeUrlsResolveAgainstTheBaseUrlAndDefaultHeadersAreSentUnlessOverridden(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(r -> Reply.ok("ok"));
             ClientSession session = ClientSession.builder().baseUrl(server.url() + "/api/v1/").header("X-Token", "default").build()) {
            runner.run(() -> {
                session.get("items/1");
                session.get("/root");
                session.request("POST", "items", Map.of("x-token", "mine"), "data".getBytes(StandardCharsets.UTF_8));
            });
            assertEquals(List.of("GET /api/v1/items/1 token=default body=", "GET /root token=default body=",
                    "POST /api/v1/items token=mine body=data"), server.requests().stream()
                    .map(r -> r.method() + " " + r.target() + " token=" + r.header("X-Token") + " body=" + r.bodyText())
                    .toList());
        }
    }

    @AsyncioTest
    void aRefusedConnectionRaisesClientConnectionError(Runner runner) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (ClientSession session = ClientSession.builder().build()) {
            ClientConnectionError e = assertThrows(ClientConnectionError.class,
                    () -> runner.run(() -> session.get("http://127.0.0.1:" + port + "/")));
            assertInstanceOf(java.net.ConnectException.class, e.getCause());
        }
    }

    @AsyncioTest
    void aBodyStalledLongerThanSockReadEndsWithClientTimeoutError(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(); ClientSession session = ClientSession.builder()
                .timeout(new ClientTimeout(null, null, Duration.ofMillis(200))).build()) {
            server.enqueue(stallMidBody(), Reply.ok("ok"));
            ClientTimeoutError e = assertThrows(ClientTimeoutError.class, () -> runner.run(() -> session.get(server.url() + "/stall")));
            assertTrue(e.getMessage().contains("sockRead"), e.getMessage());
            assertEquals("ok", runner.run(() -> session.get(server.url() + "/ok").text()));
        }
    }

    @AsyncioTest
    void aBodyOverMaxBodySizeRaisesBodyTooLargeWithOrWithoutContentLength(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(r -> switch (r.path()) {
                    case "/sized" -> Reply.status(200).body(new byte[100]);
                    case "/chunked" -> Reply.status(200).body(new byte[100]).chunked(10);
                    default -> Reply.status(200).body(new byte[50]);
                });
             ClientSession session = ClientSession.builder().baseUrl(server.url()).maxBodySize(50).build()) {
            assertThrows(BodyTooLarge.class, () -> runner.run(() -> session.get("/sized")));
            assertThrows(BodyTooLarge.class, () -> runner.run(() -> session.get("/chunked")));
            assertEquals(50, runner.run(() -> session.get("/fits").bytes().length));
        }
    }

    @AsyncioTest
    void limitKeepsAtMostThatManyRequestsInTotal(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(held(30)); ClientSession session = ClientSession.builder().limit(1).build()) {
            runner.run(() -> {
                Task<Response> a = Asyncio.createTask(() -> session.get(server.url() + "/slow"));
                Task<Response> b = Asyncio.createTask(() -> session.get("http://localhost:" + server.port() + "/slow"));
                a.await();
                b.await();
            });
            assertEquals(1, server.maxInFlight());
        }
    }

    @AsyncioTest
    void cancellingATaskMidRequestFreesItsSlot(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(); ClientSession session = ClientSession.builder().limit(1).build()) {
            server.enqueue(stallMidBody(), Reply.ok("ok"));
            String after = runner.run(() -> {
                Task<Response> stalled = Asyncio.createTask(() -> session.get(server.url() + "/stall"));
                while (server.requestCount() == 0) {
                    Asyncio.sleep(0.01);
                }
                stalled.cancel();
                assertThrows(CancelledError.class, stalled::await);
                return Asyncio.timeout(Duration.ofSeconds(1), () -> session.get(server.url() + "/ok").text());
            });
            assertEquals("ok", after);
        }
    }

    @AsyncioTest
    void garbageAndNonHttpUrlsRaiseInvalidUrl(Runner runner) {
        try (ClientSession session = ClientSession.builder().build()) {
            for (String url : List.of("http://exa mple.com/", "ftp://example.com/file", "/relative/without/base",
                    "http:///no-host", "mailto:someone@example.com")) {
                assertThrows(InvalidUrl.class, () -> runner.run(() -> session.get(url)), url);
            }
        }
        assertThrows(InvalidUrl.class, () -> ClientSession.builder().baseUrl("file:///tmp/"));
    }

    @AsyncioTest
    void aRequestFromAPlainThreadOrAfterCloseIsAClearError(Runner runner) {
        ClientSession session = ClientSession.builder().build();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> session.get("http://127.0.0.1:1/"));
            assertTrue(e.getMessage().contains("inside a task"), e.getMessage());
        } finally {
            session.close();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> runner.run(() -> session.get("http://127.0.0.1:1/")));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    /** Headers announcing 100 bytes, 10 of them, then silence until the client closes. */
    static Reply stallMidBody() {
        return Reply.raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + "x".repeat(10)).stallAfter(Long.MAX_VALUE);
    }

    /** Holds each request {@code millis} (real time) at the server, then answers "ok". */
    static TestServer.Dispatcher held(long millis) {
        return r -> {
            Thread.sleep(millis);
            return Reply.ok("ok");
        };
    }

    private static Reply redirect(int status, String location) {
        return Reply.status(status).header("Location", location);
    }

    /** "METHOD path body=... auth=... cookie=... type=..." of each request the server read for {@code path}. */
    private static List<String> seen(TestServer server, String path) {
        return server.requests().stream().filter(r -> r.path().equals(path)).map(ClientSessionTest::describe).toList();
    }

    private static String describe(RecordedRequest r) {
        return r.method() + " " + r.path() + " body=" + r.bodyText() + " auth=" + r.header("Authorization")
                + " cookie=" + r.header("Cookie") + " type=" + r.header("Content-Type");
    }

    @AsyncioTest
    void aChainOfTwoRedirectsEndsAtTheFinalUrl(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(); ClientSession session = ClientSession.builder().baseUrl("http://127.0.0.1:1/").build()) {
            server.enqueue(redirect(302, "second?x=1"), redirect(301, server.url() + "/final"), Reply.ok("done"));
            Response r = runner.run(() -> session.get(server.url() + "/first"));
            assertEquals(200, r.status());
            assertEquals("done", r.text());
            assertEquals(server.url() + "/final", r.url().toString());
            assertEquals(List.of("GET /first HTTP/1.1", "GET /second?x=1 HTTP/1.1", "GET /final HTTP/1.1"), server.requestLines());
            assertEquals(List.of("GET /final body= auth=null cookie=null type=null"), seen(server, "/final"));
        }
    }

    @AsyncioTest
    void a303AfterPostBecomesAGetWithoutBodyAndA307KeepsMethodAndBody(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(r -> switch (r.path()) {
                    case "/see-other" -> redirect(303, "/target");
                    case "/temporary" -> redirect(307, "/target");
                    case "/head" -> redirect(302, "/target");
                    default -> Reply.ok("done");
                }); ClientSession session = ClientSession.builder().baseUrl("http://127.0.0.1:1/").build()) {
            Map<String, String> json = Map.of("Content-Type", "application/json");
            byte[] data = "{}".getBytes(StandardCharsets.UTF_8);
            runner.run(() -> {
                assertEquals(server.url() + "/target", session.request("POST", server.url() + "/see-other", json, data).url().toString());
                session.request("POST", server.url() + "/temporary", json, data);
                session.request("HEAD", server.url() + "/head", Map.of(), null);
            });
            assertEquals(List.of("GET /target body= auth=null cookie=null type=null",
                    "POST /target body={} auth=null cookie=null type=application/json",
                    "HEAD /target body= auth=null cookie=null type=null"), seen(server, "/target"));
        }
    }

    @AsyncioTest
    void aRedirectLoopRaisesTooManyRedirectsAfterMaxHops(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(r -> redirect(302, "/loop"));
             ClientSession session = ClientSession.builder().followRedirects(3).build()) {
            TooManyRedirects e = assertThrows(TooManyRedirects.class, () -> runner.run(() -> session.get(server.url() + "/loop")));
            assertTrue(e.getMessage().contains("followed 3"), e.getMessage());
            assertTrue(e.getMessage().contains(server.url() + "/loop"), e.getMessage());
            assertEquals(4, server.requestCount());
        }
    }

    @AsyncioTest
    void aCrossOriginRedirectDropsAuthorizationAndCookieWhileASameOriginOneKeepsThem(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(); ClientSession session = ClientSession.builder()
                .header("Authorization", "Bearer secret").build()) {
            int port = server.port();
            server.dispatcher(r -> switch (r.path()) {
                case "/cross" -> redirect(302, "http://localhost:" + port + "/who");
                case "/same" -> redirect(307, "/who");
                default -> Reply.ok("done");
            });
            runner.run(() -> {
                Response cross = session.request("GET", server.url() + "/cross", Map.of("Cookie", "a=1"), null);
                assertEquals("http://localhost:" + port + "/who", cross.url().toString());
                session.request("GET", server.url() + "/same", Map.of("Cookie", "a=1"), null);
            });
            assertEquals(List.of("GET /who body= auth=null cookie=null type=null",
                    "GET /who body= auth=Bearer secret cookie=a=1 type=null"), seen(server, "/who"));
        }
    }

    @AsyncioTest
    void aRedirectToANonHttpSchemeRaisesInvalidUrlNamingTheLocation(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(); ClientSession session = ClientSession.builder().build()) {
            server.enqueue(redirect(302, "ftp://example.com/file"));
            InvalidUrl e = assertThrows(InvalidUrl.class, () -> runner.run(() -> session.get(server.url() + "/ftp")));
            assertTrue(e.getMessage().contains("ftp://example.com/file"), e.getMessage());
        }
    }

    @AsyncioTest
    void followRedirectsZeroReturnsTheRedirectAsItIs(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(); ClientSession session = ClientSession.builder().followRedirects(0).build()) {
            server.enqueue(redirect(302, "/elsewhere"));
            Response r = runner.run(() -> session.get(server.url() + "/moved"));
            assertEquals(302, r.status());
            assertEquals("/elsewhere", r.headers().firstValue("Location").orElseThrow());
            assertEquals(server.url() + "/moved", r.url().toString());
        }
    }

    /** On virtual time through the in-memory transport: the limiter spaces three requests exactly 50 ms apart. */
    @org.junit.jupiter.api.Test
    void aRateLimitSpacesTheRequestsOnTheLoopClock() {
        MemoryTransport server = new MemoryTransport(r -> Reply.ok("ok"));
        try (ClientSession session = ClientSession.builder().transport(server::open)
                .rateLimit(RateLimiter.perSecond(20)).build(); Runner runner = Runner.builder().virtualTime(true).build()) {
            List<Double> sent = runner.run(() -> {
                double start = Asyncio.getRunningLoop().time();
                List<Double> at = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    session.get("http://test.example/ok");
                    at.add(Math.round((Asyncio.getRunningLoop().time() - start) * 1e6) / 1e6);
                }
                return at;
            });
            assertEquals(List.of(0.0, 0.05, 0.1), sent); // tokens at 0, 0.05 and 0.1 s
            assertEquals(3, server.requests().size());
        }
    }

    @AsyncioTest
    void everyRedirectHopTakesItsOwnToken(Runner runner) throws IOException {
        RateLimiter limiter = RateLimiter.of(1, 3);
        try (TestServer server = TestServer.start(); ClientSession session = ClientSession.builder().rateLimit(limiter).build()) {
            server.enqueue(redirect(302, "/ok"), Reply.ok("ok"));
            boolean tokenLeft = runner.run(() -> {
                session.get(server.url() + "/hop");
                return limiter.tryAcquire();
            });
            assertTrue(tokenLeft);
            // the bucket held 3: the two hops took two, tryAcquire the third; refilling one takes a second
            assertFalse(runner.run(() -> limiter.tryAcquire()));
        }
    }

    @AsyncioTest
    void builderRejectsNonsenseLimits(Runner runner) {
        assertThrows(IllegalArgumentException.class, () -> ClientSession.builder().limit(0));
        assertThrows(IllegalArgumentException.class, () -> ClientSession.builder().limitPerHost(-1));
        assertThrows(IllegalArgumentException.class, () -> ClientSession.builder().maxBodySize(-1));
        assertThrows(IllegalArgumentException.class, () -> ClientSession.builder().followRedirects(-1));
        assertThrows(IllegalArgumentException.class, () -> new ClientTimeout(Duration.ZERO, null, null));
    }
}
