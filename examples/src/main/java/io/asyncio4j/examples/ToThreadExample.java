package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;

import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code Asyncio.toThread}: the short way to run a blocking function on a worker thread and await it.
 *
 * <p>Tutorials: "to_thread() (Python 3.9+)" ({@code result = await asyncio.to_thread(blocking_io)}), and
 * the "블로킹 I/O 처리 방식 비교" section, which explains why: a blocking call made directly in a task
 * holds the whole loop. To show that the loop stays free, a second task runs while the worker thread
 * blocks.
 * <pre>
 * Another task runs while the worker thread blocks
 * result                  (after 2 s)
 * </pre>
 */
public final class ToThreadExample {
    private final PrintStream out;
    private final Duration blockingFor;

    ToThreadExample(PrintStream out, Duration blockingFor) {
        this.out = out;
        this.blockingFor = blockingFor;
    }

    /** Synchronous I/O: blocks its thread. */
    String blockingIo() throws InterruptedException {
        Thread.sleep(blockingFor);
        return "result";
    }

    String main() {
        Task<Void> other = Asyncio.createTask(() -> out.println("Another task runs while the worker thread blocks"));

        String result = Asyncio.toThread(this::blockingIo); // main parks here; the loop runs `other`
        out.println(result);

        other.await();
        return result;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new ToThreadExample(System.out, Duration.ofSeconds(2)).main());
    }
}
