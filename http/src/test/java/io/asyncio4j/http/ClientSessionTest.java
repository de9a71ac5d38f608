package io.asyncio4j.http;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @AsyncioTest
    void builderRejectsNonsenseLimits(Runner runner) {
        assertThrows(IllegalArgumentException.class, () -> ClientSession.builder().limit(0));
        assertThrows(IllegalArgumentException.class, () -> ClientSession.builder().limitPerHost(-1));
        assertThrows(IllegalArgumentException.class, () -> ClientSession.builder().maxBodySize(-1));
        assertThrows(IllegalArgumentException.class, () -> new ClientTimeout(Duration.ZERO, null, null));
    }
}
