package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;

import java.time.Duration;

/**
 * The same three two-second jobs, blocking one after another (6 s) and as coroutines gathered (2 s).
 *
 * <p>Tutorial: "1. 동기 vs 비동기" of "비동기 프로그래밍 (Async Programming)" ({@code def task} with
 * {@code time.sleep}, then {@code async def task} with {@code await asyncio.sleep} run by
 * {@code asyncio.gather}). The synchronous version is plain code on no loop: {@code Thread.sleep} blocks
 * the thread, so each job waits for the one before. The asynchronous version parks each task in
 * {@code Asyncio.sleep}, so the loop starts all three and they end together.
 * <pre>
 * Job 1 started
 * Job 1 done             (2 s later, blocking)
 * Job 2 started
 * Job 2 done
 * Job 3 started
 * Job 3 done             (6 s in all)
 * Job 1 started
 * Job 2 started
 * Job 3 started
 * Job 1 done
 * Job 2 done
 * Job 3 done             (2 s in all)
 * </pre>
 */
public final class SyncVsAsyncExample {
    private final Duration blockingFor;

    /**
     * {@code blockingFor}: how long each job of the synchronous version blocks: 2 s as in the tutorial, or
     * the seconds given as the first argument ({@code bin/run-example sync-vs-async 0.5}).
     */
    SyncVsAsyncExample(Duration blockingFor) {
        this.blockingFor = blockingFor;
    }

    /** The synchronous job: blocks its thread. */
    void blockingTask(String name) throws InterruptedException {
        System.out.println(name + " started");
        Thread.sleep(blockingFor); // blocking
        System.out.println(name + " done");
    }

    /** The asynchronous job: parks its task, and the loop runs the others meanwhile. */
    Void task(String name, double duration) {
        System.out.println(name + " started");
        Asyncio.sleep(duration); // non-blocking
        System.out.println(name + " done");
        return null;
    }

    /** Synchronous: 6 s in all. Plain code, not on any loop. */
    void syncMain() throws InterruptedException {
        blockingTask("Job 1");
        blockingTask("Job 2");
        blockingTask("Job 3");
    }

    /** Asynchronous: concurrent, 2 s in all. */
    void main() {
        Asyncio.gather(
                () -> task("Job 1", 2),
                () -> task("Job 2", 2),
                () -> task("Job 3", 2));
    }

    public static void main(String[] args) throws InterruptedException {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        SyncVsAsyncExample example = new SyncVsAsyncExample(Duration.ofMillis((long) (seconds * 1000)));
        example.syncMain();
        Asyncio.run(() -> example.main());
    }
}
