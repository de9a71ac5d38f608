package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * CPU-bound work does not belong on the loop: run it on a pool of its own with {@code loop.runInExecutor}.
 *
 * <p>Tutorial: "실수 3: CPU 바운드 작업에 asyncio 사용" in "7. 흔한 실수" of "asyncio 기초" (calling
 * {@code heavy_computation()} inside a coroutine holds the loop; instead {@code await
 * loop.run_in_executor(pool, heavy_computation)} with {@code with ProcessPoolExecutor() as pool}). Java has
 * no GIL, so a pool of platform threads ({@code Executors.newFixedThreadPool}, closed by try-with-resources
 * like Python's {@code with}) runs the work in parallel where Python needs processes. While it runs, the
 * loop is free: here a second task prints meanwhile. The computation counts the primes below 200,000.
 * <pre>
 * the loop is free while the pool computes
 * primes below 200000: 17984
 * </pre>
 */
public final class CpuBoundExample {
    static final int LIMIT = 200_000;


    /** Pure computation: never waits, so on the loop it would stall every other task until it ends. */
    static int heavyComputation() {
        int count = 0;
        for (int n = 2; n < LIMIT; n++) {
            boolean prime = true;
            for (int d = 2; d * d <= n; d++) {
                if (n % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                count++;
            }
        }
        return count;
    }

    int main() {
        EventLoop loop = Asyncio.getRunningLoop();
        var other = Asyncio.createTask(() -> System.out.println("the loop is free while the pool computes"));
        int result;
        try (ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors())) {
            result = loop.runInExecutor(pool, CpuBoundExample::heavyComputation).await();
        }
        other.await();
        System.out.println("primes below " + LIMIT + ": " + result);
        return result;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new CpuBoundExample().main());
    }
}
