package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.Response;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Fetch several pages at once with one {@code ClientSession} and {@code gather}, texts in URL order.
 *
 * <p>Tutorials: "aiohttp 사용" in "9. 실전 예제: HTTP 요청" of "비동기 프로그래밍 (Async Programming)"
 * ({@code fetch(session, url)} returning {@code response.text()}, then {@code print(f"{url}:
 * {len(result)} bytes")}), and "6. 실전 패턴: HTTP 요청" of "asyncio 기초" ({@code fetch_url} and
 * {@code fetch_all(urls)}, then {@code print(f"Fetched {len(results)} pages")}). The pages
 * ({@code example.com}, {@code httpbin.org/get}, {@code api.github.com}, {@code api.example.com/1..3})
 * are the local server's; give a base URL argument to use another server.
 * <pre>
 * http://127.0.0.1:PORT/bytes/1256: 1256 bytes
 * http://127.0.0.1:PORT/json: 74 bytes
 * http://127.0.0.1:PORT/links/3: 158 bytes
 * Fetched 3 pages
 * </pre>
 */
public final class FetchPagesExample {
    private final String baseUrl;
    private final Duration latency = Duration.ofMillis(100); // the local server's wait before each answer

    FetchPagesExample(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    String fetch(ClientSession session, String url) {
        Response response = session.get(url);
        return response.text();
    }

    /** One session for all requests, one task per URL; the texts in URL order. */
    List<String> fetchAll(List<String> urls) {
        try (ClientSession session = ClientSession.builder().build()) {
            return Asyncio.gather(urls, url -> fetch(session, url));
        }
    }

    List<String> main() throws IOException {
        try (TargetServer server = TargetServer.start(baseUrl, latency)) {
            List<String> urls = List.of(
                    server.url() + "/bytes/1256",
                    server.url() + "/json",
                    server.url() + "/links/3");
            List<String> pages = fetchAll(urls);

            // "비동기 프로그래밍": each page's size
            for (int i = 0; i < urls.size(); i++) {
                System.out.println(urls.get(i) + ": " + pages.get(i).length() + " bytes");
            }
            // "asyncio 기초": how many
            System.out.println("Fetched " + pages.size() + " pages");
            return pages;
        }
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new FetchPagesExample(TargetServer.baseUrl(args)).main());
    }
}
