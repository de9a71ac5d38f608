package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;


/**
 * One coroutine awaiting another and using its return value: add two numbers after a second.
 *
 * <p>Tutorial: "await로 네이티브 코루틴 실행하기" ({@code res = await add(a, b)} inside {@code print_add}).
 * <pre>
 * 1 + 2
 * 1 + 2 = 3          (one second later)
 * </pre>
 */
public final class AddExample {

    int add(int a, int b) {
        System.out.println(a + " + " + b);
        Asyncio.sleep(1.0); // gives the loop back for a second
        return a + b;
    }

    int printAdd(int a, int b) {
        int res = add(a, b); // runs add and keeps its return value
        System.out.println(a + " + " + b + " = " + res);
        return res;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new AddExample().printAdd(1, 2));
    }
}
