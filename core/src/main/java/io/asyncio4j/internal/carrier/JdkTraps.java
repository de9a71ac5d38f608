package io.asyncio4j.internal.carrier;

/**
 * Work-arounds for JDK behaviour that would otherwise freeze a loop (docs/architecture.md, "JDK traps and how
 * each is handled").
 */
final class JdkTraps {
    /** The JDK's (unspecified, but read since JDK 21) choice of socket poller threads: 1 platform, 2 virtual. */
    static final String POLLER_MODE = "jdk.pollerMode";

    private JdkTraps() {
    }

    /**
     * Prepares the JVM before the first task runs, on a platform thread (this method hops to one when
     * called on a virtual thread):
     * <ul>
     * <li>Starts the JDK's socket pollers. They are created on first use; if that first use happens inside a
     * task, the JDK creates its sub-poller virtual threads with the task's scheduler, and once that loop ends
     * every virtual thread's socket read in the JVM hangs (seen on JDK 25.0.3). Initialising the poller class
     * here puts them on the JDK's own scheduler. (Virtual threads that still inherit a task's scheduler are
     * also sent to the JDK's own scheduler by the task's carrier.)</li>
     * <li>Chooses the JDK's "system threads" poller mode ({@code -Djdk.pollerMode=1}) unless the user chose
     * one: a platform thread per direction blocks in {@code epoll_wait} and unparks a task straight into its
     * loop's queue. The JDK 25 default on Linux runs its pollers as virtual threads on the JDK's
     * {@code ForkJoinPool} under a master poller, which puts a pool worker's wake-up and a second hand-off
     * between every socket event and the loop (issue 7, W6: 8 % more requests per second in mode 1; W7: 5 %
     * less wall time). This takes effect only if no socket has waited in a virtual thread before the first
     * loop (the JDK reads the property once); the mode stays what the user set with
     * {@code -Djdk.pollerMode=2}.</li>
     * <li>Runs one throwaway virtual thread to its end, so that the classes of the JDK's thread-end path are
     * loaded. Otherwise C2 compiles the bottom frame of thousands of parked tasks before any task has ended,
     * with an "unloaded class" trap at that path, and every one of those tasks is deoptimized when it ends
     * (measured: 88,000 deoptimizations in a cold run of 100,000 sleeping tasks).</li>
     * </ul>
     */
    static void prepareJvm(CarrierBackend backend) {
        if (Thread.currentThread().isVirtual()) {
            Thread t = Thread.ofPlatform().daemon(true).name("asyncio4j-jvm-init").start(() -> prepareJvm(backend));
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        if (System.getProperty(POLLER_MODE) == null) {
            System.setProperty(POLLER_MODE, "1");
        }
        try {
            Class.forName("sun.nio.ch.Poller", true, null);
        } catch (ClassNotFoundException | LinkageError e) {
            // A JDK without this class starts its pollers differently; nothing to do.
        }
        // The scheduler runs the thread's continuation right here, on this platform thread, to its end.
        backend.newVirtualThread(Runnable::run, "asyncio4j-warm-up", () -> { }).start();
    }
}
