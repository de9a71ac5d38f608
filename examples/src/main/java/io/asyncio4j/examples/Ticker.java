package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;

import java.util.concurrent.Callable;

/**
 * A task that ticks every 0.1 s, to see whether the loop is free: while a call runs in another task, the
 * ticker ticks if the call lets the loop run other tasks (the call <em>parks</em> its task) and stands
 * still if the call <em>holds the loop</em>. Used by the examples about blocking calls
 * ({@link ToThreadExample}, {@link RunInExecutorExample}, {@link AsyncLibrariesExample}).
 *
 * <p>It prints one line per call, for example
 * {@code Thread.sleep in the task: the ticker ticked 5 times, so the loop kept running}. The number of
 * ticks depends on the machine; whether it is zero does not: a call that holds the loop leaves it at 0.
 */
final class Ticker {
    /** How often the ticker ticks, in seconds. */
    static final double INTERVAL = 0.1;

    private Ticker() {
    }

    /**
     * Runs {@code call} in the current task beside a ticker task, prints what the ticker saw, and returns
     * the call's value.
     */
    static <T> T during(String what, Callable<T> call) throws Exception {
        int[] ticks = {0};
        Task<Void> ticker = Asyncio.createTask(() -> {
            while (true) {
                Asyncio.sleep(INTERVAL);
                ticks[0]++;
            }
        });
        Asyncio.sleep(0); // the ticker starts
        T value = call.call();
        int seen = ticks[0]; // read before anything else can run
        ticker.cancel();
        System.out.println(what + ": the ticker ticked " + seen + " times, so the loop "
                + (seen > 0 ? "kept running" : "was held"));
        return value;
    }

    /** Spins on the CPU for {@code seconds}: a stand-in for CPU-bound work (parsing, hashing, image work). */
    static long busyFor(double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long spins = 0;
        while (System.nanoTime() < end) {
            spins++;
        }
        return spins;
    }
}
