package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.sync.Semaphore;

import java.util.List;
import java.util.Locale;

/**
 * A semaphore limits how many calls run at once: ten one-second API calls, at most three at a time, take 4 s.
 *
 * <p>Tutorials: "Semaphore로 동시성 제한" ({@code call_api(sem, task_id)} with {@code asyncio.Semaphore(3)}
 * and {@code gather} of ten calls) and "세마포어와 락" ({@code limited_task}, the same pattern).
 * {@code async with sem:} is {@code try (var held = sem.hold())}. Waiting tasks get the permit in the
 * order they asked for it, so the calls start in batches 0-2, 3-5, 6-8 and 9.
 * <pre>
 *   task 0: API call started
 *   task 1: API call started
 *   task 2: API call started
 *   task 0: API call done
 *   task 1: API call done
 *   task 2: API call done
 *   task 3: API call started
 *   ...
 *   task 9: API call done
 * All done: 10 results in 4.0 s
 * </pre>
 */
public final class SemaphoreExample {

    /** Calls the API while holding a permit of {@code sem}: at most three of these run at once. */
    String callApi(Semaphore sem, int taskId) {
        try (var held = sem.hold()) { // async with sem: take a permit (waits while three calls run)
            System.out.println("  task " + taskId + ": API call started");
            Asyncio.sleep(1); // waiting for the API
            System.out.println("  task " + taskId + ": API call done");
            return "result_" + taskId;
        }
    }

    List<String> main() {
        EventLoop loop = Asyncio.getRunningLoop();
        double start = loop.time();
        Semaphore sem = new Semaphore(3); // at most three at the same time

        List<String> results = Asyncio.gather(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), i -> callApi(sem, i));
        System.out.printf(Locale.ROOT, "All done: %d results in %.1f s%n", results.size(), loop.time() - start);
        return results;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new SemaphoreExample().main());
    }
}
