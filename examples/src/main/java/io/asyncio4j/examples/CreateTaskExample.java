package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;

import java.util.List;

/**
 * Background tasks: start three jobs with createTask, do something else, then collect their results.
 *
 * <p>Tutorial: "태스크 생성과 관리" ({@code asyncio.create_task(process(...))}); the same pattern appears
 * in the {@code fetch_user} tasks of the "asyncio 기초" post. The jobs run while {@code main} goes on, so
 * the three results are ready after 3 s (the longest job), not 6 s.
 * <pre>
 * Tasks running...
 * Job A done Job B done Job C done
 * </pre>
 */
public final class CreateTaskExample {

    String process(String name, double delay) {
        Asyncio.sleep(delay);
        return name + " done";
    }

    List<String> main() {
        // createTask schedules the job at once; it starts running when main next waits
        Task<String> task1 = Asyncio.createTask(() -> process("Job A", 2));
        Task<String> task2 = Asyncio.createTask(() -> process("Job B", 1));
        Task<String> task3 = Asyncio.createTask(() -> process("Job C", 3));

        // the tasks run in the background while main does other work
        System.out.println("Tasks running...");

        // collect the results
        String result1 = task1.await();
        String result2 = task2.await();
        String result3 = task3.await();

        System.out.println(result1 + " " + result2 + " " + result3);
        return List.of(result1, result2, result3);
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new CreateTaskExample().main());
    }
}
