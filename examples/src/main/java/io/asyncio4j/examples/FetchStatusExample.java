package io.asyncio4j.examples;

import java.util.Locale;
import java.util.ArrayList;
import io.asyncio4j.EventLoop;
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
 * {@code ClientSession} with a {@code ClientTimeout} of 10 s. The page is the local server's {@code /json},
 * answered after a second as example.com about is; give a base URL argument to use another server. Both
 * ways run, timed on the loop clock, so the tutorial's two comments become two lines:
 * <pre>
 * one by one: [200, 200, 200, 200, 200] in 5.1 s
 * together:   [200, 200, 200, 200, 200] in 1.0 s
 * </pre>
 */
public final class FetchStatusExample {
    private final String baseUrl;
    private final Duration latency = Duration.ofSeconds(1); // the local server's wait before each answer

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
            EventLoop loop = Asyncio.getRunningLoop();

            double start = loop.time(); // sequentially: five latencies
            List<Integer> oneByOne = new ArrayList<>();
            for (String u : urls) {
                oneByOne.add(fetch(u));
            }
            System.out.printf(Locale.ROOT, "one by one: %s in %.1f s%n", oneByOne, loop.time() - start);

            start = loop.time(); // concurrently: one
            List<Integer> results = Asyncio.gather(urls, this::fetch);
            System.out.printf(Locale.ROOT, "together:   %s in %.1f s%n", results, loop.time() - start);
            return results;
        }
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new FetchStatusExample(TargetServer.baseUrl(args)).main());
    }
}
