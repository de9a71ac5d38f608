package io.asyncio4j;

import io.asyncio4j.internal.sync.LoopBinding;
import io.asyncio4j.internal.sync.ParkingLot;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A lazy sequence whose values a body produces while the consumer asks for them (asyncio's async
 * generator: {@code async def} with {@code yield}, consumed by {@code async for}).
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * try (AsyncGenerator<String> lines = Asyncio.generator(out -> {
 *     try (var conn = open()) {
 *         String line;
 *         while ((line = conn.readLine()) != null) {
 *             out.yield(line);                     // parks here until the consumer asks again
 *         }
 *     }                                            // runs on exhaustion, on failure and on close()
 * })) {
 *     for (String line : lines) {                  // async for line in lines:
 *         if (line.isEmpty()) break;
 *         handle(line);
 *     }
 * }                                                // close(): the body stops at its yield (aclose())
 * List<Integer> squares = Asyncio.generator(...).toList();      // [x async for x in gen]
 * }</pre>
 * The body runs in a task of its own on the consumer's loop, created at the first request, and only
 * while the consumer waits for a value: {@link #hasNext()} (or {@link #next()}) resumes it until it
 * yields the next value, returns, or throws; then it is suspended again. Nothing of it runs before the
 * first request, and nothing runs ahead of the consumer. The call graph shows the consumer awaiting the
 * body's task while it waits.
 *
 * <p>The generator is its own one-shot iterator, as a Python async generator is its own
 * {@code __aiter__}: {@link #iterator()} returns the same iterator every time, so a second for-loop
 * continues where the first one stopped (after a {@code break}) instead of starting over.
 *
 * <h2>States</h2>
 * <pre>
 *   CREATED ──hasNext()──▶ RUNNING ──body yields──▶ SUSPENDED ──hasNext()──▶ RUNNING ...
 *      │                     └──body returns or throws───────────────────────────────▶ DONE
 *      │                     SUSPENDED ──close(): cancel at the yield──▶ CLOSING ──ends─▶ DONE
 *      └──close(): the body never runs────────────────────────────────────────────────▶ DONE
 * </pre>
 * A body's exception reaches the consumer from {@code hasNext()}/{@code next()} (unchecked unchanged,
 * checked wrapped in {@link java.util.concurrent.CompletionException}, as {@link Future#await()}) and
 * ends the generator; after that, and after {@link #close()}, {@code hasNext()} is false.
 *
 * <h2>Cancellation</h2>
 * <ul>
 *   <li>A consumer cancelled while it waits for a value cancels the body's task (the
 *       {@link CancelledError} is thrown where the body waits, its {@code finally} blocks run) and raises
 *       {@code CancelledError} once the body has ended: asyncio throws the cancel into the generator's
 *       frame. As when awaiting any task, a body that swallows the cancel decides: if it yields, the
 *       consumer gets that value and is not cancelled; if it returns, the generator is exhausted.</li>
 *   <li>A consumer cancelled after the body yielded but before the consumer resumed raises
 *       {@code CancelledError}; the value is not lost: the generator keeps it and the next
 *       {@code hasNext()}/{@code next()} returns it without resuming the body. {@code close()} drops it.</li>
 *   <li>A cancel pending when the consumer asks is raised at once; the body is not resumed.</li>
 *   <li>{@link #close()} at a suspended yield cancels the body's task and returns once it has ended.</li>
 *   <li>A generator abandoned without {@code close()} is a live task suspended at a yield:
 *       {@code Runner.close()} cancels it with the other leftover tasks, so its {@code finally} blocks run
 *       (asyncio's {@code shutdown_asyncgens}).</li>
 * </ul>
 *
 * <h2>Context variables</h2>
 * The body's task starts, like any task, with a copy of its creator's context: the context of the
 * consumer at its first request. It does not see values the consumer sets later, and the consumer does
 * not see values the body sets (an asyncio async generator runs in its consumer's own context and
 * shares both ways).
 *
 * <h2>Thread-safety</h2>
 * Belongs to the loop of its first consumer. {@code hasNext()}, {@code next()}, {@code toList()},
 * {@code stream()}'s terminal operations and {@code close()} must be called by a task of that loop, one
 * at a time: a second task asking while one waits gets {@link IllegalStateException} (asyncio's
 * "asynchronous generator is already running"). {@code out.yield(v)} must be called by the body itself.
 * ({@code close()} of a generator never used may be called anywhere.)
 *
 * <h2>Pitfalls</h2>
 * A plain {@code for} loop cannot close the generator on {@code break}: the body then stays suspended
 * (holding what its {@code try} blocks hold) until {@code close()} or {@code Runner.close()}. Use
 * try-with-resources, as with asyncio's {@code contextlib.aclosing}.
 */
public final class AsyncGenerator<T> implements Iterable<T>, AutoCloseable {
    /*
     * Implementation overview.
     *
     * Two tasks hand control back and forth; only one of them runs at a time.
     *   consumer: hasNext() ─▶ resumes the body ─▶ awaits `step` ─▶ gets a value or END
     *   body:     runs until out.yield(v) ─▶ completes `step` with v ─▶ parks in `resume` (a ParkingLot)
     * `step` is a fresh GatheringFuture per request whose only child is the body's task, so the kernel's
     * await does the hard parts: the consumer's wait is a Future.await (recorded in the call graph, plus
     * the edge consumer → body task that Gather records too), and a cancel of the waiting consumer is
     * forwarded to the step, which cancels the body's task instead of completing, so the consumer wakes
     * only when the body yields again or ends, exactly as when awaiting a task. The body's end completes
     * the step with END from runBody's finally (before the task finishes, in the same step, so the
     * consumer resumes seeing the task done); a done callback on the task covers a body cancelled before
     * its first step, whose runBody never runs.
     *
     *   consumer waits ─▶ body yields v, step done ─▶ consumer.cancel(): the step is done, so the
     *   cancel stays pending on the consumer ─▶ consumer resumes into CancelledError: v goes to `value`
     *   (hasValue), the body stays parked, the next hasNext() returns true at once.
     *
     * close() at a suspended yield cancels the task and awaits a step like a request; a yield while
     * CLOSING throws IllegalStateException into the body (asyncio leaves such a generator suspended; we
     * make its body end so that close() can return) and close() throws it too.
     *
     * All fields are loop-thread only (toString() reads `state` from any thread, without guarantee).
     */
    private static final Object END = new Object();
    private static final AtomicInteger IDS = new AtomicInteger();

    private enum State { CREATED, RUNNING, SUSPENDED, CLOSING, DONE }

    private final GeneratorBody<T> body;
    private final LoopBinding binding = new LoopBinding();
    // the body parked at a yield: handed a token by the request that resumes it
    private final ParkingLot resume = new ParkingLot();
    private final Iterator<T> iterator = new Iterator<>() {
        @Override
        public boolean hasNext() {
            return AsyncGenerator.this.hasNext();
        }

        @Override
        public T next() {
            return AsyncGenerator.this.next();
        }
    };

    private State state = State.CREATED;
    // the body's task, created at the first request
    private Task<Void> task;
    // what the waiting consumer (or closer) awaits, and who that is; null when nobody waits
    private GatheringFuture<Object> step;
    private Task<?> waiter;
    // the next value: yielded and not yet taken by next(), or kept for a consumer cancelled after the hand-off
    private boolean hasValue;
    private T value;
    // whether the consumer has seen how the body ended (its failure is thrown once, then hasNext() is false)
    private boolean endReported;
    // what a yield during close() threw into the body; close() throws it too
    private IllegalStateException ignoredClose;

    private AsyncGenerator(GeneratorBody<T> body) {
        this.body = body;
    }

    /** A generator over {@code body}'s values; nothing runs until the first request. See {@link Asyncio#generator}. */
    static <T> AsyncGenerator<T> of(GeneratorBody<T> body) {
        return new AsyncGenerator<>(Objects.requireNonNull(body, "body"));
    }

    // ---- the consumer --------------------------------------------------------------------------------

    /**
     * Whether there is a next value: resumes the body until it yields one (true), returns (false) or
     * throws (the exception, once; false afterwards). Returns at once, without resuming the body, when a
     * value is already waiting (after a {@code hasNext()}, or kept for a consumer cancelled after the
     * hand-off), when the generator is done and when it is closed.
     *
     * @throws CancelledError        if the calling task is cancelled while it waits: the body is cancelled
     *                               too and this returns once it has ended (see the class comment)
     * @throws IllegalStateException outside a task of the generator's loop, or while another task waits
     *                               for this generator
     */
    public boolean hasNext() {
        Task<?> consumer = enter("AsyncGenerator.hasNext()");
        if (hasValue) {
            return true;
        }
        if (state == State.DONE) {
            return reportEnd();
        }
        consumer.deliverPendingCancel();
        if (state == State.CREATED) {
            task = consumer.loop.createTask(this::runBody, "AsyncGenerator-" + IDS.incrementAndGet(), null);
            task.addElement(new Future.DoneCallback<>(task, t -> bodyEnded(), null));
        } else {
            // false if the task was cancelled at that yield meanwhile: it is ending, and its end completes the step
            resume.handFirst(Boolean.TRUE);
        }
        state = State.RUNNING;
        Object got = awaitBody(consumer);
        if (got == END) {
            return reportEnd();
        }
        return true;
    }

    /**
     * The next value; waits as {@link #hasNext()} does.
     *
     * @throws NoSuchElementException if the body has returned or the generator is closed
     */
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("AsyncGenerator.next(): the generator is " + (ignoredClose != null
                    || task == null || task.cancelled() ? "closed" : "exhausted") + "; check hasNext() first");
        }
        T v = value;
        value = null;
        hasValue = false;
        return v;
    }

    /** The generator's one-shot iterator: the same instance every time (see the class comment). */
    @Override
    public Iterator<T> iterator() {
        return iterator;
    }

    /**
     * The remaining values as a sequential, ordered stream. Closing the stream closes the generator, so
     * {@code try (var s = gen.stream()) { s.limit(3)... }} stops the body at its yield after the third value.
     * Terminal operations wait as {@link #hasNext()} does.
     */
    public Stream<T> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED), false)
                .onClose(this::close);
    }

    /**
     * Every remaining value, in order (asyncio's async comprehension {@code [x async for x in gen]}).
     * If it throws (the body failed, or the caller was cancelled) the generator is closed first, so no part
     * of the body is left suspended.
     */
    public List<T> toList() {
        List<T> out = new ArrayList<>();
        try {
            while (hasNext()) {
                out.add(next());
            }
        } catch (RuntimeException | Error e) {
            try {
                close();
            } catch (RuntimeException | Error c) {
                if (c != e) {
                    e.addSuppressed(c);
                }
            }
            throw e;
        }
        return out;
    }

    /**
     * Stops the generator (asyncio's {@code aclose()}). Before the first request: the body never runs.
     * At a suspended yield: cancels the body's task (the {@link CancelledError} comes out of
     * {@code out.yield(v)} and its {@code finally} blocks run, also ones that wait) and returns once the
     * task has ended. When done: nothing. Idempotent; afterwards {@code hasNext()} is false, and a value
     * kept for the consumer is dropped.
     *
     * @throws IllegalStateException if the body caught the cancellation and yielded again instead of
     *                               ending (asyncio's "async generator ignored GeneratorExit"), or while
     *                               another task waits for this generator
     * @throws CancelledError        if the calling task is cancelled while it waits; the cancel is forwarded
     *                               to the body, and this returns once the body has ended
     * @throws RuntimeException      what the body threw while it was being closed (checked: wrapped in
     *                               {@link java.util.concurrent.CompletionException})
     */
    @Override
    public void close() {
        if (binding.loop() == null) {
            state = State.DONE; // never used: nothing to stop, and no loop to check the caller against
            endReported = true;
            return;
        }
        Task<?> closer = enter("AsyncGenerator.close()");
        hasValue = false;
        value = null;
        if (state != State.SUSPENDED) { // CREATED or DONE
            state = State.DONE;
            endReported = true;
            return;
        }
        state = State.CLOSING;
        task.cancel("AsyncGenerator.close()");
        GatheringFuture<Object> s = new GatheringFuture<>(closer.loop, List.of(task));
        try {
            awaitStep(closer, s);
        } finally {
            endReported = true;
        }
        if (ignoredClose != null) {
            if (!task.cancelled() && task.exception() != null && task.exception() != ignoredClose) {
                ignoredClose.addSuppressed(task.exception());
            }
            throw ignoredClose;
        }
        if (!task.cancelled()) {
            task.result(); // throws what the body's clean-up threw
        } else if (s.cancelRequested) {
            throw new CancelledError(); // the closer was cancelled too: after the body has ended, as asyncio
        }
    }

    // ---- the body ------------------------------------------------------------------------------------

    private Void runBody() throws Exception {
        try {
            body.run(this::yieldValue);
            return null;
        } finally {
            bodyEnded();
        }
    }

    private void yieldValue(T v) {
        Task<?> current = Task.currentOrNull();
        if (current == null || current != task) {
            throw new IllegalStateException("Yielder.yield() must be called by the generator's own body, in its task '"
                    + (task == null ? "(not started)" : task.getName()) + "'; it was called from "
                    + (current == null ? "thread '" + Thread.currentThread().getName() + "'" : "task '" + current.getName() + "'")
                    + ". Tasks the body creates cannot yield: pass their results to the body (await them) and yield there");
        }
        if (state == State.CLOSING) {
            ignoredClose = new IllegalStateException("AsyncGenerator ignored close(): its body caught the CancelledError "
                    + "thrown at its yield and yielded again instead of ending (asyncio: 'async generator ignored "
                    + "GeneratorExit'); let CancelledError propagate and clean up in finally blocks");
            throw ignoredClose;
        }
        GatheringFuture<Object> s = step;
        if (state != State.RUNNING || s == null) {
            // Cancelled at a yield by someone else than close() (Runner.close(), a cancel of its task) and
            // yielding again: nobody asked for this value.
            throw new IllegalStateException("Yielder.yield(): nobody asked for a value: the generator's task was "
                    + "cancelled at its yield and the body yielded again instead of ending; let CancelledError propagate");
        }
        state = State.SUSPENDED;
        complete(s, v);
        resume.park(null, "Yielder.yield()");
        // resumed by a request: state is RUNNING and `step` is the new request's
    }

    /** The body's task has ended (or is ending): idempotent; completes the step of whoever waits. */
    private void bodyEnded() {
        state = State.DONE;
        GatheringFuture<Object> s = step;
        if (s != null && !s.done()) {
            complete(s, END);
        }
    }

    private void complete(GatheringFuture<Object> s, Object result) {
        task.discardAwaitedBy(waiter);
        s.complete(result);
    }

    // ---- waiting -------------------------------------------------------------------------------------

    /** The caller's task once it may use this generator: right loop, a task, nobody else waiting. */
    private Task<?> enter(String api) {
        binding.ensureOnLoop(this, api);
        Task<?> current = Task.requireCurrent(api);
        if (state == State.RUNNING || state == State.CLOSING) {
            String who = waiter == null ? "its body" : current == waiter ? "this task" : "task '" + waiter.getName() + "'";
            throw new IllegalStateException(api + ": the generator is already running: " + who + " is waiting for "
                    + (state == State.CLOSING ? "it to close" : "its next value") + "; a generator serves one consumer "
                    + "at a time (asyncio: 'asynchronous generator is already running')");
        }
        if (current == task) {
            throw new IllegalStateException(api + " was called by the generator's own body; a body produces values "
                    + "with out.yield(v) and cannot consume itself");
        }
        return current;
    }

    /** Waits for the body to yield (the value) or end (END) on behalf of {@code consumer}. */
    private Object awaitBody(Task<?> consumer) {
        GatheringFuture<Object> s = new GatheringFuture<>(consumer.loop, List.of(task));
        try {
            Object got = awaitStep(consumer, s);
            if (got != END) {
                value = uncheckedCast(got);
                hasValue = true;
            }
            return got;
        } catch (CancelledError e) {
            if (s.done() && !s.cancelled() && s.result() != END) {
                // handed a value, then cancelled before it resumed: keep it for the next request
                value = uncheckedCast(s.result());
                hasValue = true;
            }
            throw e;
        }
    }

    private Object awaitStep(Task<?> who, GatheringFuture<Object> s) {
        step = s;
        waiter = who;
        task.addAwaitedBy(who);
        try {
            return s.await();
        } finally {
            task.discardAwaitedBy(who);
            step = null;
            waiter = null;
            if (task.done()) {
                state = State.DONE; // also when the done callback has not run yet (body cancelled before its first step)
            }
        }
    }

    /** The body has ended: throws how (once), else returns false. */
    private boolean reportEnd() {
        if (endReported || task == null) {
            return false;
        }
        endReported = true;
        task.result(); // CancelledError if the body was cancelled, its failure if it failed
        return false;
    }

    @SuppressWarnings("unchecked")
    private static <T> T uncheckedCast(Object o) {
        return (T) o;
    }

    /** {@code AsyncGenerator[suspended, task=AsyncGenerator-1]}. */
    @Override
    public String toString() {
        Task<Void> t = task;
        return "AsyncGenerator[" + state.name().toLowerCase(java.util.Locale.ROOT)
                + (t == null ? "" : ", task=" + t.getName()) + "]";
    }
}
