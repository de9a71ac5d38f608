package io.asyncio4j.internal.sync;

import io.asyncio4j.EventLoop;
import io.asyncio4j.Task;

/**
 * What {@link ParkingLot} needs of the kernel and may not see through public API: the running task, and
 * the task's own wait handshake (the one {@code Asyncio.sleep} and {@code Future.await()} use). The
 * package is not exported, so this stays inside the module.
 *
 * <p>The kernel implements {@link Access} in a package-private class of {@code io.asyncio4j} that installs
 * itself from its static initialiser (the JDK's {@code SharedSecrets} pattern, as
 * {@code internal.graph.AwaitEdges}).
 */
public final class Parking {
    /** Implemented by the kernel. Every method but {@link #runningLoopOrNull} is for the loop thread only. */
    public interface Access {
        /** The loop of the calling task or loop callback, or null on any other thread. May be called anywhere. */
        EventLoop runningLoopOrNull();

        /** The calling task; an IllegalStateException naming {@code api} if the caller is not a task. */
        Task<?> currentTask(String api);

        /** Starts one wait of {@code task} (the caller) and returns its generation stamp. */
        int beginWait(Task<?> task);

        /** Parks the calling task until a {@link #wake} of its current wait, or a cancel, ends it. */
        void parkUntilWoken(Task<?> task);

        /** Ends the wait stamped {@code seq} of {@code task}; does nothing if that wait is over. */
        void wake(Task<?> task, int seq);

        /** Whether a cancel of {@code task} is requested and not yet delivered. */
        boolean hasPendingCancel(Task<?> task);

        /** Throws the pending cancel of the calling task as a CancelledError, if there is one. */
        void deliverPendingCancel(Task<?> task);
    }

    private static final String IMPLEMENTATION = "io.asyncio4j.ParkingAccess";
    // written once by the kernel's class initialiser; read by any thread
    private static volatile Access access;

    private Parking() {
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
                Class.forName(IMPLEMENTATION, true, Parking.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("asyncio4j is incomplete: " + IMPLEMENTATION + " is missing", e);
            }
            a = access;
        }
        return a;
    }
}
