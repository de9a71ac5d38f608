package io.asyncio4j.http;

import com.sun.net.httpserver.HttpHandler;
import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.sync.RateLimiter;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ClientSession against a loopback server. Real time: the timeouts are real ones (300 ms at most) and every
 * real wait stays under about a second.
 */
@RealTime
class ClientSessionTest {
    @AsyncioTest
    void relativeUrlsResolveAgainstTheBaseUrlAndDefaultHeadersAreSentUnlessOverridden(Runner runner) throws IOException {
        List<String> seen = new ArrayList<>();
        try (TestServer server = new TestServer().handle("/", ex -> {
            synchronized (seen) {
                seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " token=" + ex.getRequestHeaders().getFirst("X-Token")
                        + " body=" + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            }
            TestServer.send(ex, 200, "ok".getBytes(StandardCharsets.UTF_8));
        }); ClientSession session = ClientSession.builder().baseUrl(server.url() + "/api/v1/").header("X-Token", "default").build()) {
            runner.run(() -> {
                session.get("items/1");
                session.get("/root");
                session.request("POST", "items", Map.of("x-token", "mine"), "data".getBytes(StandardCharsets.UTF_8));
            });
        }
        assertEquals(List.of("GET /api/v1/items/1 token=default body=", "GET /root token=default body=",
                "POST /api/v1/items token=mine body=data"), seen);
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
    void aBodyStalledMidwayEndsWithClientTimeoutErrorAtTheTotalTimeout(Runner runner) throws IOException {
        CountDownLatch arrived = new CountDownLatch(1);
        try (TestServer server = new TestServer(); ClientSession session = ClientSession.builder()
                .timeout(ClientTimeout.ofTotal(Duration.ofMillis(300))).build()) {
            server.handle("/stall", server.stallMidBody(arrived));
            long start = System.nanoTime();
            ClientTimeoutError e = assertThrows(ClientTimeoutError.class, () -> runner.run(() -> session.get(server.url() + "/stall")));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertInstanceOf(TimeoutError.class, e);
            assertTrue(e.getMessage().contains("total timeout"), e.getMessage());
            assertEquals(0, arrived.getCount());
            assertTrue(millis < 3000, "took " + millis + " ms");
        }
    }

    @AsyncioTest
    void aBodyStalledLongerThanSockReadEndsWithClientTimeoutError(Runner runner) throws IOException {
        CountDownLatch arrived = new CountDownLatch(1);
        try (TestServer server = new TestServer(); ClientSession session = ClientSession.builder()
                .timeout(new ClientTimeout(null, null, Duration.ofMillis(200))).build()) {
            server.handle("/stall", server.stallMidBody(arrived));
            server.handle("/ok", TestServer.answer("ok"));
            ClientTimeoutError e = assertThrows(ClientTimeoutError.class, () -> runner.run(() -> session.get(server.url() + "/stall")));
            assertTrue(e.getMessage().contains("sockRead"), e.getMessage());
            assertEquals("ok", runner.run(() -> session.get(server.url() + "/ok").text()));
        }
    }

    @AsyncioTest
    void aBodyOverMaxBodySizeRaisesBodyTooLargeWithOrWithoutContentLength(Runner runner) throws IOException {
        try (TestServer server = new TestServer()
                .handle("/sized", TestServer.answer(200, null, new byte[100]))
                .handle("/chunked", ex -> {
                    ex.sendResponseHeaders(200, 0);
                    try (var out = ex.getResponseBody()) {
                        for (int i = 0; i < 10; i++) {
                            out.write(new byte[10]);
                            out.flush();
                        }
                    } catch (IOException closedByTheClient) {
                        // expected once the client has seen enough
                    }
                })
                .handle("/fits", TestServer.answer(200, null, new byte[50]));
             ClientSession session = ClientSession.builder().baseUrl(server.url()).maxBodySize(50).build()) {
            assertThrows(BodyTooLarge.class, () -> runner.run(() -> session.get("/sized")));
            assertThrows(BodyTooLarge.class, () -> runner.run(() -> session.get("/chunked")));
            assertEquals(50, runner.run(() -> session.get("/fits").bytes().length));
        }
    }

    @AsyncioTest
    void limitPerHostKeepsAtMostThatManyRequestsAtTheServer(Runner runner) throws IOException {
        try (TestServer server = new TestServer(); ClientSession session = ClientSession.builder().limitPerHost(2).build()) {
            server.handle("/slow", server.counting(50));
            List<String> bodies = runner.run(() -> {
                List<Task<String>> tasks = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    tasks.add(Asyncio.createTask(() -> session.get(server.url() + "/slow").text()));
                }
                List<String> out = new ArrayList<>();
                for (Task<String> t : tasks) {
                    out.add(t.await());
                }
                return out;
            });
            assertEquals(List.of("ok", "ok", "ok", "ok", "ok", "ok"), bodies);
            assertEquals(2, server.maxInFlight.get());
        }
    }

    @AsyncioTest
    void limitKeepsAtMostThatManyRequestsInTotal(Runner runner) throws IOException {
        try (TestServer server = new TestServer(); ClientSession session = ClientSession.builder().limit(1).build()) {
            server.handle("/slow", server.counting(30));
            runner.run(() -> {
                Task<Response> a = Asyncio.createTask(() -> session.get(server.url() + "/slow"));
                Task<Response> b = Asyncio.createTask(() -> session.get("http://localhost:" + server.server.getAddress().getPort() + "/slow"));
                a.await();
                b.await();
            });
            assertEquals(1, server.maxInFlight.get());
        }
    }

    @AsyncioTest
    void cancellingATaskMidRequestFreesItsSlot(Runner runner) throws IOException {
        CountDownLatch arrived = new CountDownLatch(1);
        try (TestServer server = new TestServer(); ClientSession session = ClientSession.builder().limit(1).build()) {
            server.handle("/stall", server.stallMidBody(arrived));
            server.handle("/ok", TestServer.answer("ok"));
            String after = runner.run(() -> {
                Task<Response> stalled = Asyncio.createTask(() -> session.get(server.url() + "/stall"));
                while (arrived.getCount() > 0) {
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

    private static HttpHandler redirect(int status, String location) {
        return ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Location", location);
            TestServer.send(ex, status, new byte[0]);
        };
    }

    /** Records "METHOD path body=... auth=... cookie=... type=..." in {@code seen}, answers "done". */
    private static HttpHandler recording(List<String> seen) {
        return ex -> {
            String line = ex.getRequestMethod() + " " + ex.getRequestURI().getPath()
                    + " body=" + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                    + " auth=" + ex.getRequestHeaders().getFirst("Authorization")
                    + " cookie=" + ex.getRequestHeaders().getFirst("Cookie")
                    + " type=" + ex.getRequestHeaders().getFirst("Content-Type");
            synchronized (seen) {
                seen.add(line);
            }
            TestServer.send(ex, 200, ex.getRequestMethod().equals("HEAD") ? new byte[0] : "done".getBytes(StandardCharsets.UTF_8));
        };
    }

    @AsyncioTest
    void aChainOfTwoRedirectsEndsAtTheFinalUrl(Runner runner) throws IOException {
        List<String> seen = new ArrayList<>();
        try (TestServer server = new TestServer(); ClientSession session = ClientSession.builder().baseUrl("http://127.0.0.1:1/").build()) {
            server.handle("/first", redirect(302, "second?x=1"))
                    .handle("/second", redirect(301, server.url() + "/final"))
                    .handle("/final", recording(seen));
            Response r = runner.run(() -> session.get(server.url() + "/first"));
            assertEquals(200, r.status());
            assertEquals("done", r.text());
            assertEquals(server.url() + "/final", r.url().toString());
            assertEquals(List.of("GET /final body= auth=null cookie=null type=null"), seen);
        }
    }

    @AsyncioTest
    void a303AfterPostBecomesAGetWithoutBodyAndA307KeepsMethodAndBody(Runner runner) throws IOException {
        List<String> seen = new ArrayList<>();
        try (TestServer server = new TestServer(); ClientSession session = ClientSession.builder().baseUrl("http://127.0.0.1:1/").build()) {
            server.handle("/see-other", redirect(303, "/target"))
                    .handle("/temporary", redirect(307, "/target"))
                    .handle("/head", redirect(302, "/target"))
                    .handle("/target", recording(seen));
            Map<String, String> json = Map.of("Content-Type", "application/json");
            byte[] data = "{}".getBytes(StandardCharsets.UTF_8);
            runner.run(() -> {
                assertEquals(server.url() + "/target", session.request("POST", server.url() + "/see-other", json, data).url().toString());
                session.request("POST", server.url() + "/temporary", json, data);
                session.request("HEAD", server.url() + "/head", Map.of(), null);
            });
            assertEquals(List.of("GET /target body= auth=null cookie=null type=null",
                    "POST /target body={} auth=null cookie=null type=application/json",
                    "HEAD /target body= auth=null cookie=null type=null"), seen);
        }
    }

    @AsyncioTest
    void aRedirectLoopRaisesTooManyRedirectsAfterMaxHops(Runner runner) throws IOException {
        AtomicInteger hits = new AtomicInteger();
        try (TestServer server = new TestServer(); ClientSession session = ClientSession.builder().followRedirects(3).build()) {
            server.handle("/loop", ex -> {
                hits.incrementAndGet();
                redirect(302, "/loop").handle(ex);
            });
            TooManyRedirects e = assertThrows(TooManyRedirects.class, () -> runner.run(() -> session.get(server.url() + "/loop")));
            assertTrue(e.getMessage().contains("followed 3"), e.getMessage());
            assertTrue(e.getMessage().contains(server.url() + "/loop"), e.getMessage());
            assertEquals(4, hits.get());
        }
    }

    @AsyncioTest
    void aCrossOriginRedirectDropsAuthorizationAndCookieWhileASameOriginOneKeepsThem(Runner runner) throws IOException {
        List<String> seen = new ArrayList<>();
        try (TestServer server = new TestServer(); ClientSession session = ClientSession.builder()
                .header("Authorization", "Bearer secret").build()) {
            int port = server.server.getAddress().getPort();
            server.handle("/cross", redirect(302, "http://localhost:" + port + "/who"))
                    .handle("/same", redirect(307, "/who"))
                    .handle("/who", recording(seen));
            runner.run(() -> {
                Response cross = session.request("GET", server.url() + "/cross", Map.of("Cookie", "a=1"), null);
                assertEquals("http://localhost:" + port + "/who", cross.url().toString());
                session.request("GET", server.url() + "/same", Map.of("Cookie", "a=1"), null);
            });
            assertEquals(List.of("GET /who body= auth=null cookie=null type=null",
                    "GET /who body= auth=Bearer secret cookie=a=1 type=null"), seen);
        }
    }

    @AsyncioTest
    void aRedirectToANonHttpSchemeRaisesInvalidUrlNamingTheLocation(Runner runner) throws IOException {
        try (TestServer server = new TestServer(); ClientSession session = ClientSession.builder().build()) {
            server.handle("/ftp", redirect(302, "ftp://example.com/file"));
            InvalidUrl e = assertThrows(InvalidUrl.class, () -> runner.run(() -> session.get(server.url() + "/ftp")));
            assertTrue(e.getMessage().contains("ftp://example.com/file"), e.getMessage());
        }
    }

    @AsyncioTest
    void followRedirectsZeroReturnsTheRedirectAsItIs(Runner runner) throws IOException {
        try (TestServer server = new TestServer(); ClientSession session = ClientSession.builder().followRedirects(0).build()) {
            server.handle("/moved", redirect(302, "/elsewhere"));
            Response r = runner.run(() -> session.get(server.url() + "/moved"));
            assertEquals(302, r.status());
            assertEquals("/elsewhere", r.headers().firstValue("Location").orElseThrow());
            assertEquals(server.url() + "/moved", r.url().toString());
        }
    }

    @AsyncioTest
    void aRateLimitSpacesTheRequestsOnTheLoopClock(Runner runner) throws IOException {
        try (TestServer server = new TestServer(); ClientSession session = ClientSession.builder()
                .rateLimit(RateLimiter.perSecond(20)).build()) {
            server.handle("/ok", TestServer.answer("ok"));
            double took = runner.run(() -> {
                double start = Asyncio.getRunningLoop().time();
                for (int i = 0; i < 3; i++) {
                    session.get(server.url() + "/ok");
                }
                return Asyncio.getRunningLoop().time() - start;
            });
            // tokens at 0, 0.05 and 0.1 s (the timer may round up by a nanosecond, never down)
            assertTrue(took >= 0.0999, "took " + took + " s");
        }
    }

    @AsyncioTest
    void everyRedirectHopTakesItsOwnToken(Runner runner) throws IOException {
        RateLimiter limiter = RateLimiter.of(1, 3);
        try (TestServer server = new TestServer(); ClientSession session = ClientSession.builder().rateLimit(limiter).build()) {
            server.handle("/hop", redirect(302, "/ok")).handle("/ok", TestServer.answer("ok"));
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
