package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;


/**
 * A task's exception reaches whoever awaits it.
 *
 * <p>Tutorial: "태스크 예외 처리" ({@code try: await task except ValueError}); the "개별 Task 예외 처리"
 * example of the "asyncio 기초" post is the same. Python's {@code ValueError} is
 * {@link IllegalArgumentException} here. An unchecked exception comes out of {@code await()} unchanged; a
 * checked one would come wrapped in {@link java.util.concurrent.CompletionException}.
 * <pre>
 * Exception raised: Error!
 * </pre>
 */
public final class TaskExceptionExample {

    Void riskyTask() {
        Asyncio.sleep(1);
        throw new IllegalArgumentException("Error!");
    }

    String main() {
        Task<Void> task = Asyncio.createTask(this::riskyTask);
        try {
            task.await();
            return null;
        } catch (IllegalArgumentException e) {
            System.out.println("Exception raised: " + e.getMessage());
            return e.getMessage();
        }
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new TaskExceptionExample().main());
    }
}
