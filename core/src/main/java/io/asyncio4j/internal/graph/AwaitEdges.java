package io.asyncio4j.internal.graph;

import io.asyncio4j.Future;
import io.asyncio4j.internal.KernelAccess;

import java.util.List;

/**
 * What {@code io.asyncio4j.graph} needs of the kernel and may not see through public API: the records of
 * who awaits a future, and the kernel's loop-thread guard. The package is not exported, so this stays
 * inside the module.
 *
 * <p>The kernel implements {@link Access} in a package-private class of {@code io.asyncio4j} that installs
 * itself when it is initialised (the JDK's {@code SharedSecrets} pattern); {@link #access()} initialises it
 * on first use, so no kernel class has to know about the graph.
 */
public final class AwaitEdges {
    /** Implemented by the kernel. Every method must be called on the future's loop thread. */
    public interface Access {
        /** The futures and tasks waiting for {@code future} now, oldest first (a snapshot). */
        List<Future<?>> awaitedBy(Future<?> future);

        /**
         * Throws {@link IllegalStateException} naming {@code api} unless the caller runs on the loop of
         * {@code future} (its thread or one of its tasks) or that loop is not running.
         */
        void ensureOnLoopThread(Future<?> future, String api);
    }

    private static final KernelAccess<Access> ACCESS =
            new KernelAccess<>("io.asyncio4j.AwaitEdgesAccess", AwaitEdges.class);

    private AwaitEdges() {
    }

    /** Called once, by the kernel's implementation. */
    public static void setAccess(Access a) {
        ACCESS.set(a);
    }

    /** The kernel's implementation, initialising it on first use. */
    public static Access access() {
        return ACCESS.get();
    }
}
