package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;

import java.util.List;
import java.util.Locale;

/**
 * Sequential versus concurrent: three two-second requests take 6 s one after another, 2 s together.
 *
 * <p>Tutorial: "동시 실행 - gather" ({@code fetch_data}, then {@code asyncio.gather}). The concurrent half
 * is {@code Asyncio.gather}: one task per request, results in the order given.
 * <pre>
 *   [API-1] request started
 *   [API-1] request done
 *   ...                              (three times, 2 s each)
 * Sequential: 6.0 s
 *   [API-1] request started
 *   [API-2] request started
 *   [API-3] request started
 *   [API-1] request done
 *   [API-2] request done
 *   [API-3] request done
 * Concurrent: 2.0 s
 * Results: [API-1: data, API-2: data, API-3: data]
 * </pre>
 */
public final class GatherExample {

    /** Fetches data: here, waits {@code delay} seconds as a slow server would. */
    String fetchData(String name, double delay) {
        System.out.println("  [" + name + "] request started");
        Asyncio.sleep(delay);
        System.out.println("  [" + name + "] request done");
        return name + ": data";
    }

    List<String> main() {
        EventLoop loop = Asyncio.getRunningLoop();

        // Sequential: about 6 seconds
        double start = loop.time();
        String r1 = fetchData("API-1", 2);
        String r2 = fetchData("API-2", 2);
        String r3 = fetchData("API-3", 2);
        System.out.printf(Locale.ROOT, "Sequential: %.1f s%n", loop.time() - start);

        // Concurrent: about 2 seconds
        start = loop.time();
        List<String> results = Asyncio.gather(
                () -> fetchData("API-1", 2),
                () -> fetchData("API-2", 2),
                () -> fetchData("API-3", 2));
        System.out.printf(Locale.ROOT, "Concurrent: %.1f s%n", loop.time() - start);
        System.out.println("Results: " + results);
        return results;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new GatherExample().main());
    }
}
