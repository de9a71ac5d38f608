package com.example;

import io.asyncio4j.Asyncio;
import java.util.List;

/** The program of the README's "Use it in your project": three greetings at once, in about one second. */
public class Hello {
    static String greet(String name) {
        Asyncio.sleep(1);                       // parks this task; the loop runs the others
        return "Hello, " + name;
    }

    public static void main(String[] args) {
        List<String> greetings = Asyncio.run(() -> Asyncio.gather(List.of("Ada", "Bob", "Cy"), Hello::greet));
        greetings.forEach(System.out::println); // after 1 s, not 3
    }
}
