package io.asyncio4j.internal.carrier;

import java.util.concurrent.Executor;

/**
 * How the loop gets virtual threads whose scheduler is the loop. JDK 25 has no public API for a custom
 * virtual-thread scheduler; every use of the hidden one lives behind this interface, in
 * {@link HiddenBuilderBackend}, so that a future public API (the Loom project's
 * {@code Thread.VirtualThreadScheduler}) replaces it in one place.
 */
public interface CarrierBackend {
    /**
     * A new, unstarted virtual thread that runs {@code body}; each time it becomes runnable, the JDK
     * passes its continuation to {@code scheduler.execute}, and whoever runs that continuation is its
     * carrier until it parks.
     */
    Thread newVirtualThread(Executor scheduler, String name, Runnable body);

    /**
     * Makes the calling thread look as a new thread made by {@code parent} would: no thread-locals, the
     * inheritable thread-locals and context class loader {@code parent} has now (none and the system class
     * loader when {@code parent} is null), no uncaught-exception handler, no interrupt status.
     * For a virtual thread that ran one task and is about to run the next one (a loop's carrier pool); it must
     * be called on that thread.
     */
    void resetCurrentThread(Thread parent);

    /** The JDK's own virtual-thread scheduler, for virtual threads that inherited ours by accident. */
    Executor defaultScheduler();

    /**
     * The scheduler of {@code thread} when it is a virtual thread made by this backend (or one such thread
     * created, and so inherited it), else null. Cheap: one field read, for finding the current task.
     */
    static Executor schedulerOf(Thread thread) {
        return HiddenBuilderBackend.schedulerOf(thread);
    }

    /**
     * The backend of this JVM.
     *
     * @throws IllegalStateException with instructions, when {@code java.lang} is not opened to this library
     */
    static CarrierBackend get() {
        return HiddenBuilderBackend.instance();
    }
}
