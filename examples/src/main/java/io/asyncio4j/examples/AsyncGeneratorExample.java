package io.asyncio4j.examples;

import io.asyncio4j.AsyncGenerator;
import io.asyncio4j.Asyncio;

import java.util.List;

/**
 * Async generators: a body that waits and yields values, consumed by a for-loop or collected into a list.
 *
 * <p>Tutorials: "비동기 이터레이터와 제너레이터" ({@code async def async_range(start, end, delay)} with
 * {@code await asyncio.sleep(delay)} and {@code yield i}, consumed by {@code async for} and by the async
 * comprehension {@code [num async for num in async_range(0, 5, 0.1)]}) and "제네레이터 방식으로 비동기
 * 이터레이터 만들기" ({@code async_counter(stop)}, which yields first and sleeps a second after each value).
 * {@code async def ... yield} is {@code Asyncio.generator(out -> ... out.yield(v) ...)}; the body runs only
 * while the loop asks for the next value, so {@code async_counter} takes 3 s for three values, as in Python.
 * <pre>
 * received: 0
 * received: 1
 * received: 2
 * received: 3
 * received: 4
 * collected: [0, 1, 2, 3, 4]
 * 0 1 2
 * </pre>
 */
public final class AsyncGeneratorExample {

    /** {@code async def async_range(start, end, delay)}: yields start..end-1, waiting {@code delay} s before each. */
    static AsyncGenerator<Integer> asyncRange(int start, int end, double delay) {
        return Asyncio.generator(out -> {
            for (int i = start; i < end; i++) {
                Asyncio.sleep(delay);
                out.yield(i);
            }
        });
    }

    /** {@code async def async_counter(stop)}: yields 0..stop-1, sleeping a second after each value. */
    static AsyncGenerator<Integer> asyncCounter(int stop) {
        return Asyncio.generator(out -> {
            int n = 0;
            while (n < stop) {
                out.yield(n);
                n++;
                Asyncio.sleep(1.0);
            }
        });
    }

    List<Integer> main() {
        // async for num in async_range(0, 5, 0.2):
        for (int num : asyncRange(0, 5, 0.2)) {
            System.out.println("received: " + num);
        }

        // values = [num async for num in async_range(0, 5, 0.1)]
        List<Integer> values = asyncRange(0, 5, 0.1).toList();
        System.out.println("collected: " + values);

        // async for i in async_counter(3): print(i, end=' ')
        StringBuilder line = new StringBuilder();
        for (int i : asyncCounter(3)) {
            line.append(i).append(' ');
        }
        System.out.println(line.toString().strip());
        return values;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new AsyncGeneratorExample().main());
    }
}
