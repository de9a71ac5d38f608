package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.TimeoutError;


/**
 * Giving up on a slow operation: {@code Asyncio.waitFor} and the {@code Asyncio.timeout} scope.
 *
 * <p>Tutorial: "6. 타임아웃" of "비동기 프로그래밍 (Async Programming)" ({@code asyncio.wait_for(slow_operation(),
 * timeout=2.0)}, then {@code async with asyncio.timeout(2.0)}); the "4. 타임아웃" section of "asyncio 기초"
 * is the same with five seconds and a {@code long_running_task}. When the deadline passes, the operation is
 * cancelled where it waits and the caller gets {@link TimeoutError} (asyncio's {@code TimeoutError}). The
 * tutorial lets the second timeout end the program with a traceback; here it is caught too.
 * <pre>
 * Timeout!                               (after 2 s)
 * Timeout! (asyncio.timeout)             (after 2 s more)
 * </pre>
 */
public final class TimeoutExample {

    String slowOperation() {
        Asyncio.sleep(10);
        return "done";
    }

    String main() {
        String result = null;
        try {
            result = Asyncio.waitFor(this::slowOperation, 2.0);
        } catch (TimeoutError e) {
            System.out.println("Timeout!");
        }

        // asyncio.timeout() (Python 3.11+): a scope; every wait inside shares the deadline
        try {
            Asyncio.timeout(2.0, () -> {
                slowOperation();
            });
        } catch (TimeoutError e) {
            System.out.println("Timeout! (asyncio.timeout)");
        }
        return result;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new TimeoutExample().main());
    }
}
