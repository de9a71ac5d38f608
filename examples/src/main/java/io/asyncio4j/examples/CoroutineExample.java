package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Runner;

import java.util.concurrent.Callable;

/**
 * A coroutine object and running it from plain (synchronous) code.
 *
 * <p>Tutorial: "코루틴 정의" ({@code coro = my_coroutine()} creates a coroutine object; nothing runs until
 * {@code asyncio.run(coro)}), and "비동기 함수를 동기적으로 호출" ({@code result = asyncio.run(async_func())}
 * from synchronous code; the same as {@code sync_function} in "동기 함수에서 비동기 호출" of "asyncio 기초",
 * whose "실수 1" — calling {@code fetch_data()} without {@code await} runs nothing — is the first half).
 * In Java a {@link Callable} plays the coroutine object: creating it runs nothing, {@code Asyncio.run(coro)}
 * runs it on a new loop and returns its result. ({@code Asyncio.run(coro)} is
 * {@code runner.run(coro)} on a fresh {@link Runner} that is closed afterwards; {@link #main(Runner)}
 * takes the runner so that the smoke test can pass one on virtual time.)
 * <pre>
 * io.asyncio4j.examples.CoroutineExample$$Lambda/0x000071b0c8001a00@5b6f7412   (Python: &lt;coroutine object my_coroutine at 0x...&gt;)
 * Hello, Async!
 * result
 * </pre>
 */
public final class CoroutineExample {

    String myCoroutine() {
        return "Hello, Async!";
    }

    String asyncFunc() {
        Asyncio.sleep(1);
        return "result";
    }

    /** Plain code, not running on any loop: it starts the coroutines itself. */
    String main(Runner runner) {
        Callable<String> coro = this::myCoroutine; // the coroutine object: nothing has run yet
        System.out.println(coro); // print(coro): an object, not "Hello, Async!" (Python: <coroutine object ...>)
        String result = runner.run(coro);
        System.out.println(result);

        String other = runner.run(this::asyncFunc); // an async function called from synchronous code
        System.out.println(other);
        return result;
    }

    public static void main(String[] args) {
        try (Runner runner = new Runner()) {
            new CoroutineExample().main(runner);
        }
    }
}
