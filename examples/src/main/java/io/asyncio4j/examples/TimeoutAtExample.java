package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.TimeoutError;

import java.util.Locale;

/**
 * A deadline as a delay ({@code Asyncio.timeout}) or as a moment on the loop clock ({@code Asyncio.timeoutAt}).
 *
 * <p>Tutorial: "타임아웃 처리: asyncio.timeout (3.11+)" of "asyncio (Asynchronous I/O) 비동기 프로그래밍"
 * ({@code async with asyncio.timeout(5.0)} around {@code long_running_task()}, then
 * {@code deadline = loop.time() + 5.0} and {@code async with asyncio.timeout_at(deadline)}). The body runs in
 * the calling task; at the deadline it is cancelled and the scope raises {@link TimeoutError}. The tutorial
 * leaves {@code long_running_task} undefined (here: ten seconds) and lets the second timeout escape; here it
 * is caught too.
 * <pre>
 * Timeout occurred                       (after 5 s)
 * Timeout occurred at 10.0 s             (after 5 s more: the deadline)
 * </pre>
 */
public final class TimeoutAtExample {

    String longRunningTask() {
        Asyncio.sleep(10);
        return "done";
    }

    String main() {
        String result = null;
        try {
            // Python 3.11+ asyncio.timeout
            result = Asyncio.timeout(5.0, this::longRunningTask);
        } catch (TimeoutError e) {
            System.out.println("Timeout occurred");
        }

        double deadline = Asyncio.getRunningLoop().time() + 5.0;
        try {
            result = Asyncio.timeoutAt(deadline, this::longRunningTask);
        } catch (TimeoutError e) {
            System.out.printf(Locale.ROOT, "Timeout occurred at %.1f s%n", Asyncio.getRunningLoop().time());
        }
        return result;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new TimeoutAtExample().main());
    }
}
