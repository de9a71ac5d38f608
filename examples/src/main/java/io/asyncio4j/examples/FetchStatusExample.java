package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.ClientTimeout;
import io.asyncio4j.http.Response;

import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

/**
 * The first look at async HTTP: five GETs at once with {@code gather}, the status codes in order.
 *
 * <p>Tutorial: "async 의 첫 모습" of "파이썬 async·await — asyncio" ({@code fetch(url)} opening an
 * {@code httpx.AsyncClient(timeout=10)} and returning {@code r.status_code}, gathered for five
 * {@code https://example.com}; sequentially 5 s, concurrently 1 s). {@code httpx.AsyncClient} is a
 * {@code ClientSession} with a {@code ClientTimeout} of 10 s. The page is the local server's {@code /json};
 * give a base URL argument to use another server.
 * <pre>
 * [200, 200, 200, 200, 200]
 * </pre>
 */
public final class FetchStatusExample {
    private final String baseUrl;
    private final Duration latency = Duration.ofMillis(100); // the local server's wait before each answer

    FetchStatusExample(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    int fetch(String url) {
        try (ClientSession client = ClientSession.builder().timeout(ClientTimeout.ofTotal(Duration.ofSeconds(10))).build()) {
            Response r = client.get(url);
            return r.status();
        }
    }

    List<Integer> main() throws IOException {
        try (TargetServer server = TargetServer.start(baseUrl, latency)) {
            List<String> urls = Collections.nCopies(5, server.url() + "/json");
            // sequentially, five latencies:
            // for (String u : urls) fetch(u);
            // concurrently, one:
            List<Integer> results = Asyncio.gather(urls, this::fetch);
            System.out.println(results);
            return results;
        }
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new FetchStatusExample(TargetServer.baseUrl(args)).main());
    }
}
