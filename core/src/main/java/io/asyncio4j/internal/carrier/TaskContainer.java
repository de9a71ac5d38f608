package io.asyncio4j.internal.carrier;

import jdk.internal.vm.ThreadContainer;
import jdk.internal.vm.ThreadContainers;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The JDK's side of a {@link LoopThreadContainer}: a shared {@code jdk.internal.vm.ThreadContainer} (the kind
 * that {@code Executors.newThreadPerTaskExecutor} makes) that keeps no per-thread entry. It counts its threads
 * as they start and end, and lists them from the loop's own bookkeeping. Loaded only once
 * {@link HiddenBuilderBackend} has exported {@code jdk.internal.vm} to this module.
 *
 * <p>Thread-safety: {@link #onStart} runs on the thread that starts a task's thread (the loop thread), and
 * {@link #onExit} on the ending thread, wherever it runs (a pooled thread retired at the loop's close ends on
 * the JDK's scheduler): the count changes atomically. {@link #threads} and {@link #threadCount} are called by
 * whoever dumps the threads, on any thread.
 */
final class TaskContainer extends ThreadContainer {
    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(TaskContainer.class, "count", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    // the live threads, read from the loop's own lists (may be stale when read while the loop runs)
    private final Supplier<Stream<Thread>> threads;
    // started minus ended threads; changed atomically by the threads that start and end them, read by any
    @SuppressWarnings("unused") // through COUNT
    private volatile long count;
    // the key of the registration with ThreadContainers (what makes thread dumps find this container);
    // written once by open()
    private Object key;

    private TaskContainer(String name, Supplier<Stream<Thread>> threads) {
        super(true); // shared: no owner thread
        this.name = name;
        this.threads = threads;
    }

    /** A container registered for thread dumps; one registration per loop, none per thread. */
    static TaskContainer open(String name, Supplier<Stream<Thread>> threads) {
        TaskContainer c = new TaskContainer(name, threads);
        c.key = ThreadContainers.registerContainer(c);
        return c;
    }

    /** Removes the container from thread dumps; threads still in it keep counting down as they end. */
    void close() {
        ThreadContainers.deregisterContainer(key);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Stream<Thread> threads() {
        return threads.get();
    }

    @Override
    public long threadCount() {
        return count;
    }

    @Override
    protected void onStart(Thread thread) {
        COUNT.getAndAdd(this, 1L);
    }

    @Override
    protected void onExit(Thread thread) {
        COUNT.getAndAdd(this, -1L);
    }
}
