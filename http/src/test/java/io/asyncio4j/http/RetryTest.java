package io.asyncio4j.http;

import io.asyncio4j.Runner;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retry's policy arithmetic, and ClientSession retrying against a loopback server with real delays of
 * 10 ms (each test well under a second).
 */
@RealTime
class RetryTest {
    private static final Retry FAST = Retry.of(3).base(Duration.ofMillis(10)).max(Duration.ofMillis(40));

    /** Answers {@code status} (with {@code Retry-After: retryAfter} unless null) to the first {@code failures} requests, then "ok". */
    private static TestServer.Dispatcher failing(AtomicInteger hits, int failures, int status, String retryAfter) {
        return r -> {
            if (hits.incrementAndGet() > failures) {
                return Reply.ok("ok");
            }
            Reply reply = Reply.status(status);
            return retryAfter == null ? reply : reply.header("Retry-After", retryAfter);
        };
    }

    @AsyncioTest
    void a503TwiceThenA200EndsWithThe200AfterThreeAttempts(Runner runner) throws IOException {
        AtomicInteger hits = new AtomicInteger();
        try (TestServer server = TestServer.start(); ClientSession session = ClientSession.builder().retry(FAST).build()) {
            server.dispatcher(failing(hits, 2, 503, null));
            Response r = runner.run(() -> session.get(server.url() + "/flaky"));
            assertEquals(200, r.status());
            assertEquals("ok", r.text());
            assertEquals(3, r.attempts());
            assertEquals(3, hits.get());
        }
    }

    @AsyncioTest
    void whenEveryAttemptGetsA503TheLastResponseIsReturned(Runner runner) throws IOException {
        AtomicInteger hits = new AtomicInteger();
        try (TestServer server = TestServer.start(); ClientSession session = ClientSession.builder().retry(FAST).build()) {
            server.dispatcher(failing(hits, 100, 503, null));
            Response r = runner.run(() -> session.get(server.url() + "/down"));
            assertEquals(503, r.status());
            assertEquals(3, r.attempts());
            assertEquals(3, hits.get());
        }
    }

    @AsyncioTest
    void a429WithRetryAfterZeroIsRetriedAtOnceInsteadOfAfterTheBackoff(Runner runner) throws IOException {
        AtomicInteger hits = new AtomicInteger();
        // the backoff alone (5 to 10 s) would overrun the 2 s total timeout
        Retry slow = Retry.of(2).base(Duration.ofSeconds(10));
        try (TestServer server = TestServer.start(); ClientSession session = ClientSession.builder().retry(slow)
                .timeout(ClientTimeout.ofTotal(Duration.ofSeconds(2))).build()) {
            server.dispatcher(failing(hits, 1, 429, "0"));
            Response r = runner.run(() -> session.get(server.url() + "/limited"));
            assertEquals(200, r.status());
            assertEquals(2, r.attempts());
        }
    }

    @AsyncioTest
    void theBackoffSleepsCountAgainstTheTotalTimeout(Runner runner) throws IOException {
        AtomicInteger hits = new AtomicInteger();
        Retry slow = Retry.of(5).base(Duration.ofSeconds(10)).jitter(0);
        try (TestServer server = TestServer.start(); ClientSession session = ClientSession.builder().retry(slow)
                .timeout(ClientTimeout.ofTotal(Duration.ofMillis(200))).build()) {
            server.dispatcher(failing(hits, 100, 503, null));
            assertThrows(ClientTimeoutError.class, () -> runner.run(() -> session.get(server.url() + "/down")));
            assertEquals(1, hits.get());
        }
    }

    @AsyncioTest
    void postIsNotRetriedUnlessRetryNonIdempotentIsSet(Runner runner) throws IOException {
        AtomicInteger hits = new AtomicInteger();
        byte[] data = "x".getBytes(StandardCharsets.UTF_8);
        try (TestServer server = TestServer.start();
             ClientSession plain = ClientSession.builder().retry(FAST).build();
             ClientSession eager = ClientSession.builder().retry(FAST.retryNonIdempotent(true)).build()) {
            server.dispatcher(failing(hits, 100, 503, null));
            Response once = runner.run(() -> plain.request("POST", server.url() + "/down", Map.of(), data));
            assertEquals(1, once.attempts());
            assertEquals(1, hits.get());
            Response thrice = runner.run(() -> eager.request("POST", server.url() + "/down", Map.of(), data));
            assertEquals(3, thrice.attempts());
            assertEquals(4, hits.get());
        }
    }

    @AsyncioTest
    void aRefusedConnectionIsRetriedThenRaisesClientConnectionErrorWithTheEarlierOnesSuppressed(Runner runner) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (ClientSession session = ClientSession.builder().retry(FAST).build()) {
            ClientConnectionError e = assertThrows(ClientConnectionError.class,
                    () -> runner.run(() -> session.get("http://127.0.0.1:" + port + "/")));
            assertEquals(2, e.getSuppressed().length);
            assertInstanceOf(ClientConnectionError.class, e.getSuppressed()[0]);
        }
    }

    @AsyncioTest
    void withoutARetryPolicyA503IsReturnedAfterOneAttempt(Runner runner) throws IOException {
        AtomicInteger hits = new AtomicInteger();
        try (TestServer server = TestServer.start(); ClientSession session = ClientSession.builder().build()) {
            server.dispatcher(failing(hits, 100, 503, null));
            assertEquals(1, runner.run(() -> session.get(server.url() + "/down")).attempts());
            assertEquals(1, hits.get());
        }
    }

    @AsyncioTest
    void backoffDoublesUpToMaxLessItsJitter(Runner runner) {
        Retry r = Retry.of(5).base(Duration.ofMillis(10)).max(Duration.ofMillis(25)).jitter(0);
        assertEquals(Duration.ofMillis(10), r.backoff(1, 0.9));
        assertEquals(Duration.ofMillis(20), r.backoff(2, 0.9));
        assertEquals(Duration.ofMillis(25), r.backoff(3, 0.9));
        assertEquals(Duration.ofMillis(25), r.backoff(60, 0.9));
        Retry half = r.jitter(0.5);
        assertEquals(Duration.ofMillis(15), half.backoff(2, 0.5));
        assertEquals(Duration.ofMillis(20), half.backoff(2, 0.0));
    }

    @AsyncioTest
    void retryAfterTakesSecondsOrAnHttpDateCappedAtMax(Runner runner) {
        Retry r = Retry.of(2).max(Duration.ofSeconds(30));
        long now = 1_700_000_000_000L;
        assertEquals(Duration.ZERO, r.retryAfter("0", now));
        assertEquals(Duration.ofSeconds(7), r.retryAfter(" 7 ", now));
        assertEquals(Duration.ofSeconds(30), r.retryAfter("120", now));
        String in10s = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(now + 10_000), ZoneOffset.UTC));
        assertEquals(Duration.ofSeconds(10), r.retryAfter(in10s, now));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(now - 10_000), ZoneOffset.UTC));
        assertEquals(Duration.ZERO, r.retryAfter(past, now));
        assertNull(r.retryAfter("soon", now));
    }

    @AsyncioTest
    void nonsenseValuesAreRejected(Runner runner) {
        assertThrows(IllegalArgumentException.class, () -> Retry.of(0));
        assertThrows(IllegalArgumentException.class, () -> Retry.of(3).jitter(1.5));
        assertThrows(IllegalArgumentException.class, () -> Retry.of(3).jitter(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Retry.of(3).base(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> Retry.of(3).max(Duration.ofMillis(100)));
        assertThrows(NullPointerException.class, () -> Retry.of(3).base(null));
    }

    @AsyncioTest
    void a500IsRetriedByDefaultAndAnEmptySetOfStatusesRetriesNone(Runner runner) throws IOException {
        AtomicInteger hits = new AtomicInteger();
        try (TestServer server = TestServer.start();
             ClientSession byDefault = ClientSession.builder().retry(FAST).build();
             ClientSession none = ClientSession.builder().retry(FAST.statuses(Set.of())).build()) {
            server.dispatcher(failing(hits, 1, 500, null));
            Response r = runner.run(() -> byDefault.get(server.url() + "/flaky"));
            assertEquals(200, r.status());
            assertEquals(2, r.attempts());
            hits.set(0);
            assertEquals(500, runner.run(() -> none.get(server.url() + "/flaky")).status());
            assertEquals(1, hits.get());
        }
        assertEquals(Set.of(408, 429, 500, 502, 503, 504), Retry.of(2).statuses());
    }

    @AsyncioTest
    void anAttemptThatPassesItsAttemptTimeoutIsRetried(Runner runner) throws IOException {
        AtomicInteger hits = new AtomicInteger();
        try (TestServer server = TestServer.start();
             ClientSession session = ClientSession.builder()
                     .retry(FAST.attemptTimeout(Duration.ofSeconds(1))).build()) {
            server.dispatcher(q -> {
                if (hits.incrementAndGet() == 1) {
                    Thread.sleep(10_000); // ended by the server's close at the end of the test
                }
                return Reply.ok("ok");
            });
            Response r = runner.run(() -> session.get(server.url() + "/slow-once"));
            assertEquals("ok", r.text());
            assertEquals(2, r.attempts());
        }
    }

    @AsyncioTest
    void theLastAttemptTimeoutIsAClientTimeoutErrorWithTheEarlierAttached(Runner runner) throws IOException {
        try (TestServer server = TestServer.start();
             ClientSession session = ClientSession.builder()
                     .retry(Retry.of(2).base(Duration.ZERO).attemptTimeout(Duration.ofMillis(50))).build()) {
            server.dispatcher(q -> {
                Thread.sleep(3_000); // ended by the server's close at the end of the test
                return Reply.status(200);
            });
            ClientTimeoutError e = assertThrows(ClientTimeoutError.class,
                    () -> runner.run(() -> session.get(server.url() + "/stuck")));
            assertTrue(e.getMessage().startsWith("attempt timeout PT0.05S passed: GET http://127.0.0.1:"), e.getMessage());
            assertEquals(1, e.getSuppressed().length);
        }
    }

    @AsyncioTest
    void waitingForAHostSlotIsNotPartOfTheAttemptTimeout(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(r -> Reply.ok("ok"));
             ClientSession session = ClientSession.builder().limitPerHost(1)
                     .retry(Retry.of(1).attemptTimeout(Duration.ofMillis(500))).build()) {
            Response r = runner.run(() -> {
                // the streamed response holds the only slot of the host for 1.5 s, three attempt timeouts
                Response held = session.stream(server.url() + "/");
                io.asyncio4j.Task<Response> waiting = io.asyncio4j.Asyncio.createTask(() -> session.get(server.url() + "/"));
                io.asyncio4j.Asyncio.sleep(Duration.ofMillis(1500));
                held.close();
                return waiting.await();
            });
            assertEquals("ok", r.text());
            assertEquals(1, r.attempts());
        }
    }

    @AsyncioTest
    void waitingForARateLimiterTokenIsNotPartOfTheAttemptTimeout(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(r -> Reply.ok("ok"));
             ClientSession session = ClientSession.builder()
                     .rateLimit(io.asyncio4j.sync.RateLimiter.perSecond(1)) // a token every second
                     .retry(Retry.of(1).attemptTimeout(Duration.ofMillis(500))).build()) {
            List<Integer> attempts = runner.run(() -> {
                List<Integer> seen = new java.util.ArrayList<>();
                for (int i = 0; i < 2; i++) { // the second waits a second for its token, two attempt timeouts
                    seen.add(session.get(server.url() + "/").attempts());
                }
                return seen;
            });
            assertEquals(List.of(1, 1), attempts);
        }
    }

    @AsyncioTest
    void parseRetryAfterReadsSecondsAndTheThreeHttpDateForms(Runner runner) {
        Instant now = Instant.parse("1994-11-06T08:49:07Z");
        assertEquals(Optional.of(Duration.ofSeconds(120)), Retry.parseRetryAfter("120", now));
        assertEquals(Optional.of(Duration.ofSeconds(30)), Retry.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now));
        assertEquals(Optional.of(Duration.ofSeconds(30)), Retry.parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now));
        assertEquals(Optional.of(Duration.ofSeconds(30)), Retry.parseRetryAfter("Sun Nov  6 08:49:37 1994", now));
        assertEquals(Optional.of(Duration.ZERO), Retry.parseRetryAfter("Sun, 06 Nov 1994 08:49:00 GMT", now));
        assertEquals(Optional.empty(), Retry.parseRetryAfter("-5", now));
        assertEquals(Optional.empty(), Retry.parseRetryAfter("in a minute", now));
    }

    @AsyncioTest
    void aResendOnAFreshConnectionAfterAStalePooledOneCountsAsAnAttempt(Runner runner) throws Exception {
        String ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        // connection 0 answers one request and is closed by the server while it idles in the client's pool
        try (TestServer server = TestServer.start(q -> q.connection() == 0 ? Reply.raw(ok).closeAfter() : Reply.raw(ok));
             ClientSession session = ClientSession.builder().build()) {
            Response second = runner.run(() -> {
                session.get(server.url() + "/first");
                for (int i = 0; i < 100 && server.closedConnectionCount() == 0; i++) {
                    io.asyncio4j.Asyncio.sleep(Duration.ofMillis(10));
                }
                return session.get(server.url() + "/second");
            });
            assertEquals("ok", second.text());
            assertEquals(2, server.connectionCount(), "the GET was sent again on a fresh connection");
            assertEquals(2, second.attempts(), "the resend counts");
        }
    }

    @AsyncioTest
    void theNewValuesAreChecked(Runner runner) {
        assertThrows(IllegalArgumentException.class, () -> Retry.of(3).attemptTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Retry.of(3).statuses(Set.of(42)));
        assertThrows(NullPointerException.class, () -> Retry.of(3).statuses(null));
    }
}
