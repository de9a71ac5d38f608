package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;

import java.util.List;

/**
 * When tasks start and finish: created tasks begin once main waits, and finish in order of their delays.
 *
 * <p>Tutorial: "asyncio.create_task()" in "Task 생성", which lists the output below. "Tasks created" comes
 * first because a new task only starts when its creator next waits ({@code task1.await()} here); then the
 * tasks start in creation order, and B (1 s) ends before A (2 s).
 * <pre>
 * Tasks created
 * A started
 * B started
 * B done
 * A done
 * Results: A, B
 * </pre>
 */
public final class TaskOrderExample {

    String task(String name, double seconds) {
        System.out.println(name + " started");
        Asyncio.sleep(seconds);
        System.out.println(name + " done");
        return name;
    }

    List<String> main() {
        // create the tasks (scheduled at once)
        Task<String> task1 = Asyncio.createTask(() -> task("A", 2));
        Task<String> task2 = Asyncio.createTask(() -> task("B", 1));

        // other work can happen here
        System.out.println("Tasks created");

        // wait for the results
        String result1 = task1.await();
        String result2 = task2.await();
        System.out.println("Results: " + result1 + ", " + result2);
        return List.of(result1, result2);
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new TaskOrderExample().main());
    }
}
