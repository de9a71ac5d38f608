package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Running blocking code on other threads with {@code loop.runInExecutor}, so the loop stays free.
 *
 * <p>Tutorials: "run_in_executor()" ({@code await loop.run_in_executor(None, blocking_io)} on the default
 * thread pool), "비동기에서 동기(블로킹) 함수 호출" (the same on a {@code ThreadPoolExecutor} of one's own,
 * closed by {@code with}) and the {@code functools.partial} example (passing arguments to the function). A
 * lambda carries arguments, so {@code partial} is not needed; a JDK {@link ExecutorService} closes like
 * Python's {@code with ThreadPoolExecutor() as pool}. The blocking call here is {@code Thread.sleep}, which
 * would freeze every task of the loop if called on it directly: that is what the executor is for.
 * <pre>
 * result                  (after 2 s)
 * result                  (after 2 more s, on our own pool)
 * hello python
 * </pre>
 */
public final class RunInExecutorExample {
    private final PrintStream out;
    private final Duration blockingFor;

    RunInExecutorExample(PrintStream out, Duration blockingFor) {
        this.out = out;
        this.blockingFor = blockingFor;
    }

    /** Synchronous I/O: blocks its thread. */
    String blockingIo() throws InterruptedException {
        Thread.sleep(blockingFor);
        return "result";
    }

    List<String> main() {
        EventLoop loop = Asyncio.getRunningLoop();

        // on the loop's default executor (platform threads); null = the default, as Python's None
        String result = loop.runInExecutor(null, this::blockingIo).await();
        out.println(result);

        // on a pool of our own, shut down at the end of the block
        String fromPool;
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            fromPool = loop.runInExecutor(pool, this::blockingIo).await();
        }
        out.println(fromPool);

        // arguments travel in the lambda (Python needs functools.partial for keyword arguments)
        loop.runInExecutor(null, () -> {
            out.print("hello" + " " + "python" + " ");
            return null;
        }).await();
        out.println();
        return List.of(result, fromPool);
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new RunInExecutorExample(System.out, Duration.ofSeconds(2)).main());
    }
}
