package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Task;
import io.asyncio4j.TaskGroup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Blocking {@code urlopen} calls one after another, then on worker threads with {@code Asyncio.toThread}.
 *
 * <p>Handed to worker threads inside a {@code TaskGroup}, the six pages take about a sixth of the time.
 *
 * <p>Tutorial: "비동기로 웹 페이지 가져오기" of "asyncio (Asynchronous I/O) 비동기 프로그래밍" ("동기 방식" with
 * {@code urlopen(Request(url, headers={'User-Agent': 'Mozilla/5.0'}))} in a loop, then "비동기 방식 —
 * asyncio.to_thread" with {@code await asyncio.to_thread(urlopen, request)} and
 * {@code await asyncio.to_thread(response.read)} in a {@code TaskGroup}; each prints the page sizes and
 * {@code 실행 시간} (elapsed time)). {@code urlopen} is {@code URLConnection.getInputStream()}. The six
 * Google searches are pages of the local server with the sizes the tutorial printed; give a base URL
 * argument to use another server. The sequential part runs on the loop too (the local server needs it),
 * in one task, so the requests still go one at a time. The times depend on the server's latency (100 ms).
 * <pre>
 * [74443, 137795, 84429, 327409, 65139, 154872]
 * Elapsed: 0.6xx s
 * [74443, 137795, 84429, 327409, 65139, 154872]
 * Elapsed: 0.1xx s
 * </pre>
 */
public final class ToThreadFetchExample {
    static final List<Integer> SIZES = List.of(74443, 137795, 84429, 327409, 65139, 154872);
    private static final List<String> FRUITS = List.of("apple", "pear", "grape", "pineapple", "orange", "strawberry");

    private final String baseUrl;
    private final Duration latency = Duration.ofMillis(100); // the local server's wait before each answer

    ToThreadFetchExample(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** {@code urlopen(Request(url, headers={'User-Agent': 'Mozilla/5.0'}))}: blocks until the headers arrive. */
    static InputStream urlopen(String url) throws IOException {
        URLConnection request = URI.create(url).toURL().openConnection();
        request.setRequestProperty("User-Agent", "Mozilla/5.0");
        return request.getInputStream();
    }

    /** The "asynchronous" fetch: both blocking calls run on worker threads. */
    int fetch(String url) {
        InputStream response = Asyncio.toThread(() -> urlopen(url));
        try (response) {
            byte[] page = Asyncio.toThread(response::readAllBytes);
            return page.length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Integer> main() throws IOException {
        try (TargetServer server = TargetServer.start(baseUrl, latency)) {
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < FRUITS.size(); i++) {
                urls.add(server.url() + "/bytes/" + SIZES.get(i) + "?q=" + FRUITS.get(i));
            }

            // synchronous: one page after the other
            EventLoop loop = Asyncio.getRunningLoop();
            double begin = loop.time();
            List<Integer> result = new ArrayList<>();
            for (String url : urls) {
                try (InputStream response = urlopen(url)) {
                    byte[] page = response.readAllBytes();
                    result.add(page.length);
                }
            }
            System.out.println(result);
            System.out.printf(Locale.ROOT, "Elapsed: %.3f s%n", loop.time() - begin);

            // asynchronous: to_thread in a TaskGroup
            begin = loop.time();
            List<Task<Integer>> tasks = TaskGroup.run(tg -> urls.stream()
                    .map(url -> tg.createTask(() -> fetch(url)))
                    .toList()); // the group waits for every task here
            List<Integer> results = tasks.stream().map(Task::result).toList();
            System.out.println(results);
            System.out.printf(Locale.ROOT, "Elapsed: %.3f s%n", loop.time() - begin);
            return results;
        }
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new ToThreadFetchExample(TargetServer.baseUrl(args)).main());
    }
}
