package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;

import java.io.PrintStream;
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
    private final PrintStream out;

    AwaitExample(PrintStream out) {
        this.out = out;
    }

    Map<String, String> fetchData() {
        out.println("Fetching data...");
        Asyncio.sleep(1); // stands in for I/O
        return Map.of("data", "value");
    }

    Map<String, String> main() {
        Map<String, String> result = fetchData();
        out.println(result);
        return result;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new AwaitExample(System.out).main());
    }
}
