package io.asyncio4j.internal.carrier;

import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The virtual threads of one event loop's tasks, grouped as one of the JDK's thread containers: a thread dump
 * ({@code jcmd <pid> Thread.dump_to_file -format=json <file>}, or {@code HotSpotDiagnosticMXBean.dumpThreads})
 * lists them under the loop's name instead of among every other virtual thread of the JVM. It also spares each
 * thread the JDK's own bookkeeping: a thread started with {@code Thread.start()} joins the JDK's root container,
 * which keeps a set entry per live virtual thread (about 40 B of every parked task); this container keeps
 * nothing per thread, only a count, and lists its threads from what the loop knows already (its live tasks and
 * its pooled threads).
 *
 * <p>It uses the JDK's internal {@code jdk.internal.vm.ThreadContainer}, which {@link HiddenBuilderBackend}
 * reaches through the {@code java.lang} package the library already needs opened. When that is not possible
 * (another JDK), {@link #start} starts threads as {@code Thread.start()} does, and one warning says so.
 *
 * <p>Thread-safety: {@link #start} runs on the loop thread; {@link #threadCount} on any thread; {@link #close}
 * once, by the thread that closes the loop.
 */
public final class LoopThreadContainer {
    // the JDK container (a TaskContainer), or null when the internal API is not accessible; written once. Typed
    // Object, and touched only through HiddenBuilderBackend, so that this class loads even where TaskContainer
    // cannot
    private final Object container;

    LoopThreadContainer(Object container) {
        this.container = container;
    }

    /**
     * A container named {@code name} (the loop's name, as thread dumps show it) whose threads are what
     * {@code threads} answers; {@code threads} is called on the dumping thread, while the loop may run.
     */
    public static LoopThreadContainer open(String name, Supplier<Stream<Thread>> threads) {
        return new LoopThreadContainer(HiddenBuilderBackend.openContainer(name, threads));
    }

    /** Starts {@code thread} (a new virtual thread of the loop) in this container. */
    public void start(Thread thread) {
        HiddenBuilderBackend.start(thread, container);
    }

    /** How many threads started here have not ended yet, or -1 when threads start outside any container. */
    public long threadCount() {
        return container != null ? HiddenBuilderBackend.threadCount(container) : -1;
    }

    /** The loop closed: thread dumps no longer show the container (threads still ending count down). */
    public void close() {
        if (container != null) {
            HiddenBuilderBackend.closeContainer(container);
        }
    }
}
