package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.ThrowingRunnable;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Helpers shared by the tests of the sync primitives: runs on virtual time, the loop clock. */
final class SyncTests {
    private SyncTests() {
    }

    /** Runs {@code main} on a fresh virtual-time runner, closes the runner, and returns the result. */
    static <T> T runVirtual(Callable<T> main) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            return runner.run(main);
        }
    }

    /** Runs a void body on a fresh virtual-time runner and closes the runner. */
    static void runVirtual(ThrowingRunnable main) {
        runVirtual(main.asCallable());
    }

    /** The running loop's clock, for exact assertions on virtual time. */
    static double now() {
        return Asyncio.getRunningLoop().time();
    }

    /** Creates {@code n} tasks running {@code coro}, in order (asyncio's test_locks.py {@code make_tasks}). */
    static <T> List<Task<T>> makeTasks(int n, Callable<T> coro) {
        List<Task<T>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(Asyncio.createTask(coro));
        }
        return tasks;
    }

    /** {@link #makeTasks(int, Callable)} for a void body. */
    static List<Task<Void>> makeTasks(int n, ThrowingRunnable coro) {
        return makeTasks(n, coro.asCallable());
    }

    /** Runs {@code n} tasks of {@code coro} and gathers their results (test_locks.py's {@code gather_tasks}). */
    static <T> List<T> gatherTasks(int n, Callable<T> coro) {
        return Asyncio.gather(makeTasks(n, coro));
    }

    /** {@link #gatherTasks(int, Callable)} for a void body. */
    static void gatherTasks(int n, ThrowingRunnable coro) {
        gatherTasks(n, coro.asCallable());
    }
}
