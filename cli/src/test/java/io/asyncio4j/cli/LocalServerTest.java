package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.ClientConnectionError;
import io.asyncio4j.http.ClientError;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.ClientTimeout;
import io.asyncio4j.http.ClientTimeoutError;
import io.asyncio4j.http.Response;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalServer} embedded with {@code builder().start()} inside {@code Asyncio.run}, talked to with a
 * {@link ClientSession} and with raw loopback sockets (to see exactly which bytes a fault sends).
 */
class LocalServerTest {

    private static final ClientTimeout SHORT_READ = new ClientTimeout(Duration.ofSeconds(10), null,
            Duration.ofMillis(100));

    /** Runs {@code body} against a server started from {@code builder}, both on one event loop. */
    private static <T> T withServer(LocalServer.Builder builder, ServerBody<T> body) {
        return Asyncio.run(() -> {
            try (LocalServer server = builder.start()) {
                return body.apply(server);
            }
        });
    }

    @FunctionalInterface
    private interface ServerBody<T> {
        T apply(LocalServer server) throws Exception;
    }

    /** A raw connection that has sent one request; its reads give up after 5 s so a bug cannot hang. */
    private static Socket send(LocalServer server, String request) throws IOException {
        URI u = URI.create(server.url());
        Socket s = new Socket(u.getHost(), u.getPort());
        s.setSoTimeout(5_000);
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    }

    private static String readAll(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Response r) {
        return (Map<String, Object>) r.json();
    }

    private static int integer(Object o) {
        return ((Number) o).intValue();
    }

    // ---- faults ----

    @Test
    void resetFaultResetsTheConnectionWithoutAResponseByte() {
        String seen = withServer(LocalServer.builder().fault(LocalServer.Fault.RESET, 1.0), server -> {
            try (Socket s = send(server, get("/json"))) {
                IOException e = assertThrows(IOException.class, () -> s.getInputStream().read());
                return e.getMessage();
            }
        });
        assertTrue(seen.contains("reset"), seen);
    }

    @Test
    void resetFaultIsAClientConnectionErrorForAClientSession() {
        withServer(LocalServer.builder().fault(LocalServer.Fault.RESET, 1.0), server -> {
            try (ClientSession session = ClientSession.builder().build()) {
                return assertThrows(ClientConnectionError.class, () -> session.get(server.url() + "/json"));
            }
        });
    }

    @Test
    void stallFaultTimesOutAClientWithAShortReadTimeout() {
        withServer(LocalServer.builder().fault(LocalServer.Fault.STALL, 1.0), server -> {
            try (ClientSession session = ClientSession.builder().timeout(SHORT_READ).build()) {
                return assertThrows(ClientTimeoutError.class, () -> session.get(server.url() + "/json"));
            }
        });
    }

    @Test
    void stallFaultHoldsTheConnectionUntilTheServerStops() {
        String after = withServer(LocalServer.builder().fault(LocalServer.Fault.STALL, 1.0), server -> {
            try (Socket s = send(server, get("/json"))) {
                s.setSoTimeout(50);
                assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
                s.setSoTimeout(5_000);
                server.close();
                return readAll(s);
            }
        });
        assertEquals("", after);
    }

    @Test
    void truncateFaultSendsTheFullContentLengthButHalfTheBody() {
        String all = withServer(LocalServer.builder().fault(LocalServer.Fault.TRUNCATE, 1.0), server -> {
            try (Socket s = send(server, get("/bytes/1000"))) {
                return readAll(s);
            }
        });
        assertTrue(all.startsWith("HTTP/1.1 200 OK\r\n"), all);
        assertTrue(all.contains("Content-Length: 1000\r\n"), all);
        String body = all.substring(all.indexOf("\r\n\r\n") + 4);
        assertEquals(500, body.length());
    }

    @Test
    void truncateFaultCutsAnInMemoryBodyInHalfToo() {
        String all = withServer(LocalServer.builder().fault(LocalServer.Fault.TRUNCATE, 1.0), server -> {
            try (Socket s = send(server, get("/status/200"))) {
                return readAll(s);
            }
        });
        assertTrue(all.contains("Content-Length: 7\r\n"), all);
        assertTrue(all.endsWith("\r\n\r\n200"), all);
    }

    @Test
    void truncateFaultIsAnErrorForAClientSession() {
        withServer(LocalServer.builder().fault(LocalServer.Fault.TRUNCATE, 1.0), server -> {
            try (ClientSession session = ClientSession.builder().build()) {
                return assertThrows(ClientError.class, () -> session.get(server.url() + "/bytes/1000").bytes());
            }
        });
    }

    @Test
    void slowHeadersFaultTimesOutAClientWithAShortReadTimeout() {
        withServer(LocalServer.builder().fault(LocalServer.Fault.SLOW_HEADERS, 1.0), server -> {
            try (ClientSession session = ClientSession.builder().timeout(SHORT_READ).build()) {
                return assertThrows(ClientTimeoutError.class, () -> session.get(server.url() + "/json"));
            }
        });
    }

    @Test
    void slowHeadersFaultStillAnswersAPatientClient() {
        String body = withServer(LocalServer.builder().fault(LocalServer.Fault.SLOW_HEADERS, 1.0)
                .linePause(Duration.ofMillis(10)), server -> {
            try (ClientSession session = ClientSession.builder().build()) {
                Response r = session.get(server.url() + "/status/201");
                assertEquals(201, r.status());
                return r.text();
            }
        });
        assertEquals("201 Created\n", body);
    }

    @Test
    void slowHeadersFaultSendsTheHeadOneLineAtATime() {
        String first = withServer(LocalServer.builder().fault(LocalServer.Fault.SLOW_HEADERS, 1.0), server -> {
            try (Socket s = send(server, get("/json"))) {
                byte[] buf = new byte[256];
                InputStream in = s.getInputStream();
                return new String(buf, 0, in.read(buf), StandardCharsets.ISO_8859_1);
            }
        });
        assertEquals("HTTP/1.1 200 OK\r\n", first);
    }

    /** 20 requests, one connection each: 'R' for a reset, '.' for an answer. */
    private static String resetPattern(double rate, long seed) {
        return withServer(LocalServer.builder().fault(LocalServer.Fault.RESET, rate).seed(seed), server -> {
            StringBuilder pattern = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                try (Socket s = send(server, get("/json"))) {
                    String answer = readAll(s);
                    assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
                    pattern.append('.');
                } catch (IOException e) {
                    pattern.append('R');
                }
            }
            return pattern.toString();
        });
    }

    @Test
    void faultRateZeroNeverFaults() {
        assertEquals(".".repeat(20), resetPattern(0.0, 42));
    }

    @Test
    void faultRateHalfWithASeedFaultsTheSameRequestsEveryRun() {
        String first = resetPattern(0.5, 42);
        assertEquals(first, resetPattern(0.5, 42));
        assertTrue(first.contains("R") && first.contains("."), first);
        assertNotEquals(first, resetPattern(0.5, 7));
    }

    @Test
    void faultRateOutside0To1IsRejected() {
        LocalServer.Builder b = LocalServer.builder();
        assertThrows(IllegalArgumentException.class, () -> b.fault(LocalServer.Fault.RESET, 1.5));
        assertThrows(IllegalArgumentException.class, () -> b.fault(LocalServer.Fault.RESET, -0.1));
        assertThrows(IllegalArgumentException.class, () -> b.fault(LocalServer.Fault.RESET, Double.NaN));
    }

    @Test
    void faultNamesAreTheCliSpellings() {
        assertEquals(List.of("reset", "stall", "truncate", "slow-headers"),
                java.util.Arrays.stream(LocalServer.Fault.values()).map(LocalServer.Fault::cliName).toList());
    }

    // ---- endpoints ----

    @Test
    void postsAreJsonPlaceholderShapedAndTheSameForTheSameId() {
        withServer(LocalServer.builder(), server -> {
            try (ClientSession session = ClientSession.builder().build()) {
                Response r = session.get(server.url() + "/posts/1");
                assertEquals(200, r.status());
                assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
                Map<String, Object> post = json(r);
                assertEquals(List.of("userId", "id", "title", "body"), List.copyOf(post.keySet()));
                assertEquals(1, integer(post.get("userId")));
                assertEquals(1, integer(post.get("id")));
                assertTrue(post.get("title") instanceof String t && !t.isBlank(), post.toString());
                assertTrue(post.get("body") instanceof String b && !b.isBlank(), post.toString());
                assertEquals(post, json(session.get(server.url() + "/posts/1")));
                assertEquals(10, integer(json(session.get(server.url() + "/posts/100")).get("userId")));
                return null;
            }
        });
    }

    @Test
    void postsOutside1To100AreNotFound() {
        withServer(LocalServer.builder(), server -> {
            try (ClientSession session = ClientSession.builder().build()) {
                for (String id : List.of("0", "101", "abc")) {
                    Response r = session.get(server.url() + "/posts/" + id);
                    assertEquals(404, r.status(), id);
                    assertEquals("{}\n", r.text());
                }
                return null;
            }
        });
    }

    @Test
    void echoAnswersWithTheRequestItRead() {
        Map<String, Object> echo = withServer(LocalServer.builder(), server -> {
            try (ClientSession session = ClientSession.builder().build()) {
                Response r = session.request("POST", server.url() + "/echo?q=a%20b&n=1",
                        Map.of("X-Trace", "abc"), "héllo".getBytes(StandardCharsets.UTF_8));
                assertEquals(200, r.status());
                return json(r);
            }
        });
        assertEquals("POST", echo.get("method"));
        assertEquals("/echo", echo.get("path"));
        assertEquals(Map.of("q", "a b", "n", "1"), echo.get("query"));
        Map<?, ?> headers = (Map<?, ?>) echo.get("headers");
        assertEquals("abc", headers.get("x-trace"));
        assertEquals("6", headers.get("content-length"));
        assertEquals("héllo", echo.get("body"));
        assertEquals(6, integer(echo.get("body_bytes")));
    }

    @Test
    void chatCompletionEchoesTheLastUserMessage() {
        Map<String, Object> c = withServer(LocalServer.builder(), server -> {
            try (ClientSession session = ClientSession.builder().header("Authorization", "Bearer test-key").build()) {
                Response r = session.postJson(server.url() + "/v1/chat/completions", Map.of(
                        "model", "gpt-4o-mini",
                        "temperature", 0.2,
                        "messages", List.of(
                                Map.of("role", "system", "content", "You are terse."),
                                Map.of("role", "user", "content", "Summarise asyncio in one line"))));
                assertEquals(200, r.status());
                return json(r);
            }
        });
        assertEquals("chat.completion", c.get("object"));
        assertTrue(c.get("id") instanceof String id && id.startsWith("chatcmpl-"), c.toString());
        assertEquals(ApiEndpoints.CREATED, ((Number) c.get("created")).longValue());
        assertEquals("gpt-4o-mini", c.get("model"));
        Map<?, ?> choice = (Map<?, ?>) ((List<?>) c.get("choices")).get(0);
        assertEquals(Map.of("role", "assistant", "content", "echo: Summarise asyncio in one line"),
                choice.get("message"));
        assertEquals("stop", choice.get("finish_reason"));
        Map<?, ?> usage = (Map<?, ?>) c.get("usage");
        assertEquals(8, integer(usage.get("prompt_tokens")));
        assertEquals(6, integer(usage.get("completion_tokens")));
        assertEquals(14, integer(usage.get("total_tokens")));
    }

    @Test
    void overItsRequestsPerMinuteTheApiAnswers429WithRetryAfterAndEveryAnswerCarriesRateLimitHeaders() {
        List<Response> rs = withServer(LocalServer.builder().limits(2, 1000), server -> {
            try (ClientSession session = ClientSession.builder().header("Authorization", "Bearer k").build()) {
                Map<String, Object> body = Map.of("messages", List.of(Map.of("role", "user", "content", "one two")),
                        "max_tokens", 10);
                List<Response> out = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    out.add(session.postJson(server.url() + "/v1/chat/completions", body));
                }
                return out;
            }
        });
        assertEquals(List.of(200, 200, 429), rs.stream().map(Response::status).toList());
        Response first = rs.getFirst();
        assertEquals("2", first.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
        assertEquals("1", first.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
        // the prompt's 2 words and max_tokens 10 were taken from 1000
        assertEquals("988", first.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
        assertTrue(first.headers().firstValue("x-request-id").orElseThrow().startsWith("req_"));
        Response refused = rs.get(2);
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 30, "Retry-After " + retryAfter);
        assertEquals("rate_limit_exceeded", ((Map<?, ?>) json(refused).get("error")).get("code"));
    }

    @Test
    void embeddingsAnswerOneVectorPerInputWithUsage() {
        Map<String, Object> e = withServer(LocalServer.builder(), server -> {
            try (ClientSession session = ClientSession.builder().header("Authorization", "Bearer k").build()) {
                Response r = session.postJson(server.url() + "/v1/embeddings",
                        Map.of("model", "text-embedding-3-small", "input", List.of("a b c", "d")));
                assertEquals(200, r.status(), r.text());
                return json(r);
            }
        });
        List<?> data = (List<?>) e.get("data");
        assertEquals(2, data.size());
        assertEquals(ApiEndpoints.EMBEDDING_SIZE, ((List<?>) ((Map<?, ?>) data.get(1)).get("embedding")).size());
        assertEquals(4, integer(((Map<?, ?>) e.get("usage")).get("prompt_tokens")));
    }

    @Test
    void chatCompletionWithoutABearerKeyIs401() {
        Response r = withServer(LocalServer.builder(), server -> {
            try (ClientSession session = ClientSession.builder().build()) {
                return session.postJson(server.url() + "/v1/chat/completions",
                        Map.of("model", "m", "messages", List.of(Map.of("role", "user", "content", "hi"))));
            }
        });
        assertEquals(401, r.status());
        Map<?, ?> error = (Map<?, ?>) json(r).get("error");
        assertEquals("invalid_request_error", error.get("type"));
        assertTrue(error.get("message") instanceof String m && m.contains("Bearer"), error.toString());
    }

    @Test
    void chatCompletionWithMalformedJsonOrNoMessagesIs400() {
        List<Response> rs = withServer(LocalServer.builder(), server -> {
            try (ClientSession session = ClientSession.builder().header("Authorization", "Bearer k").build()) {
                String url = server.url() + "/v1/chat/completions";
                return List.of(
                        session.post(url, "{not json".getBytes(StandardCharsets.UTF_8)),
                        session.postJson(url, Map.of("model", "m")),
                        session.postJson(url, Map.of("model", "m", "messages", List.of())));
            }
        });
        for (Response r : rs) {
            assertEquals(400, r.status(), r.text());
            Map<?, ?> error = (Map<?, ?>) json(r).get("error");
            assertEquals("invalid_request_error", error.get("type"), r.text());
            assertTrue(error.get("message") instanceof String m && !m.isBlank(), r.text());
        }
    }

    @Test
    void bodyOverOneMebibyteIs413AndTheConnectionCloses() {
        String all = withServer(LocalServer.builder(), server -> {
            try (Socket s = send(server, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + (Request.MAX_BODY + 1) + "\r\n\r\n")) {
                return readAll(s);
            }
        });
        assertTrue(all.startsWith("HTTP/1.1 413 Content Too Large\r\n"), all);
        assertTrue(all.contains("Connection: close\r\n"), all);
    }

    @Test
    void aClientStillUploadingAnOversizedBodyReadsThe413InsteadOfAReset() {
        int status = withServer(LocalServer.builder(), server -> {
            try (ClientSession session = ClientSession.builder().build()) {
                // far more than the socket buffers hold: the client is still writing when the 413 goes out
                return session.post(server.url() + "/echo", new byte[8 * Request.MAX_BODY]).status();
            }
        });
        assertEquals(413, status);
    }

    @Test
    void bodyOfExactlyOneMebibyteIsRead() {
        int bytes = withServer(LocalServer.builder(), server -> {
            try (ClientSession session = ClientSession.builder().build()) {
                return integer(json(session.post(server.url() + "/echo", new byte[Request.MAX_BODY]))
                        .get("body_bytes"));
            }
        });
        assertEquals(Request.MAX_BODY, bytes);
    }
}
