package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Outcome;
import io.asyncio4j.ThrowingFunction;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.Response;
import io.asyncio4j.sync.Semaphore;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An async data pipeline: fetch many pages at most N at once, process each as it arrives, drop the failures.
 *
 * <p>Tutorial: "비동기 데이터 파이프라인" in "AI/ML에서의 활용" of "asyncio - 비동기 프로그래밍"
 * ({@code async_data_pipeline(urls, process_fn, max_concurrent=10)}: {@code fetch_and_process} under a
 * {@code Semaphore}, gathered with {@code return_exceptions=True}, and only the results that are not
 * exceptions kept). The tutorial does not call it; here it counts the characters of four pages of the local
 * server, one of them at a URL that is not http(s), so that one failure is dropped. Give a base URL
 * argument to use another server. {@code return_exceptions=True} is {@code Asyncio.gatherSettled}.
 * <pre>
 * processed 3 of 4 pages: [74, 158, 1256]
 * </pre>
 */
public final class DataPipelineExample {
    private final String baseUrl;
    private final Duration latency = Duration.ofMillis(100); // the local server's wait before each answer

    DataPipelineExample(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Fetches every URL and applies {@code processFn} to its text; the failed ones are left out. */
    <T> List<T> asyncDataPipeline(List<String> urls, ThrowingFunction<String, T> processFn, int maxConcurrent) {
        Semaphore sem = new Semaphore(maxConcurrent);
        List<Outcome<T>> results;
        try (ClientSession session = ClientSession.builder().build()) {
            results = Asyncio.gatherSettled(urls, url -> { // return_exceptions=True
                try (var held = sem.hold()) {
                    Response response = session.get(url);
                    String data = response.text();
                    return processFn.apply(data);
                }
            });
        }
        List<T> processed = new ArrayList<>();
        for (Outcome<T> r : results) {
            if (r instanceof Outcome.Success<T> s) {
                processed.add(s.value());
            }
        }
        return processed;
    }

    List<Integer> main() throws IOException {
        try (TargetServer server = TargetServer.start(baseUrl, latency)) {
            List<String> urls = List.of(
                    server.url() + "/json",
                    server.url() + "/links/3",
                    "ftp://example.invalid/not-http", // fails: the session speaks http(s) only
                    server.url() + "/bytes/1256");
            List<Integer> sizes = asyncDataPipeline(urls, String::length, 10);
            System.out.println("processed " + sizes.size() + " of " + urls.size() + " pages: " + sizes);
            return sizes;
        }
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new DataPipelineExample(TargetServer.baseUrl(args)).main());
    }
}
