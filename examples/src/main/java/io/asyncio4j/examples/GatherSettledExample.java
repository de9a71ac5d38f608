package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Outcome;
import io.asyncio4j.Task;

import java.util.List;

/**
 * {@code Asyncio.gatherSettled} ({@code return_exceptions=True}): failures come back as results.
 *
 * <p>A failure does not stop the other coroutines: they run to the end.
 *
 * <p>Tutorials: "return_exceptions=True" in "5. 동시 실행" ({@code might_fail}; the tutorial prints
 * {@code [1, ValueError('Error!'), 3]}) and "여러 태스크 예외" in "12. 에러 처리" (two created tasks, each
 * result checked with {@code isinstance(result, Exception)}) of "비동기 프로그래밍 (Async Programming)", and
 * "gather에서 예외" of "asyncio 기초" ({@code risky_task}). Each result is an {@link Outcome}: a
 * {@link Outcome.Success} with the value or a {@link Outcome.Failure} with the exception, so a
 * {@code switch} replaces the {@code isinstance} test; a list of outcomes prints as Python prints the list. Python's {@code ValueError} is
 * {@link IllegalArgumentException}. The tutorial leaves {@code task1} and {@code task2} undefined: here
 * the first succeeds after a second and the second fails after half a second.
 * <pre>
 * [1, IllegalArgumentException("Error!"), 3]   (after 1 s)
 * Success: Task 1 result      (after 1 s more; in the order the tasks were given)
 * Error: Task 2 failed
 * Result: 1
 * Error: An error occurred!
 * Result: 3
 * </pre>
 */
public final class GatherSettledExample {

    Integer mightFail(int n) {
        if (n == 2) {
            throw new IllegalArgumentException("Error!");
        }
        Asyncio.sleep(1);
        return n;
    }

    String task1() {
        Asyncio.sleep(1);
        return "Task 1 result";
    }

    String task2() {
        Asyncio.sleep(0.5);
        throw new IllegalArgumentException("Task 2 failed");
    }

    Integer riskyTask(int n) {
        if (n == 2) {
            throw new IllegalArgumentException("An error occurred!");
        }
        return n;
    }

    List<Outcome<Integer>> main() {
        // "return_exceptions=True": the other tasks keep running
        List<Outcome<Integer>> results = Asyncio.gatherSettled(
                () -> mightFail(1),
                () -> mightFail(2),
                () -> mightFail(3));
        System.out.println(results);

        // "Several task exceptions": gather the tasks, then check each result
        List<Task<String>> tasks = List.of(
                Asyncio.createTask(this::task1),
                Asyncio.createTask(this::task2));
        for (Outcome<String> result : Asyncio.gatherSettled(tasks)) {
            switch (result) {
                case Outcome.Failure<String> f -> System.out.println("Error: " + f.exception().getMessage());
                case Outcome.Success<String> s -> System.out.println("Success: " + s.value());
            }
        }

        // "asyncio 기초": the same with risky_task
        List<Outcome<Integer>> risky = Asyncio.gatherSettled(
                () -> riskyTask(1),
                () -> riskyTask(2),
                () -> riskyTask(3));
        for (Outcome<Integer> r : risky) {
            switch (r) {
                case Outcome.Failure<Integer> f -> System.out.println("Error: " + f.exception().getMessage());
                case Outcome.Success<Integer> s -> System.out.println("Result: " + s.value());
            }
        }
        return results;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new GatherSettledExample().main());
    }
}
