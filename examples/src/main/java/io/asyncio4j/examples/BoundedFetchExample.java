package io.asyncio4j.examples;

import java.util.Locale;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Asyncio;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.ClientTimeout;
import io.asyncio4j.http.Response;
import io.asyncio4j.sync.Semaphore;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A hundred calls made safe: one session, at most 20 in flight, every failure turned into a result.
 *
 * <p>The limit is a {@code Semaphore(20)}, held around each request.
 *
 * <p>Tutorial: "실전 패턴 — 100개 동시 호출 안전판" of "파이썬 async·await — asyncio"
 * ({@code fetch(client, url, sem)} returning {@code {"url", "status", "size"}} or {@code {"url", "error"}}
 * after {@code r.raise_for_status()}, and {@code main(["https://example.com"] * 100)}). The page is the
 * local server's {@code /bytes/1256} (the size of example.com); give a base URL argument to use another
 * server, answered after 0.1 s. The tutorial prints nothing; this runs the hundred calls one by one and
 * then at most 20 at once, timed on the loop clock, and prints how the calls ended and the first result.
 * <pre>
 * one by one: 100 results in 10.4 s
 * at most 20 at once: 100 results in 0.6 s
 * 100 results: 100 ok, 0 failed
 * Result[url=http://127.0.0.1:PORT/bytes/1256, status=200, size=1256, error=null]
 * </pre>
 */
public final class BoundedFetchExample {
    private final String baseUrl;
    private final Duration latency = Duration.ofMillis(100); // the local server's wait before each answer

    BoundedFetchExample(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** What {@code fetch} returns: the status and size, or the error. */
    record Result(String url, Integer status, Integer size, String error) {
    }

    Result fetch(ClientSession client, String url, Semaphore sem) {
        try (var held = sem.hold()) { // limits the requests in flight
            try {
                Response r = client.get(url);
                r.raiseForStatus();
                return new Result(url, r.status(), r.bytes().length, null);
            } catch (RuntimeException e) {
                return new Result(url, null, null, String.valueOf(e));
            }
        }
    }

    List<Result> main(List<String> urls) {
        return main(urls, 20);
    }

    /** Fetches {@code urls} with at most {@code limit} requests in flight. */
    List<Result> main(List<String> urls, int limit) {
        Semaphore sem = new Semaphore(limit); // at most `limit` at once
        try (ClientSession client = ClientSession.builder().timeout(ClientTimeout.ofTotal(Duration.ofSeconds(10))).build()) {
            return Asyncio.gather(urls, url -> fetch(client, url, sem));
        }
    }

    List<Result> main() throws IOException {
        try (TargetServer server = TargetServer.start(baseUrl, latency)) {
            List<String> urls = Collections.nCopies(100, server.url() + "/bytes/1256");
            EventLoop loop = Asyncio.getRunningLoop();
            double start = loop.time();
            List<Result> oneByOne = main(urls, 1);
            System.out.printf(Locale.ROOT, "one by one: %d results in %.1f s%n", oneByOne.size(), loop.time() - start);
            start = loop.time();
            List<Result> results = main(urls);
            System.out.printf(Locale.ROOT, "at most 20 at once: %d results in %.1f s%n", results.size(), loop.time() - start);
            List<Result> failed = new ArrayList<>();
            for (Result r : results) {
                if (r.error() != null) {
                    failed.add(r);
                }
            }
            System.out.println(results.size() + " results: " + (results.size() - failed.size()) + " ok, " + failed.size() + " failed");
            System.out.println(results.getFirst());
            return results;
        }
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new BoundedFetchExample(TargetServer.baseUrl(args)).main());
    }
}
