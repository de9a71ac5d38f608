package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code loop.runInExecutor}: run a function on the loop's default executor or on a pool of one's own,
 * and await its result.
 *
 * <p>Tutorials: "run_in_executor()" of "비동기 프로그래밍 (Async Programming)"
 * ({@code await loop.run_in_executor(None, blocking_io)}, {@code blocking_io} sleeping 2 s and returning
 * {@code "결과"}, "result"), "비동기에서 동기(블로킹) 함수 호출" of "asyncio 가이드" (the same on a
 * {@code ThreadPoolExecutor} of one's own closed by {@code with}, its {@code blocking_io} sleeping 1 s and
 * returning {@code "done"}), and "실수 3: CPU 바운드 작업에 asyncio 사용" ({@code heavy_computation} on a
 * pool). A JDK {@link ExecutorService} closes like Python's {@code with ThreadPoolExecutor() as pool}, and
 * a lambda carries arguments where Python needs {@code functools.partial}.
 *
 * <p>What the executor is for differs from asyncio, and a {@link Ticker} task shows it: the tutorials'
 * {@code time.sleep} is {@code Thread.sleep} here, which parks the task and lets the loop run the others,
 * so it runs as well directly in the task. CPU-bound work holds the loop when called directly and not on
 * an executor. (Python moves CPU work to processes because of its GIL; JVM threads run in parallel, so a
 * thread pool is enough.)
 * <pre>
 * result                  (after 2 s, on the default executor)
 * done                    (after 1 s more, on our own pool)
 * Thread.sleep(1 s) in the task: the ticker ticked 9 times, so the loop kept running
 * 1 s of CPU work in the task: the ticker ticked 0 times, so the loop was held
 * 1 s of CPU work on our pool: the ticker ticked 10 times, so the loop kept running
 * </pre>
 * (The numbers of ticks vary a little from run to run; only the 0 is certain.)
 */
public final class RunInExecutorExample {
    private RunInExecutorExample() {
    }

    /** The first tutorial's synchronous I/O: 2 s. */
    static String blockingIo() throws InterruptedException {
        Thread.sleep(2000);
        return "result";
    }

    /** The second tutorial's: 1 s. */
    static String blockingIoDone() throws InterruptedException {
        Thread.sleep(1000);
        return "done";
    }

    /** CPU-bound work: {@code seconds} of computing. */
    static long heavyComputation(double seconds) {
        return Ticker.busyFor(seconds);
    }

    static void main() throws Exception {
        EventLoop loop = Asyncio.getRunningLoop();

        // on the loop's default executor (platform threads); null = the default, as Python's None
        String result = loop.runInExecutor(null, RunInExecutorExample::blockingIo).await();
        System.out.println(result);

        try (ExecutorService pool = Executors.newFixedThreadPool(2)) { // with ThreadPoolExecutor() as pool:
            System.out.println(loop.runInExecutor(pool, RunInExecutorExample::blockingIoDone).await());

            // What needs the executor, and what does not
            Ticker.during("Thread.sleep(1 s) in the task", RunInExecutorExample::blockingIoDone);
            Ticker.during("1 s of CPU work in the task", () -> heavyComputation(1));
            Ticker.during("1 s of CPU work on our pool", // the lambda is functools.partial(heavy_computation, 1)
                    () -> loop.runInExecutor(pool, () -> heavyComputation(1)).await());
        }
    }

    public static void main(String[] args) {
        Asyncio.run(() -> main());
    }
}
