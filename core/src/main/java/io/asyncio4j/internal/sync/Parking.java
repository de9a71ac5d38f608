package io.asyncio4j.internal.sync;

import io.asyncio4j.EventLoop;
import io.asyncio4j.Task;
import io.asyncio4j.internal.KernelAccess;

/**
 * What {@link ParkingLot} needs of the kernel and may not see through public API: the running task, and
 * the kernel's one wait (the one {@code Asyncio.sleep} and {@code Future.await()} use too). The
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

        /** Starts a wait of {@code task} (the caller) in the kernel's one wait and returns its stamp. */
        int begin(Task<?> task);

        /**
         * Parks the calling task until a {@link #wake} of its current wait, or raises CancelledError when a
         * cancel ended the wait ({@code abort} undid the registration) or arrived before it resumed.
         */
        void park(Task<?> task, Abort abort);

        /** Ends the wait stamped {@code stamp} of {@code task}; does nothing if that wait is over. */
        void wake(Task<?> task, int stamp);
    }

    private static final KernelAccess<Access> ACCESS = new KernelAccess<>("io.asyncio4j.ParkingAccess", Parking.class);

    private Parking() {
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
