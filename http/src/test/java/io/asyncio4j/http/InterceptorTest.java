package io.asyncio4j.http;

import io.asyncio4j.Runner;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session's interceptor chain: interceptors see and change the request, see the response or the error,
 * may call the rest of the chain again; application interceptors see each call once, network interceptors
 * each request on the wire (retry attempts, redirect hops); a changed request is checked like a caller's.
 * Real time: a loopback server.
 */
@RealTime
class InterceptorTest {
    private static final Retry FAST = Retry.of(3).base(Duration.ofMillis(5)).max(Duration.ofMillis(20));

    /** Answers with the value of the request header {@code X-Token} (or "none"). */
    private static void echoToken(TestServer server, AtomicInteger hits) {
        server.dispatcher(r -> {
            hits.incrementAndGet();
            String token = r.header("X-Token");
            return Reply.ok(token == null ? "none" : token);
        });
    }

    @AsyncioTest
    void anInterceptorChangesTheRequestAndSeesTheResponse(Runner runner) throws IOException {
        AtomicInteger hits = new AtomicInteger();
        List<String> seen = new ArrayList<>();
        Interceptor addToken = chain -> {
            Response r = chain.proceed(chain.request().withHeader("X-Token", "secret"));
            seen.add(chain.request().method() + " " + r.status());
            return r;
        };
        try (TestServer server = TestServer.start();
             ClientSession session = ClientSession.builder().interceptor(addToken).build()) {
            echoToken(server, hits);
            String body = runner.run(() -> session.get(server.url() + "/echo").text());
            assertEquals("secret", body);
            assertEquals(List.of("GET 200"), seen);
        }
    }

    @AsyncioTest
    void interceptorsRunInTheOrderAddedTheFirstOutermost(Runner runner) throws IOException {
        List<String> order = new ArrayList<>();
        Interceptor outer = chain -> {
            order.add("outer in");
            Response r = chain.proceed(chain.request());
            order.add("outer out");
            return r;
        };
        Interceptor inner = chain -> {
            order.add("inner in");
            Response r = chain.proceed(chain.request());
            order.add("inner out");
            return r;
        };
        try (TestServer server = TestServer.start(r -> Reply.ok("ok"));
             ClientSession session = ClientSession.builder().interceptor(outer).interceptor(inner).build()) {
            runner.run(() -> session.get(server.url() + "/").text());
            assertEquals(List.of("outer in", "inner in", "inner out", "outer out"), order);
        }
    }

    @AsyncioTest
    void anInterceptorSeesTheErrorOfARefusedConnection(Runner runner) throws IOException {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        List<String> errors = new ArrayList<>();
        Interceptor watch = chain -> {
            try {
                return chain.proceed(chain.request());
            } catch (ClientConnectionError e) {
                errors.add(e.getClass().getSimpleName());
                throw e;
            }
        };
        try (ClientSession session = ClientSession.builder().interceptor(watch).build()) {
            assertThrows(ClientConnectionError.class,
                    () -> runner.run(() -> session.get("http://127.0.0.1:" + closedPort + "/")));
            assertEquals(List.of("ClientConnectionError"), errors);
        }
    }

    @AsyncioTest
    void anInterceptorMayCallTheChainAgainToRefreshATokenAfterA401(Runner runner) throws IOException {
        AtomicInteger hits = new AtomicInteger();
        Interceptor refresh = chain -> {
            Response r = chain.proceed(chain.request().withHeader("X-Token", "old"));
            if (r.status() != 401) {
                return r;
            }
            r.close();
            return chain.proceed(chain.request().withHeader("X-Token", "new"));
        };
        try (TestServer server = TestServer.start();
             ClientSession session = ClientSession.builder().interceptor(refresh).build()) {
            server.dispatcher(q -> {
                hits.incrementAndGet();
                boolean fresh = "new".equals(q.header("X-Token"));
                return fresh ? Reply.ok("data") : Reply.status(401).body("expired");
            });
            String body = runner.run(() -> session.get(server.url() + "/api").text());
            assertEquals("data", body);
            assertEquals(2, hits.get());
        }
    }

    @AsyncioTest
    void anApplicationInterceptorSeesOneCallAndANetworkInterceptorEachAttemptAndHop(Runner runner) throws IOException {
        AtomicInteger flaky = new AtomicInteger();
        List<String> application = new ArrayList<>();
        List<String> network = new ArrayList<>();
        try (TestServer server = TestServer.start();
             ClientSession session = ClientSession.builder().retry(FAST)
                     .interceptor(chain -> {
                         Response r = chain.proceed(chain.request());
                         application.add(chain.request().uri().getPath() + " " + r.status() + " attempt " + chain.attempt());
                         return r;
                     })
                     .networkInterceptor(chain -> {
                         Response r = chain.proceed(chain.request());
                         network.add(chain.request().uri().getPath() + " " + r.status() + " attempt " + chain.attempt());
                         return r;
                     })
                     .build()) {
            server.dispatcher(q -> q.path().equals("/moved") ? Reply.status(302).header("Location", "/flaky")
                    : Reply.status(flaky.incrementAndGet() == 1 ? 503 : 200));
            Response r = runner.run(() -> session.get(server.url() + "/moved"));
            assertEquals(200, r.status());
            assertEquals(2, r.attempts());
            assertEquals(List.of("/moved 200 attempt 1"), application);
            assertEquals(List.of("/moved 302 attempt 1", "/flaky 503 attempt 1",
                    "/moved 302 attempt 2", "/flaky 200 attempt 2"), network);
        }
    }

    @AsyncioTest
    void aHeaderWithCrLfFromAnInterceptorIsRefusedBeforeAnythingIsSent(Runner runner) throws IOException {
        AtomicInteger hits = new AtomicInteger();
        Interceptor inject = chain -> chain.proceed(chain.request().withHeader("X-Token", "a\r\nX-Injected: yes"));
        try (TestServer server = TestServer.start();
             ClientSession session = ClientSession.builder().interceptor(inject).build()) {
            echoToken(server, hits);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> runner.run(() -> session.get(server.url() + "/echo")));
            assertTrue(e.getMessage().contains("\"X-Token\"") && e.getMessage().contains("a\\r\\nX-Injected: yes"),
                    e.getMessage());
            assertEquals(0, hits.get());
        }
    }

    @AsyncioTest
    void aMethodOrUrlWithCrLfFromAnInterceptorIsRefused(Runner runner) throws IOException {
        try (ClientSession methodChanger = ClientSession.builder()
                     .interceptor(chain -> chain.proceed(chain.request().withMethod("GET /x HTTP/1.1\r\nHost: y\r\n\r\nGET")))
                     .build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> runner.run(() -> methodChanger.get("http://127.0.0.1:1/")));
            assertTrue(e.getMessage().startsWith("illegal method \"GET /x HTTP/1.1\\r\\n"), e.getMessage());
        }
        InvalidUrl bad = assertThrows(InvalidUrl.class, () -> Request.of("GET", "http://127.0.0.1/a\r\nX: y"));
        assertTrue(bad.getMessage().contains("a\\r\\nX: y"), bad.getMessage());
    }
}
