package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.Response;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Fetch three JSON documents at once with one shared {@code ClientSession}, and print {@code [status] url}.
 *
 * <p>Tutorial: "aiohttp로 비동기 HTTP" of "asyncio - 비동기 프로그래밍" ({@code fetch_url(session, url)}
 * returning {@code {"url", "status", "data"}}, gathered for {@code jsonplaceholder.typicode.com/posts/1..3}).
 * The posts come from the local server's {@code /posts/{id}} instead; give a base URL argument to use
 * another server (e.g. {@code asyncio4j serve}). {@code async with session.get(url) as response} is
 * {@code session.get(url)}: the body is read before it returns. The dict is a record here.
 * <pre>
 * [200] http://127.0.0.1:PORT/posts/1
 * [200] http://127.0.0.1:PORT/posts/2
 * [200] http://127.0.0.1:PORT/posts/3
 * </pre>
 */
public final class FetchUrlsExample {
    private final String baseUrl;
    private final Duration latency = Duration.ofMillis(100); // the local server's wait before each answer

    FetchUrlsExample(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** What {@code fetch_url} returns. */
    record Fetched(String url, int status, Object data) {
    }

    /** Gets JSON data from {@code url}. */
    Fetched fetchUrl(ClientSession session, String url) {
        Response response = session.get(url);
        Object data = response.json();
        return new Fetched(url, response.status(), data);
    }

    List<Fetched> main() throws IOException {
        try (TargetServer server = TargetServer.start(baseUrl, latency)) {
            List<String> urls = List.of(
                    server.url() + "/posts/1",
                    server.url() + "/posts/2",
                    server.url() + "/posts/3");

            // one session for all requests: they share its connection pool
            List<Fetched> results;
            try (ClientSession session = ClientSession.builder().build()) {
                results = Asyncio.gather(urls, url -> fetchUrl(session, url));
            }

            for (Fetched r : results) {
                System.out.println("[" + r.status() + "] " + r.url());
            }
            return results;
        }
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new FetchUrlsExample(TargetServer.baseUrl(args)).main());
    }
}
