package io.asyncio4j.http;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Outcome;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.sync.RateLimiter;
import io.asyncio4j.sync.Semaphore;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java programs of docs/guide-http.md, kept here so that they compile against the current API, and run
 * against a loopback server. The bodies of {@link #fetchAll}, {@link #summarizeAll} and {@link #politeSession}
 * are the guide's code: change one, change the other.
 */
@RealTime
class GuideExamplesTest {

    // ---- guide: fetch many URLs ----
    static List<String> fetchAll(List<String> urls) {
        Semaphore sem = new Semaphore(10);                       // at most 10 requests in flight
        try (ClientSession session = ClientSession.builder().build()) {
            return Asyncio.gather(urls, url -> {                 // one task per URL, results in URL order
                try (var held = sem.hold()) {                    // async with sem:
                    Response r = session.get(url);
                    r.raiseForStatus();
                    return r.text();
                }
            });
        }
    }

    // ---- guide: LLM batch ----
    static String callLlm(ClientSession session, Semaphore sem, String api, String prompt) {
        try (var held = sem.hold()) {
            byte[] body = ("{\"prompt\": \"" + prompt + "\"}").getBytes(StandardCharsets.UTF_8);
            Response r = session.request("POST", api, Map.of("Content-Type", "application/json"), body);
            r.raiseForStatus();                                  // 4xx/5xx -> ClientResponseError
            return r.text();
        }
    }

    static List<String> summarizeAll(String api, List<String> prompts) {
        Semaphore sem = new Semaphore(5);
        try (ClientSession session = ClientSession.builder()
                .timeout(ClientTimeout.ofTotal(Duration.ofSeconds(60)))
                .build()) {
            List<Task<String>> calls = prompts.stream()
                    .map(p -> Asyncio.createTask(() -> callLlm(session, sem, api, p)))
                    .toList();
            List<Outcome<String>> results = Asyncio.gatherSettled(calls);   // return_exceptions=True
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                lines.add(switch (results.get(i)) {
                    case Outcome.Success<String> s -> s.value();
                    case Outcome.Failure<String> f -> "failed " + prompts.get(i) + ": " + f.exception().getMessage();
                });
            }
            return lines;
        }
    }

    // ---- guide: LLM batch with a rate limit and retries ----
    static ClientSession politeSession() {
        return ClientSession.builder()
                .timeout(ClientTimeout.ofTotal(Duration.ofSeconds(120)))
                .limit(5)                                         // the Semaphore(5), built in
                .rateLimit(RateLimiter.perSecond(50))             // at most 50 requests per second
                .retry(Retry.of(4)                                // on connection errors, 429 and 503
                        .base(Duration.ofMillis(20))
                        .max(Duration.ofMillis(200))              // also caps Retry-After
                        .retryNonIdempotent(true))                // POST is not retried unless asked
                .build();
    }

    @AsyncioTest
    void fetchManyUrlsReturnsEveryPageInUrlOrder(Runner runner) throws Exception {
        try (TestServer server = TestServer.start(r -> Reply.ok(r.path()))) {
            List<String> urls = IntStream.range(0, 30).mapToObj(i -> server.url() + "/page/" + i).toList();
            List<String> pages = runner.run(() -> fetchAll(urls));
            assertEquals(IntStream.range(0, 30).mapToObj(i -> "/page/" + i).toList(), pages);
        }
    }

    @AsyncioTest
    void theLlmBatchReportsEachFailureNextToTheSuccessesAndKeepsFiveInFlight(Runner runner) throws Exception {
        try (TestServer server = TestServer.start(r -> {
            Thread.sleep(20); // held at the server, so that the client's limit shows in maxInFlight
            boolean bad = r.bodyText().contains("p3");
            return bad ? Reply.status(500).body("boom") : Reply.ok("done " + r.bodyText());
        })) {
            List<String> prompts = IntStream.range(0, 12).mapToObj(i -> "p" + i).toList();
            List<String> lines = runner.run(() -> summarizeAll(server.url() + "/v1/complete", prompts));
            assertEquals(12, lines.size());
            assertEquals("done {\"prompt\": \"p0\"}", lines.get(0));
            assertTrue(lines.get(3).startsWith("failed p3: "), lines.get(3));
            assertTrue(lines.get(3).contains("500"), lines.get(3));
            assertTrue(server.maxInFlight() <= 5, "max in flight " + server.maxInFlight());
        }
    }

    @AsyncioTest
    void thePoliteSessionRetriesA429AndTheCallerSeesTheSuccess(Runner runner) throws Exception {
        try (TestServer server = TestServer.start(); ClientSession session = politeSession()) {
            server.enqueue(Reply.status(429).header("Retry-After", "1"), Reply.ok("done"));
            String answer = runner.run(() -> callLlm(session, new Semaphore(5), server.url() + "/v1/complete", "hello"));
            assertEquals("done", answer);
            assertEquals(2, server.requestCount()); // the 429, then the retry after at most 200 ms (not the 1 s asked)
        }
    }

    // ---- guide: bodies, buffered or streamed ----
    static void download(String url, Path path) throws IOException {
        try (ClientSession session = ClientSession.builder().maxBodySize(Long.MAX_VALUE).build();
             Response r = session.stream(url);
             OutputStream out = Files.newOutputStream(path)) {
            r.stream().transferTo(out);
        }
    }

    @AsyncioTest
    void theGuidesDownloadWritesAGzipBodyPastTheSessionsDefaultCapDecodedToAFile(Runner runner, @TempDir Path dir)
            throws Exception {
        byte[] body = new byte[65 * 1024 * 1024]; // 1 MiB over the default maxBodySize, 64 KiB once gzipped
        java.util.Arrays.fill(body, (byte) 'a');
        try (TestServer server = TestServer.start(r -> Reply.status(200).header("Content-Encoding", "gzip")
                .body(CompressionTest.gzip(body)).chunked(16 * 1024))) {
            Path file = dir.resolve("big.txt");
            runner.run(() -> {
                download(server.url() + "/big", file);
                return null;
            });
            assertEquals(body.length, Files.size(file));
            try (var in = Files.newInputStream(file)) {
                byte[] chunk = new byte[64 * 1024];
                for (int n; (n = in.read(chunk)) > 0; ) {
                    for (int i = 0; i < n; i++) {
                        assertEquals('a', chunk[i]);
                    }
                }
            }
        }
    }

    // ---- guide: interceptors ----

    /** Where the guide's auth interceptor gets its tokens. */
    interface Tokens {
        String current();

        String refresh();
    }

    static ClientSession authSession(Tokens tokens) {
        Interceptor auth = chain -> {
            Request r = chain.request();
            Response resp = chain.proceed(r.withHeader("Authorization", "Bearer " + tokens.current()));
            if (resp.status() != 401) {
                return resp;
            }
            resp.close();                                  // a dropped response is closed
            return chain.proceed(r.withHeader("Authorization", "Bearer " + tokens.refresh()));
        };
        return ClientSession.builder().interceptor(auth).retry(Retry.of(3)).build();
    }

    @AsyncioTest
    void theAuthInterceptorOfTheGuideRefreshesAnExpiredTokenOnce(Runner runner) throws Exception {
        String[] token = {"expired"};
        Tokens tokens = new Tokens() {
            @Override
            public String current() {
                return token[0];
            }

            @Override
            public String refresh() {
                token[0] = "fresh";
                return token[0];
            }
        };
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        try (TestServer server = TestServer.start(); ClientSession session = authSession(tokens)) {
            server.dispatcher(r -> {
                String auth = r.header("Authorization");
                seen.add(auth);
                boolean ok = "Bearer fresh".equals(auth);
                return ok ? Reply.ok("me") : Reply.status(401).body("expired");
            });
            assertEquals("me", runner.run(() -> session.get(server.url() + "/me").text()));
            assertEquals("me", runner.run(() -> session.get(server.url() + "/me").text()));
            assertEquals(List.of("Bearer expired", "Bearer fresh", "Bearer fresh"), seen);
        }
    }
}
