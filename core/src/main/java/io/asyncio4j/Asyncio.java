package io.asyncio4j;

import io.asyncio4j.graph.CallGraph;
import io.asyncio4j.graph.FutureCallGraph;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

/**
 * asyncio's module-level functions. This class only delegates, the way {@code asyncio/__init__.py} only
 * re-exports: each method says which type holds the behaviour.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * String r = Asyncio.run(() -> {
 *     Task<String> a = Asyncio.createTask(() -> { Asyncio.sleep(1); return "a"; });
 *     Task<String> b = Asyncio.createTask(() -> { Asyncio.sleep(1); return "b"; });
 *     return a.await() + b.await();                  // about 1 s, not 2
 * });
 * }</pre>
 */
public final class Asyncio {
    private Asyncio() {
    }

    // ---- running ---------------------------------------------------------------------------------------

    /** Runs {@code main} on a new event loop on this thread and closes it (asyncio's {@code asyncio.run}). */
    public static <T> T run(Callable<T> main) {
        try (Runner runner = new Runner()) {
            return runner.run(main, "Asyncio.run()");
        }
    }

    /** {@link #run(Callable)} with debug mode on or off. */
    public static <T> T run(Callable<T> main, boolean debug) {
        try (Runner runner = Runner.builder().debug(debug).build()) {
            return runner.run(main, "Asyncio.run()");
        }
    }

    /** Runs a void body; see {@link #run(Callable)}. */
    public static void run(ThrowingRunnable main) {
        Objects.requireNonNull(main, "main");
        run(main.asCallable());
    }

    /** The running loop. Throws {@link IllegalStateException} outside a task or loop callback. */
    public static EventLoop getRunningLoop() {
        return EventLoop.requireRunning("Asyncio.getRunningLoop()");
    }

    // ---- tasks -----------------------------------------------------------------------------------------

    /** Schedules {@code coro} as a task of the running loop; it starts when the caller next waits. */
    public static <T> Task<T> createTask(Callable<T> coro) {
        return EventLoop.requireRunning("Asyncio.createTask()").createTask(coro, null);
    }

    /** {@link #createTask(Callable)} with a name. */
    public static <T> Task<T> createTask(Callable<T> coro, String name) {
        return EventLoop.requireRunning("Asyncio.createTask()").createTask(coro, name);
    }

    /** Schedules a void body as a task. */
    public static Task<Void> createTask(ThrowingRunnable coro) {
        Objects.requireNonNull(coro, "coro");
        return EventLoop.requireRunning("Asyncio.createTask()").createTask(coro, null);
    }

    /** Schedules a void body as a named task. */
    public static Task<Void> createTask(ThrowingRunnable coro, String name) {
        Objects.requireNonNull(coro, "coro");
        return EventLoop.requireRunning("Asyncio.createTask()").createTask(coro, name);
    }

    /** The task running on this thread, or null when not inside a task. */
    public static Task<?> currentTask() {
        return Task.currentOrNull();
    }

    /** The running loop's tasks that are not done yet. */
    public static Set<Task<?>> allTasks() {
        return getRunningLoop().allTasks();
    }

    // ---- generators ------------------------------------------------------------------------------------

    /**
     * An async generator over {@code body}'s values (asyncio's async generator function called): lazy,
     * its body runs in a task of its own only while the consumer asks for a value. See {@link AsyncGenerator}.
     * <pre>{@code
     * try (var gen = Asyncio.generator(out -> { for (int i = 0; i < 3; i++) { Asyncio.sleep(1); out.yield(i); } })) {
     *     for (int i : gen) { ... }
     * }
     * }</pre>
     */
    public static <T> AsyncGenerator<T> generator(GeneratorBody<T> body) {
        return AsyncGenerator.of(body);
    }

    // ---- combinators: gather, wait, asCompleted, shield ------------------------------------------------

    /**
     * Runs each callable as a task (created in order) and returns their results in the same order
     * (asyncio's {@code gather}; see {@link Gather}). The first failure is thrown to the caller at once
     * (unchecked unchanged, checked wrapped in {@code CompletionException}) while the other tasks keep
     * running; their later failures count as retrieved. With no callables, returns an empty list without
     * letting other tasks run.
     *
     * <p>Cancellation: cancelling the calling task cancels every task not done yet; once they have all
     * finished, the caller gets a {@link CancelledError}. A task cancelled by other means makes the caller
     * get a {@link CancelledError}, and the other tasks are not cancelled.
     *
     * @throws IllegalStateException outside a task
     */
    @SafeVarargs
    @SuppressWarnings("unchecked")
    public static <T> List<T> gather(Callable<? extends T>... coros) {
        Objects.requireNonNull(coros, "coros");
        return (List<T>) Gather.gatherCallables("Asyncio.gather()", Arrays.asList(coros), false);
    }

    /**
     * {@link #gather(Callable[])} for bodies that return nothing, as {@code StructuredTaskScope.fork} takes a
     * {@code Runnable}: {@code gather(() -> worker(lock, "A"), () -> worker(lock, "B"))}. Returns once every
     * body has ended; failures and cancellation as there. A lambda or method reference that returns a value
     * goes to {@link #gather(Callable[])} instead.
     *
     * @throws IllegalStateException outside a task
     */
    public static void gather(ThrowingRunnable... coros) {
        Objects.requireNonNull(coros, "coros");
        List<Callable<Void>> callables = new ArrayList<>(coros.length);
        for (int i = 0; i < coros.length; i++) {
            callables.add(Objects.requireNonNull(coros[i], "Asyncio.gather(): callable " + i + " is null").asCallable());
        }
        Gather.gatherCallables("Asyncio.gather()", callables, false);
    }

    /**
     * Waits for every future (a task or a plain future of the running loop) and returns their results in
     * input order (asyncio's {@code gather}). A future given twice is waited for once and its result
     * appears twice. Failures and cancellation as {@link #gather(Callable[])}: cancelling the calling task
     * cancels the futures not done yet.
     *
     * @throws IllegalArgumentException if a future belongs to another event loop
     */
    @SuppressWarnings("unchecked")
    public static <T> List<T> gather(Collection<? extends Future<? extends T>> futures) {
        return (List<T>) Gather.gatherFutures("Asyncio.gather()", futures, false);
    }

    /**
     * Runs {@code fn} on each item as a task (created in item order) and returns the results in item order:
     * {@code gather(*(fn(x) for x in items))}. Failures and cancellation as {@link #gather(Callable[])}.
     */
    @SuppressWarnings("unchecked")
    public static <A, T> List<T> gather(Collection<A> items, ThrowingFunction<? super A, ? extends T> fn) {
        return (List<T>) Gather.gatherCallables("Asyncio.gather()", callablesOf(items, fn), false);
    }

    /**
     * Runs each callable as a task and returns how each ended, in order, once all have ended (asyncio's
     * {@code gather(..., return_exceptions=True)}): a {@link Outcome.Success} or a {@link Outcome.Failure}
     * (a task cancelled by other means is a failure with a {@link CancelledError} carrying its message).
     *
     * <p>Cancellation: cancelling the calling task cancels the tasks not done yet and, once they have all
     * finished, throws {@link CancelledError} rather than returning outcomes.
     */
    @SafeVarargs
    @SuppressWarnings("unchecked")
    public static <T> List<Outcome<T>> gatherSettled(Callable<? extends T>... coros) {
        Objects.requireNonNull(coros, "coros");
        return (List<Outcome<T>>) (List<?>) Gather.gatherCallables("Asyncio.gatherSettled()",
                Arrays.asList(coros), true);
    }

    /**
     * Runs {@code fn} on each item as a task (created in item order) and returns how each ended, in item
     * order: {@code gather(*(fn(x) for x in items), return_exceptions=True)}. Cancellation as
     * {@link #gatherSettled(Callable[])}.
     */
    @SuppressWarnings("unchecked")
    public static <A, T> List<Outcome<T>> gatherSettled(Collection<A> items, ThrowingFunction<? super A, ? extends T> fn) {
        return (List<Outcome<T>>) (List<?>) Gather.gatherCallables("Asyncio.gatherSettled()", callablesOf(items, fn), true);
    }

    private static <A, T> List<Callable<T>> callablesOf(Collection<A> items, ThrowingFunction<? super A, ? extends T> fn) {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(fn, "fn");
        List<Callable<T>> coros = new ArrayList<>(items.size());
        for (A item : items) {
            coros.add(() -> fn.apply(item));
        }
        return coros;
    }

    /** {@link #gatherSettled(Callable[])} for existing futures of the running loop, in input order. */
    @SuppressWarnings("unchecked")
    public static <T> List<Outcome<T>> gatherSettled(Collection<? extends Future<? extends T>> futures) {
        return (List<Outcome<T>>) (List<?>) Gather.gatherFutures("Asyncio.gatherSettled()", futures, true);
    }

    /**
     * Waits until {@code when} holds for {@code fs} or {@code timeout} passes (null: no timeout) and returns
     * which futures are done and which are pending (asyncio's {@code wait}). It does not take results: a
     * failure stays in its future. Always lets other tasks run at least once. Duplicates count once.
     *
     * <p>Cancellation: a timeout neither raises nor cancels anything. Cancelling the calling task ends the
     * wait with {@link CancelledError} and leaves the futures running.
     *
     * @throws IllegalArgumentException if {@code fs} is empty or holds a future of another loop
     * @throws NullPointerException     if {@code when} is null
     */
    public static <T> Done<T> wait(Collection<? extends Future<T>> fs, ReturnWhen when, Duration timeout) {
        return Wait.wait(fs, when, timeout);
    }

    /** {@link #wait(Collection, ReturnWhen, Duration)} for {@code ALL_COMPLETED} without a timeout. */
    public static <T> Done<T> wait(Collection<? extends Future<T>> fs) {
        return Wait.wait(fs, ReturnWhen.ALL_COMPLETED, null);
    }

    /**
     * The futures {@code fs} in the order they complete (asyncio 3.13's {@code async for} form of
     * {@code as_completed}): the iterator's {@code next()} parks the current task until the next one is done
     * and returns that original future (take its result with {@code result()} or {@code await()}). Futures
     * already done come first, in input order. {@code hasNext()} does not wait.
     *
     * <p>Timeout and cancellation: once {@code timeout} (null: none) has passed, {@code next()} throws
     * {@link TimeoutError} for every future still to come; the futures are not cancelled. Cancelling the
     * iterating task throws {@link CancelledError} from {@code next()} and leaves the futures running.
     * Iterating again resumes the same iteration.
     *
     * @throws IllegalStateException from {@code next()} outside a task of the futures' loop
     */
    public static <T> Iterable<Future<T>> asCompleted(Collection<? extends Future<T>> fs, Duration timeout) {
        return Wait.asCompleted(fs, timeout);
    }

    /**
     * Awaits {@code fut} while shielding it from cancellation (asyncio's {@code shield}): cancelling the
     * calling task throws {@link CancelledError} here at once while {@code fut} keeps running. If {@code fut}
     * is cancelled by other means, the caller gets a {@link CancelledError} too. Unlike asyncio 3.14, a
     * failure of {@code fut} after the caller was cancelled is not lost: it goes to the loop's exception
     * handler (as asyncio 3.15 does).
     */
    public static <T> T shield(Future<T> fut) {
        return Shield.shield(fut);
    }

    // ---- sleeping --------------------------------------------------------------------------------------

    /**
     * Suspends the current task for {@code delay} on the loop clock; zero or negative yields exactly once
     * (other ready tasks run, then this one resumes). Cancellation: raises {@link CancelledError} at once.
     */
    public static void sleep(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        long nanos;
        try {
            nanos = delay.toNanos();
        } catch (ArithmeticException e) {
            nanos = delay.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        Task.requireCurrent("Asyncio.sleep()").sleep(nanos);
    }

    /** {@link #sleep(Duration)} in seconds, as asyncio takes them. */
    public static void sleep(double seconds) {
        // straight to Task.sleep, no helper frame: every frame here is frozen into each sleeping task's stack
        long nanos = EventLoop.secondsToNanos(seconds, "Asyncio.sleep() delay");
        Task.requireCurrent("Asyncio.sleep()").sleep(nanos);
    }

    // ---- scopes: timeouts and task groups (Timeout, TaskGroup) -----------------------------------------

    /**
     * Runs {@code body} in this task with a deadline {@code delay} from now (null: none) and returns its
     * value; when the deadline passes the body is cancelled and {@link TimeoutError} is raised (asyncio's
     * {@code async with asyncio.timeout(delay)}). See {@link Timeout} for the cancellation rules.
     */
    public static <T> T timeout(Duration delay, Callable<T> body) {
        Objects.requireNonNull(body, "body");
        return timeout(delay, scope -> body.call());
    }

    /** {@link #timeout(Duration, Callable)} whose body receives the {@link Timeout}, to read or move the deadline. */
    public static <T> T timeout(Duration delay, ScopeBody<Timeout, T> body) {
        // null: the deadline is the delay after the loop's now, which Timeout.run reads once from the task's loop
        return delay == null ? Timeout.run(OptionalDouble.empty(), 0, body) : Timeout.run(null, nanos(delay), body);
    }

    /** {@link #timeout(Duration, Callable)} for a void body. */
    public static void timeout(Duration delay, ThrowingRunnable body) {
        Objects.requireNonNull(body, "body");
        timeout(delay, body.asCallable());
    }

    /** {@link #timeout(Duration, Callable)} with the delay in seconds. */
    public static <T> T timeout(double delaySeconds, Callable<T> body) {
        Objects.requireNonNull(body, "body");
        return Timeout.run(deadlineAfterSeconds(delaySeconds), EventLoop.secondsToNanos(delaySeconds, "delay"),
                scope -> body.call());
    }

    /** {@link #timeout(double, Callable)} for a void body. */
    public static void timeout(double delaySeconds, ThrowingRunnable body) {
        Objects.requireNonNull(body, "body");
        timeout(delaySeconds, body.asCallable());
    }

    /** Like {@link #timeout(Duration, Callable)} with the deadline at loop time {@code when} (asyncio's {@code timeout_at}). */
    public static <T> T timeoutAt(double when, Callable<T> body) {
        Objects.requireNonNull(body, "body");
        return timeoutAt(when, scope -> body.call());
    }

    /** {@link #timeoutAt(double, Callable)} whose body receives the {@link Timeout}. */
    public static <T> T timeoutAt(double when, ScopeBody<Timeout, T> body) {
        return Timeout.run(OptionalDouble.of(when), body);
    }

    /**
     * Runs {@code coro} in this task with a deadline (asyncio 3.12+'s {@code wait_for} on a coroutine): its
     * value, or {@link TimeoutError} (cause: the {@link CancelledError} that stopped it). A zero or
     * negative timeout cancels it before it runs; null means no deadline.
     */
    public static <T> T waitFor(Callable<T> coro, Duration timeout) {
        Objects.requireNonNull(coro, "coro");
        if (timeout != null && !timeout.isPositive()) {
            return waitFor(createTask(coro), timeout);
        }
        return timeout(timeout, coro);
    }

    /** {@link #waitFor(Callable, Duration)} with the timeout in seconds. */
    public static <T> T waitFor(Callable<T> coro, double timeoutSeconds) {
        return waitFor(coro, Duration.ofNanos(EventLoop.secondsToNanos(timeoutSeconds, "Asyncio.waitFor() timeout")));
    }

    /**
     * Waits for {@code fut} with a deadline (asyncio's {@code wait_for} on a future or task): on expiry the
     * future is cancelled, the wait goes on until it has finished cancelling, and {@link TimeoutError} is
     * raised with the {@link CancelledError} as cause. If the future swallows the cancel and returns, its
     * value is returned, as in asyncio. Cancelling the waiting task cancels the future too.
     */
    public static <T> T waitFor(Future<T> fut, Duration timeout) {
        Objects.requireNonNull(fut, "fut");
        if (timeout != null && !timeout.isPositive()) {
            if (fut.done()) {
                return fut.result();
            }
            fut.cancel();
            Future<Boolean> ended = fut.getLoop().createFuture();
            fut.addElement(new Future.DoneCallback<>(fut, f -> {
                if (!ended.done()) {
                    ended.complete(true);
                }
            }, null));
            ended.await();
            try {
                return fut.result();
            } catch (CancelledError e) {
                throw new TimeoutError("Asyncio.waitFor(): the timeout " + timeout + " is not positive", e);
            }
        }
        return timeout(timeout, fut::await);
    }

    /** Runs {@code body} with a new {@link TaskGroup} and waits for its tasks (asyncio's {@code async with TaskGroup()}). */
    public static <T> T taskGroup(ScopeBody<TaskGroup, T> body) {
        return TaskGroup.run(body);
    }

    /**
     * {@link #taskGroup(ScopeBody)} for a body that returns nothing:
     * {@code Asyncio.taskGroup(tg -> { tg.createTask(a); tg.createTask(b); })}. See {@link TaskGroup#run(ScopeStatements)}.
     */
    public static void taskGroup(ScopeStatements<TaskGroup> body) {
        TaskGroup.run(body);
    }

    /** {@code delay} in nanoseconds, saturated. */
    private static long nanos(Duration delay) {
        try {
            return delay.toNanos();
        } catch (ArithmeticException e) {
            return delay.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static OptionalDouble deadlineAfterSeconds(double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("Asyncio.timeout(): the delay must be a number of seconds, got NaN");
        }
        return OptionalDouble.of(getRunningLoop().time() + seconds);
    }

    // ---- threads ---------------------------------------------------------------------------------------

    /**
     * Runs {@code fn} on the loop's default executor (platform threads) in a copy of the current context
     * and waits for its result (asyncio's {@code to_thread}). Cancelling the waiting task does not
     * interrupt the worker; the work's result is then dropped.
     */
    public static <T> T toThread(Callable<T> fn) {
        return getRunningLoop().runInExecutor(null, fn).await();
    }

    /** Runs a void body on the default executor; see {@link #toThread(Callable)}. */
    public static void toThread(ThrowingRunnable fn) {
        Objects.requireNonNull(fn, "fn");
        toThread(fn.asCallable());
    }

    /** Runs {@code fn} on {@code executor} and waits for its result (asyncio's {@code run_in_executor}). */
    public static <T> T runInExecutor(Executor executor, Callable<T> fn) {
        return getRunningLoop().runInExecutor(executor, fn).await();
    }

    // ---- introspection ---------------------------------------------------------------------------------

    /**
     * The call graph of the current task: its stack from the caller of this method, and the tasks awaiting
     * it (asyncio's {@code capture_call_graph()}; see {@link CallGraph}). As in asyncio,
     * returns null on the loop's thread outside a task (in a loop callback).
     *
     * @throws IllegalStateException outside a running loop (asyncio's {@code RuntimeError})
     */
    public static FutureCallGraph captureCallGraph() {
        Task<?> task = currentTaskOfRunningLoop("Asyncio.captureCallGraph()");
        return task == null ? null : CallGraph.capture(task);
    }

    /**
     * {@link #captureCallGraph()} as text (asyncio's {@code format_call_graph()}); the empty string in a
     * loop callback, where there is no current task.
     */
    public static String formatCallGraph() {
        return formatCurrentTask("Asyncio.formatCallGraph()");
    }

    /** Prints {@link #formatCallGraph()} and a line break to {@code System.out} (asyncio's {@code print_call_graph()}). */
    public static void printCallGraph() {
        System.out.println(formatCurrentTask("Asyncio.printCallGraph()"));
    }

    private static String formatCurrentTask(String api) {
        Task<?> task = currentTaskOfRunningLoop(api);
        return task == null ? "" : CallGraph.format(task);
    }

    private static Task<?> currentTaskOfRunningLoop(String api) {
        EventLoop.requireRunning(api);
        return Task.currentOrNull();
    }
}
