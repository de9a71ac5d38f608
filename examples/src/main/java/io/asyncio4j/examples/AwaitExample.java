package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;

import java.util.Map;

/**
 * Awaiting another coroutine: main waits for fetchData and prints what it returned.
 *
 * <p>Tutorial: "await 키워드" ({@code result = await fetch_data()}). Awaiting a coroutine is calling the
 * method: the caller waits for it in the same task, and the task parks (letting others run) wherever
 * {@code fetchData} waits.
 * <pre>
 * Fetching data...
 * {data=value}
 * </pre>
 */
public final class AwaitExample {

    Map<String, String> fetchData() {
        System.out.println("Fetching data...");
        Asyncio.sleep(1); // stands in for I/O
        return Map.of("data", "value");
    }

    Map<String, String> main() {
        Map<String, String> result = fetchData();
        System.out.println(result);
        return result;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new AwaitExample().main());
    }
}
