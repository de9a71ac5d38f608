package io.asyncio4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A mapping of {@link ContextVar}s to values (Python's {@code contextvars.Context}).
 *
 * <h2>Usage</h2>
 * Every task starts with a copy of its creator's context, so a value set before {@code createTask} is
 * seen by the task, and a value the task sets is not seen by its creator. Callbacks scheduled with
 * {@code callSoon}/{@code callLater} run in a copy taken when they were scheduled; work sent to
 * {@code toThread}/{@code runInExecutor} runs in a copy too. Plain threads each have their own context.
 * <pre>{@code
 * Context ctx = Context.copyContext();
 * ctx.run(() -> { requestId.set("42"); return work(); });   // the set stays inside ctx
 * }</pre>
 *
 * <h2>Thread-safety</h2>
 * A context is entered by at most one thread at a time ({@link #run} refuses a context that is already
 * entered, as Python does). Reading values of a copy is safe from any thread.
 */
public final class Context {
    /*
     * Implementation overview: the mapping is an immutable array of alternating keys and values, replaced
     * (copy on write) by every ContextVar.set. Copying a context is therefore O(1): the copy shares the
     * array. Contexts hold a handful of variables, where a linear scan by identity beats a hash map.
     */
    static final Object[] EMPTY = new Object[0];
    private static final ThreadLocal<Context> THREAD_CONTEXT = new ThreadLocal<>();

    // written by the thread that has entered this context; a copy never shares a writer
    private Object[] entries;
    // set while some thread runs inside this context via run(); guarded by this
    private Thread enteredBy;

    Context(Object[] entries) {
        this.entries = entries;
    }

    /** A new, empty context. */
    public Context() {
        this(EMPTY);
    }

    /** A shallow copy of the current context (Python's {@code contextvars.copy_context()}). */
    public static Context copyContext() {
        return new Context(current().entries);
    }

    /**
     * Runs {@code body} with this context as the current one, then restores the previous context.
     * Failures surface like {@link Future#await()}: unchecked ones unchanged, checked ones wrapped in
     * {@link java.util.concurrent.CompletionException}.
     *
     * @throws IllegalStateException if this context is already entered (by this or another thread)
     */
    public <T> T run(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        synchronized (this) {
            if (enteredBy != null) {
                throw new IllegalStateException("cannot enter context: it is already entered by thread '"
                        + enteredBy.getName() + "'; run a Context.copyContext() instead");
            }
            enteredBy = Thread.currentThread();
        }
        Context previous = swapCurrent(this);
        try {
            return body.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        } finally {
            swapCurrent(previous);
            synchronized (this) {
                enteredBy = null;
            }
        }
    }

    /** The value of {@code var} in this context, or null when it has none. */
    public <T> T get(ContextVar<T> var) {
        int i = indexOf(entries, var);
        return i < 0 ? null : var.cast(entries[i + 1]);
    }

    /** Whether {@code var} has a value in this context. */
    public boolean contains(ContextVar<?> var) {
        return indexOf(entries, var) >= 0;
    }

    /** How many variables have a value in this context. */
    public int size() {
        return entries.length / 2;
    }

    /** The variables that have a value in this context, in the order they were first set. */
    public List<ContextVar<?>> vars() {
        Object[] e = entries;
        List<ContextVar<?>> out = new ArrayList<>(e.length / 2);
        for (int i = 0; i < e.length; i += 2) {
            out.add((ContextVar<?>) e[i]);
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Context{");
        Object[] e = entries;
        for (int i = 0; i < e.length; i += 2) {
            sb.append(i == 0 ? "" : ", ").append(((ContextVar<?>) e[i]).name()).append('=').append(e[i + 1]);
        }
        return sb.append('}').toString();
    }

    // ---- used by ContextVar, Task and the loop -------------------------------------------------------

    /** The current thread's context: the task's when running in a task, else the thread's own. */
    static Context current() {
        Task<?> task = Task.currentOrNull();
        if (task != null) {
            Context c = task.context;
            if (c == FRESH) {
                // a task created in an empty context gets its own empty one when it first looks at it
                c = new Context();
                task.context = c;
            }
            return c;
        }
        Context c = THREAD_CONTEXT.get();
        if (c == null) {
            c = new Context();
            THREAD_CONTEXT.set(c);
        }
        return c;
    }

    /** Makes {@code next} current and returns the previous current context. */
    static Context swapCurrent(Context next) {
        Task<?> task = Task.currentOrNull();
        if (task != null) {
            Context prev = task.context;
            task.context = next;
            return prev;
        }
        Context prev = THREAD_CONTEXT.get();
        THREAD_CONTEXT.set(next);
        return prev;
    }

    /**
     * Stands for "a fresh empty context" in a callback that was scheduled, or a task that was created, while
     * the current context was empty: the callback gets its own context only when it runs, the task when it
     * first looks at its context ({@link #current()}), so scheduling and task creation stay allocation-free.
     * Never entered itself, and never returned by {@link #current()}.
     */
    static final Context FRESH = new Context();

    /** A copy of the current context for a user callback ({@link #FRESH} when the current one is empty). */
    static Context captureForCallback() {
        Object[] e = current().entries;
        return e.length == 0 ? FRESH : new Context(e);
    }

    Object[] entries() {
        return entries;
    }

    void entries(Object[] next) {
        entries = next;
    }

    static int indexOf(Object[] entries, ContextVar<?> var) {
        for (int i = 0; i < entries.length; i += 2) {
            if (entries[i] == var) {
                return i;
            }
        }
        return -1;
    }
}
