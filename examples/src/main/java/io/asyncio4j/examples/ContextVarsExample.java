package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.ContextVar;
import io.asyncio4j.Task;

import java.util.List;

/**
 * A request id in a {@link ContextVar}: every log line knows its request, even when requests interleave.
 *
 * <p>From the "블로킹 I/O 처리 방식 비교" section, which notes that {@code to_thread} runs the function in
 * a copy of the caller's context ({@code contextvars.copy_context()}). Each task starts with a copy of
 * its creator's context: what a handler sets is seen by everything it calls, its worker thread included,
 * and by nothing of the other request or of {@code main}.
 * <pre>
 * [-] main: handling two requests
 * [req-1] handling
 * [req-2] handling
 * [req-1] querying the database on a worker thread
 * [req-1] done: user of req-1
 * [req-2] querying the database on a worker thread
 * [req-2] done: user of req-2
 * [-] main: all done
 * </pre>
 */
public final class ContextVarsExample {
    static final ContextVar<String> REQUEST_ID = new ContextVar<>("request_id", "-");


    void log(String message) {
        System.out.println("[" + REQUEST_ID.get() + "] " + message);
    }

    String handle(String requestId, double delay) {
        REQUEST_ID.set(requestId); // only this task's context changes
        log("handling");
        Asyncio.sleep(delay);
        String user = Asyncio.toThread(() -> {
            log("querying the database on a worker thread"); // the worker sees the task's request id
            return "user of " + requestId;
        });
        log("done: " + user);
        return user;
    }

    List<String> main() {
        log("main: handling two requests");
        Task<String> first = Asyncio.createTask(() -> handle("req-1", 1));
        Task<String> second = Asyncio.createTask(() -> handle("req-2", 2));
        List<String> users = List.of(first.await(), second.await());
        log("main: all done");
        return users;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new ContextVarsExample().main());
    }
}
