package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;


/**
 * Defining and running a coroutine: greet someone after a one-second wait.
 *
 * <p>Tutorial: "코루틴 정의와 실행" ({@code async def greet}, {@code asyncio.run(main())}). In Java the
 * coroutine is a plain method: {@code Asyncio.sleep(1)} parks the calling task, so there is no
 * {@code await} keyword and no "await outside async def" error to make.
 * <pre>
 * Greeting started: Python
 * Greeting done: Python      (one second later)
 * Hello, Python!
 * </pre>
 */
public final class GreetExample {

    String greet(String name) {
        System.out.println("Greeting started: " + name);
        Asyncio.sleep(1); // waits without blocking the loop: other tasks could run meanwhile
        System.out.println("Greeting done: " + name);
        return "Hello, " + name + "!";
    }

    String main() {
        String result = greet("Python");
        System.out.println(result);
        return result;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new GreetExample().main());
    }
}
