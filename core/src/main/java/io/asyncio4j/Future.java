package io.asyncio4j;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * A result that will be set later, bound to one {@link EventLoop} (asyncio's {@code asyncio.Future}).
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Future<String> f = new Future<>();                  // inside a running loop: bound to it
 * loop.callLater(0.5, () -> f.setResult("ready"));
 * String v = f.await();                              // parks this task; other tasks run meanwhile
 * }</pre>
 * {@code await()} in a task of the future's loop parks the task (the loop runs other tasks); on a plain
 * thread it blocks that thread until the future is done. Awaiting a future that is already done returns
 * at once, without letting other tasks run.
 *
 * <h2>States</h2>
 * <pre>
 *   PENDING ──setResult──────▶ FINISHED (result)
 *      │    ──setException───▶ FINISHED (exception)
 *      └────cancel(msg)──────▶ CANCELLED
 * </pre>
 * Done callbacks run once, through {@link EventLoop#callSoon}, in the order they were added, in the
 * {@link Context} that was current when they were added.
 *
 * <h2>Errors</h2>
 * {@link #result()} and {@link #await()} surface a failure unchanged when it is unchecked
 * ({@link RuntimeException}, {@link Error}); a checked exception is surfaced wrapped in a
 * {@link CompletionException} whose cause is the original. {@link #exception()} returns the original.
 * An exception that nobody retrieved (with {@code result()}, {@code exception()} or {@code await()}) is
 * reported to the loop's {@link ExceptionHandler} when the loop closes.
 *
 * <h2>Thread-safety</h2>
 * A future belongs to its loop: {@code setResult}, {@code setException}, {@code cancel},
 * {@code addDoneCallback} and {@code removeDoneCallback} must be called on the loop's thread (from
 * another thread, use {@link EventLoop#callSoonThreadsafe}). {@code done()}, {@code cancelled()},
 * {@code result()}, {@code exception()}, {@code await()} and {@link #toCompletableFuture()} may be called
 * from any thread.
 */
public sealed class Future<T> permits KernelWait, GatheringFuture {
    /*
     * Implementation overview. `state` is the only volatile field: the loop thread writes result/exception
     * first and then `state`, so any thread that reads a done state also sees the value. Callbacks are kept
     * as null, one element, or an ArrayDeque (most futures have zero or one). A callback element is either a
     * DoneCallback (user code, run via callSoon) or a Task.Carrier (a task parked in await()); a wakeup is
     * fired directly at completion, which appends the task to the ready queue at exactly the position
     * asyncio's call_soon(task.__wakeup) would take, so tasks resume in asyncio's order.
     */
    static final byte PENDING = 0;
    static final byte CANCELLED = 1;
    static final byte FINISHED = 2;
    static final byte FAILED = 3;

    final EventLoop loop;
    // written on the loop thread only; read by any thread
    private volatile byte state;
    // what the future ended with, told apart by `state`: FINISHED, the result; FAILED, the exception;
    // CANCELLED, why it was cancelled: null, the cancel's message (a String), or, for a task ended by a
    // CancelledError, that error (its message is the cancel's message; it becomes the cause of the errors
    // result() raises). Null while pending. One field for the three (8 B less per future and per task than
    // three fields). Written on the loop thread before `state`; read after reading a done `state`
    private Object outcome;
    // null, one callback element, or ArrayDeque of them; loop thread only
    private Object callbacks;
    // true while the exception is set and nobody has looked at it; written by any thread (benign)
    private volatile boolean unretrieved;
    // who waits for this future, for the call graph: null, one Future, or an ArrayDeque of them; loop thread only
    private Object awaitedBy;

    /** A future bound to the running event loop. Throws {@link IllegalStateException} outside a loop. */
    public Future() {
        this(EventLoop.requireRunning("new Future()"));
    }

    Future(EventLoop loop) {
        this.loop = loop;
    }

    /** Wraps a {@link CompletionStage} (asyncio's {@code wrap_future}); needs a running loop. */
    public static <T> Future<T> wrap(CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "stage");
        return EventLoop.requireRunning("Future.wrap()").wrap(stage);
    }

    // ---- state -----------------------------------------------------------------------------------------

    /** Whether the future has a result, an exception, or was cancelled. */
    public final boolean done() {
        return state != PENDING;
    }

    /** Whether the future was cancelled. */
    public final boolean cancelled() {
        return state == CANCELLED;
    }

    /**
     * The result. Throws {@link InvalidStateError} if pending, {@link CancelledError} if cancelled, and the
     * failure (see the class comment) if it failed.
     */
    public final T result() {
        byte s = state;
        if (s == PENDING) {
            throw new InvalidStateError("Result is not ready: " + this + ". " + getClass().getSimpleName()
                    + ".result() does not wait; call await() instead, or call result() from a done callback");
        }
        if (s == CANCELLED) {
            throw newCancelledError();
        }
        if (s == FAILED) {
            markRetrieved();
            throw surface((Throwable) outcome);
        }
        @SuppressWarnings("unchecked")
        T value = (T) outcome;
        return value;
    }

    /**
     * The exception the future failed with, or null if it succeeded. Throws {@link InvalidStateError} if
     * pending and {@link CancelledError} if cancelled.
     */
    public final Throwable exception() {
        byte s = state;
        if (s == PENDING) {
            throw new InvalidStateError("Exception is not set: " + this + ". " + getClass().getSimpleName()
                    + ".exception() does not wait; call await() instead, or call exception() from a done callback");
        }
        if (s == CANCELLED) {
            throw newCancelledError();
        }
        markRetrieved();
        return s == FAILED ? (Throwable) outcome : null;
    }

    /**
     * Waits for the future and returns its result (or throws its failure, see the class comment).
     * In a task of this future's loop the task parks and other tasks run; a cancel of the awaiting task is
     * forwarded to this future. On a plain thread, blocks the thread.
     *
     * @throws IllegalStateException on the loop's own thread outside a task (a callback cannot block), or
     *                               in a task of another loop
     */
    public final T await() {
        if (state != PENDING) {
            return result();
        }
        Task<?> task = Task.currentOrNull();
        if (task != null && task.loop == loop) {
            task.awaitFuture(this);
        } else {
            awaitFromOutside(task);
        }
        return result();
    }

    private void awaitFromOutside(Task<?> task) {
        if (task != null) {
            throw new IllegalStateException("Future.await(): " + this + " belongs to another event loop than task '"
                    + task.getName() + "'; hand results between loops with toCompletableFuture() and Future.wrap()");
        }
        if (loop.isLoopThread()) {
            throw new IllegalStateException("Future.await() cannot block the event loop's thread outside a task; "
                    + "add a done callback instead, or await inside a task");
        }
        if (loop.isClosed()) {
            throw new IllegalStateException("Future.await(): " + this + " is pending and its event loop is closed: "
                    + "it will never complete");
        }
        CountDownLatch latch = new CountDownLatch(1);
        loop.callSoonThreadsafeInternal(() -> addDoneCallback(f -> latch.countDown()));
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledError("interrupted while awaiting " + this, e);
        }
    }

    // ---- completion ------------------------------------------------------------------------------------

    /** Marks the future done with {@code value}. Throws {@link InvalidStateError} if it is already done. */
    public void setResult(T value) {
        loop.ensureOnLoopThread("Future.setResult()");
        if (state != PENDING) {
            throw alreadyDone("Future.setResult()");
        }
        complete(value);
    }

    /** Marks the future failed. Throws {@link InvalidStateError} if it is already done. */
    public void setException(Throwable exception) {
        Objects.requireNonNull(exception, "exception");
        loop.ensureOnLoopThread("Future.setException()");
        if (state != PENDING) {
            throw alreadyDone("Future.setException()");
        }
        fail(exception);
    }

    private InvalidStateError alreadyDone(String api) {
        return new InvalidStateError("invalid state: " + this + " is already done. " + api + " completes a future only "
                + "once; check done() first if several parties may complete it");
    }

    /** Cancels the future; returns false if it is already done. Same as {@code cancel(null)}. */
    public final boolean cancel() {
        return cancel(null);
    }

    /**
     * Cancels the future and schedules its callbacks; returns false if it is already done. The message
     * reaches the {@link CancelledError} that {@code result()} and {@code await()} raise. Calling it on a
     * future that failed counts as looking at the failure: it is then not reported as never retrieved
     * (asyncio's {@code cancel()} clears {@code __log_traceback} too).
     */
    public boolean cancel(String msg) {
        loop.ensureOnLoopThread("Future.cancel()");
        markRetrieved();
        return cancelNow(msg);
    }

    final void complete(T value) {
        outcome = value;
        state = FINISHED;
        fireCallbacks();
    }

    final void fail(Throwable e) {
        outcome = e;
        unretrieved = true;
        state = FAILED;
        loop.noteUnretrieved(this);
        fireCallbacks();
    }

    final boolean cancelNow(String msg) {
        return cancelWith(msg);
    }

    /** The exception, without marking it retrieved. */
    final Throwable failure() {
        return state == FAILED ? (Throwable) outcome : null;
    }

    /**
     * Cancels a task whose body ended by {@code cause}: its message is the cancel's, and it becomes the cause
     * of the errors {@link #result()} raises.
     */
    final void cancelNow(CancelledError cause) {
        cancelWith(cause);
    }

    private boolean cancelWith(Object reason) {
        if (state != PENDING) {
            return false;
        }
        outcome = reason;
        state = CANCELLED;
        fireCallbacks();
        return true;
    }

    /** The message of this cancelled future's cancel (null when it is not cancelled, or was without one). */
    final String cancelMessage() {
        Object reason = cancelReason();
        return reason instanceof CancelledError ce ? ce.getMessage() : (String) reason;
    }

    /** A fresh CancelledError for this cancelled future, caused by the one that ended it, if any. */
    final CancelledError newCancelledError() {
        Object reason = cancelReason();
        return reason instanceof CancelledError ce ? new CancelledError(ce.getMessage(), ce)
                : new CancelledError((String) reason, null);
    }

    /** Why this future was cancelled (see {@code outcome}), or null when it is not cancelled. */
    private Object cancelReason() {
        return state == CANCELLED ? outcome : null;
    }

    final boolean isUnretrieved() {
        return unretrieved;
    }

    final void markRetrieved() {
        if (unretrieved) {
            unretrieved = false;
            if (loop.isLoopThread()) {
                loop.forgetUnretrieved(this);
            }
        }
    }

    static RuntimeException surface(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new CompletionException(e);
    }

    // ---- callbacks -------------------------------------------------------------------------------------

    /**
     * Adds a callback run with this future once it is done, via {@code callSoon}, in the current context.
     * If the future is already done, the callback is scheduled at once.
     */
    public final void addDoneCallback(Consumer<? super Future<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        loop.ensureOnLoopThread("Future.addDoneCallback()");
        DoneCallback<T> cb = new DoneCallback<>(this, callback, Context.captureForCallback());
        if (state != PENDING) {
            loop.schedule(cb, cb.context);
        } else {
            addElement(cb);
        }
    }

    /** Removes every registration of {@code callback}; returns how many were removed. */
    public final int removeDoneCallback(Consumer<? super Future<T>> callback) {
        loop.ensureOnLoopThread("Future.removeDoneCallback()");
        Object cbs = callbacks;
        if (cbs instanceof DoneCallback<?> d) {
            if (d.callback.equals(callback)) {
                callbacks = null;
                return 1;
            }
            return 0;
        }
        if (cbs instanceof ArrayDeque<?> list) {
            int before = list.size();
            list.removeIf(o -> o instanceof DoneCallback<?> d && d.callback.equals(callback));
            return before - list.size();
        }
        return 0;
    }

    /** Registers an internal element (DoneCallback or Task.Carrier); loop thread, pending future only. */
    final void addElement(Object element) {
        callbacks = compactAdd(callbacks, element);
    }

    final void removeElement(Object element) {
        callbacks = compactRemove(callbacks, element);
    }

    /*
     * A compact bag for fields that usually hold zero or one element: null, the element itself, or an
     * ArrayDeque of elements (which are never ArrayDeques themselves). Used for callbacks and awaitedBy. An
     * ArrayDeque rather than an ArrayList because waiters leave in the order they came: removing the first
     * element is O(1) there, a shift of the whole array in an ArrayList (1,000,000 tasks woken by one
     * future, each removing itself from the future's awaitedBy when it resumed, took 100 s that way).
     */
    @SuppressWarnings("unchecked")
    private static Object compactAdd(Object bag, Object element) {
        if (bag == null) {
            return element;
        }
        if (bag instanceof ArrayDeque<?> list) {
            ((ArrayDeque<Object>) list).addLast(element);
            return list;
        }
        ArrayDeque<Object> list = new ArrayDeque<>(4);
        list.add(bag);
        list.add(element);
        return list;
    }

    private static Object compactRemove(Object bag, Object element) {
        if (bag == element) {
            return null;
        }
        if (bag instanceof ArrayDeque<?> list) {
            list.removeFirstOccurrence(element);
            return list.isEmpty() ? null : list;
        }
        return bag;
    }

    private void fireCallbacks() {
        Object cbs = callbacks;
        if (cbs == null) {
            return;
        }
        callbacks = null;
        if (cbs instanceof ArrayDeque<?> list) {
            for (Object o : list) {
                fire(o);
            }
        } else {
            fire(cbs);
        }
    }

    private void fire(Object element) {
        if (element instanceof Task.Carrier c) {
            c.wakeCurrentWait();
        } else {
            DoneCallback<?> cb = (DoneCallback<?>) element;
            loop.schedule(cb, cb.context);
        }
    }

    /** A user callback bound to its future and to the context it was added in. */
    static final class DoneCallback<T> implements Runnable {
        final Future<T> future;
        final Consumer<? super Future<T>> callback;
        final Context context;

        DoneCallback(Future<T> future, Consumer<? super Future<T>> callback, Context context) {
            this.future = future;
            this.callback = callback;
            this.context = context;
        }

        @Override
        public void run() {
            callback.accept(future);
        }

        @Override
        public String toString() {
            return "done callback " + callback + " of " + future;
        }
    }

    // ---- the call graph: who awaits whom ----------------------------------------------------------------

    /** Records that {@code waiter} waits for this future (asyncio's {@code future_add_to_awaited_by}). */
    final void addAwaitedBy(Future<?> waiter) {
        awaitedBy = compactAdd(awaitedBy, waiter);
    }

    /** Forgets one record of {@code waiter} (asyncio's {@code future_discard_from_awaited_by}). */
    final void discardAwaitedBy(Future<?> waiter) {
        awaitedBy = compactRemove(awaitedBy, waiter);
    }

    /** The futures and tasks that wait for this one now, oldest first; loop thread only. */
    final java.util.List<Future<?>> awaitedBy() {
        Object a = awaitedBy;
        if (a == null) {
            return java.util.List.of();
        }
        if (a instanceof ArrayDeque<?> list) {
            java.util.List<Future<?>> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add((Future<?>) o);
            }
            return out;
        }
        return java.util.List.of((Future<?>) a);
    }

    // ---- interop ---------------------------------------------------------------------------------------

    /** The event loop this future belongs to. */
    public final EventLoop getLoop() {
        return loop;
    }

    /**
     * A {@link CompletableFuture} that completes when this future does (with the original exception, or
     * cancelled). Cancelling the returned future cancels this one. Callable from any thread.
     */
    public final CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> cf = new CompletableFuture<>();
        if (done()) {
            transfer(this, cf); // a done future's state is safe to read from any thread
        } else if (loop.isLoopThread()) {
            addDoneCallback(f -> transfer(f, cf));
        } else {
            loop.callSoonThreadsafeInternal(() -> addDoneCallback(f -> transfer(f, cf)));
        }
        cf.whenComplete((v, e) -> {
            if (cf.isCancelled() && !done()) {
                loop.callSoonThreadsafeInternal(() -> cancel(null));
            }
        });
        return cf;
    }

    private static <T> void transfer(Future<T> f, CompletableFuture<T> cf) {
        if (f.cancelled()) {
            cf.cancel(false);
        } else if (f.exception() != null) {
            cf.completeExceptionally(f.exception());
        } else {
            cf.complete(f.result());
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + stateText() + "]";
    }

    final String stateText() {
        return switch (state) {
            case PENDING -> "pending";
            case CANCELLED -> "cancelled";
            case FAILED -> "finished exception=" + outcome;
            default -> "finished result=" + outcome;
        };
    }
}
