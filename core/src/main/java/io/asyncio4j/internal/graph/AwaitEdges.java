package io.asyncio4j.internal.graph;

import io.asyncio4j.Future;

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

    // the name of the kernel class that implements Access and installs it from its static initialiser
    private static final String IMPLEMENTATION = "io.asyncio4j.AwaitEdgesAccess";
    // written once by the kernel's class initialiser; read by any thread
    private static volatile Access access;

    private AwaitEdges() {
    }

    /** Called once, by the kernel's implementation. */
    public static void setAccess(Access a) {
        access = a;
    }

    /** The kernel's implementation, initialising it on first use. */
    public static Access access() {
        Access a = access;
        if (a == null) {
            try {
                Class.forName(IMPLEMENTATION, true, AwaitEdges.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("asyncio4j is incomplete: " + IMPLEMENTATION + " is missing", e);
            }
            a = access;
        }
        return a;
    }
}
