package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.ExceptionGroup;
import io.asyncio4j.Task;

import java.util.List;

/**
 * {@code TaskGroup}: the group waits for all its tasks and, when one fails, cancels the others.
 *
 * <p>Compared with {@code gather}, the legacy way, at the end.
 *
 * <p>Tutorial: "asyncio.TaskGroup (3.11+, 권장)" and "asyncio.gather (레거시 호환)" of "asyncio (Asynchronous
 * I/O) 비동기 프로그래밍" ({@code async with asyncio.TaskGroup() as tg: task1 = tg.create_task(fetch(...))},
 * the {@code task_a}/{@code task_b}/{@code task_c} group handled with {@code except* ValueError}, and
 * {@code await asyncio.gather(coro1, coro2, coro3)} / {@code gather(*tasks)}). The tutorial's {@code fetch}
 * downloads a page; here it waits a second and returns a fake page length, and {@code task_b} fails after a
 * second while {@code task_a} and {@code task_c} would take longer. {@code Asyncio.taskGroup(tg -> ...)} is
 * {@code async with TaskGroup() as tg}: it returns once every task has ended, and what the body returns (the
 * tasks, here) comes out. A failing group raises an {@link ExceptionGroup} (Python's {@code except*} is a
 * {@code catch} that {@link ExceptionGroup#split(Class) splits} the group: the {@code ValueError}s are handled, the rest re-raised); its other tasks get a {@link CancelledError}.
 * <pre>
 * [5, 4, 5]                              (after 1 s)
 * task_a cancelled                       (after 1 s more)
 * task_c cancelled
 * task_b failed
 * [5, 4, 5]                              (gather, after 1 s more)
 * [5, 4, 5]                              (gather(*tasks), after 1 s more)
 * </pre>
 */
public final class TaskGroupExample {
    private final List<String> urls = List.of("apple", "pear", "grape");

    /** Fetches a page: here, waits a second and returns the length of the page (that of its name). */
    Integer fetch(String url) {
        Asyncio.sleep(1);
        return url.length();
    }

    void taskA() {
        try {
            Asyncio.sleep(2);
        } catch (CancelledError e) {
            System.out.println("task_a cancelled");
            throw e;
        }
    }

    void taskB() {
        Asyncio.sleep(1);
        throw new IllegalArgumentException("task_b failed");
    }

    void taskC() {
        try {
            Asyncio.sleep(3);
        } catch (CancelledError e) {
            System.out.println("task_c cancelled");
            throw e;
        }
    }

    List<Integer> main() {
        List<Task<Integer>> tasks = Asyncio.taskGroup(tg -> List.of(
                tg.createTask(() -> fetch(urls.get(0))),
                tg.createTask(() -> fetch(urls.get(1))),
                tg.createTask(() -> fetch(urls.get(2)))));
        // leaving the group awaited every task
        List<Integer> results = List.of(tasks.get(0).result(), tasks.get(1).result(), tasks.get(2).result());
        System.out.println(results);

        // a task fails: the group cancels the others
        try {
            Asyncio.taskGroup(tg -> {
                tg.createTask(this::taskA);
                tg.createTask(this::taskB); // if this task fails,
                tg.createTask(this::taskC); // task_a and task_c are cancelled
            });
        } catch (ExceptionGroup eg) { // except* ValueError as values:
            ExceptionGroup.Split split = eg.split(IllegalArgumentException.class);
            split.matched().exceptions().forEach(exc -> System.out.println(exc.getMessage()));
            if (split.rest() != null) throw split.rest(); // the others are not ours to handle
        }

        // gather (legacy): results in the order given
        List<Integer> gathered = Asyncio.gather(
                () -> fetch(urls.get(0)),
                () -> fetch(urls.get(1)),
                () -> fetch(urls.get(2)));
        System.out.println(gathered);

        List<Task<Integer>> created = urls.stream().map(url -> Asyncio.createTask(() -> fetch(url))).toList();
        System.out.println(Asyncio.gather(created)); // gather(*tasks)
        return results;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new TaskGroupExample().main());
    }
}
