package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.ExceptionGroup;
import io.asyncio4j.Outcome;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;

import java.util.List;

/**
 * Living with failures: collect them ({@code gatherSettled}), bound the wait ({@code waitFor}), group tasks.
 *
 * <p>Tutorial: "에러 처리와 타임아웃" of "asyncio - 비동기 프로그래밍" ({@code risky_operation}: gather with
 * {@code return_exceptions=True}, {@code wait_for(..., timeout=0.5)}, then a {@code TaskGroup} inside
 * {@code try ... except* ValueError}). {@code return_exceptions=True} is {@code Asyncio.gatherSettled}, whose
 * results are {@link Outcome}s. A task group that fails raises an {@link ExceptionGroup}; {@code except*
 * ValueError} becomes a {@code catch} that handles the {@link IllegalArgumentException}s (Python's
 * {@code ValueError}) in {@link ExceptionGroup#exceptions()} and throws the group on if it holds anything
 * else. As in the tutorial, both of the group's tasks succeed, so the {@code catch} does not run.
 * <pre>
 * Success: task1 succeeded               (after 1 s)
 * Error: 'fail' failed!
 * Success: task3 succeeded
 * Timed out!                             (after 0.5 s more)
 * task1 succeeded task2 succeeded        (after 1 s more)
 * </pre>
 */
public final class ErrorHandlingExample {

    String riskyOperation(String name) {
        Asyncio.sleep(1);
        if (name.equals("fail")) {
            throw new IllegalArgumentException("'" + name + "' failed!");
        }
        return name + " succeeded";
    }

    void main() {
        // errors in gather: exceptions come back as results
        List<Outcome<String>> results = Asyncio.gatherSettled(
                () -> riskyOperation("task1"),
                () -> riskyOperation("fail"),
                () -> riskyOperation("task3"));
        for (Outcome<String> r : results) {
            switch (r) {
                case Outcome.Failure<String> f -> System.out.println("Error: " + f.exception().getMessage());
                case Outcome.Success<String> s -> System.out.println("Success: " + s.value());
            }
        }

        // a timeout
        try {
            String result = Asyncio.waitFor(() -> riskyOperation("slow_task"), 0.5); // 0.5 s limit
            System.out.println(result);
        } catch (TimeoutError e) {
            System.out.println("Timed out!");
        }

        // TaskGroup (Python 3.11+): structured concurrency
        try {
            List<Task<String>> tasks = Asyncio.taskGroup(tg -> List.of(
                    tg.createTask(() -> riskyOperation("task1")),
                    tg.createTask(() -> riskyOperation("task2"))));
            // reached once every task has finished
            System.out.println(tasks.get(0).result() + " " + tasks.get(1).result());
        } catch (ExceptionGroup eg) { // except* ValueError
            for (Throwable exc : eg.exceptions()) {
                if (!(exc instanceof IllegalArgumentException)) {
                    throw eg; // not only ValueErrors: not ours to handle
                }
            }
            for (Throwable exc : eg.exceptions()) {
                System.out.println("Group error: " + exc.getMessage());
            }
        }
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new ErrorHandlingExample().main());
    }
}
