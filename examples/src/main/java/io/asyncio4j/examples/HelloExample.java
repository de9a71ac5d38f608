package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;


/**
 * The smallest program: run one coroutine on a new event loop.
 *
 * <p>Tutorial: "기본 예제" ({@code async def hello(): print('hello, world!')}, {@code asyncio.run(hello())});
 * the "기본 실행" example that prints from {@code async def main()} has the same shape.
 * {@code Asyncio.run} creates an event loop on the calling thread, runs the body as its first task and
 * closes the loop; call it once, at the program's entry point.
 * <pre>
 * hello, world!
 * </pre>
 */
public final class HelloExample {

    void hello() {
        System.out.println("hello, world!");
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new HelloExample().hello());
    }
}
