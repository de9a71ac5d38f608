package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;

/**
 * {@code Asyncio.toThread}: run what would hold the loop on a worker thread, and await it.
 *
 * <p>Tutorials: "to_thread() (Python 3.9+)" ({@code result = await asyncio.to_thread(blocking_io)}, where
 * {@code blocking_io} calls {@code time.sleep(2)}), and "블로킹 I/O 처리 방식 비교", which explains why:
 * in asyncio, a blocking call made directly in a coroutine holds the whole loop.
 *
 * <p>In asyncio4j that is true only of some calls, and a {@link Ticker} task shows which. A task is a
 * virtual thread: {@code Thread.sleep}, socket reads and {@code HttpClient.send} <em>park</em> it, and the
 * loop runs the other tasks meanwhile, so the tutorial's {@code blocking_io} needs no {@code toThread}.
 * What the JDK cannot park (CPU-bound work, file I/O, native code such as a JDBC driver written in C)
 * <em>holds</em> the loop: that is what {@code toThread} is for. The table "Which calls park and which hold
 * the loop" in docs/asyncio-mapping.md lists the common calls.
 * <pre>
 * Thread.sleep(2 s) in the task: the ticker ticked 19 times, so the loop kept running
 * 1 s of CPU work in the task: the ticker ticked 0 times, so the loop was held
 * 1 s of CPU work in Asyncio.toThread: the ticker ticked 10 times, so the loop kept running
 * result
 * </pre>
 * (The numbers of ticks vary a little from run to run; only the 0 is certain.)
 */
public final class ToThreadExample {
    private ToThreadExample() {
    }

    /** The tutorial's synchronous I/O: blocks its thread for 2 s. */
    static String blockingIo() throws InterruptedException {
        Thread.sleep(2000);
        return "result";
    }

    /** CPU-bound work: 1 s of computing. */
    static long heavyComputation() {
        return Ticker.busyFor(1);
    }

    static String main() throws Exception {
        // A blocking JDK call parks the task: no toThread needed.
        String result = Ticker.during("Thread.sleep(2 s) in the task", ToThreadExample::blockingIo);

        // CPU-bound work holds the loop when called directly...
        Ticker.during("1 s of CPU work in the task", ToThreadExample::heavyComputation);
        // ...and not on a worker thread: the task parks until the worker is done.
        Ticker.during("1 s of CPU work in Asyncio.toThread", () -> Asyncio.toThread(ToThreadExample::heavyComputation));

        System.out.println(result);
        return result;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> main());
    }
}
