package io.asyncio4j.internal.carrier;

/**
 * Work-arounds for JDK behaviour that would otherwise freeze a loop (DESIGN.md §1, "Known JDK traps").
 */
final class JdkTraps {
    private JdkTraps() {
    }

    /**
     * Starts the JDK's socket pollers from the current (platform) thread. They are created on first use; if
     * that first use happens inside a task, the JDK creates its sub-poller virtual threads with the task's
     * scheduler, and once that loop ends every virtual thread's socket read in the JVM hangs (seen on
     * JDK 25.0.3). Initialising the poller class here, before any task runs, puts them on the JDK's own
     * scheduler. (Virtual threads that still inherit a task's scheduler are also sent to the JDK's own
     * scheduler by the task's carrier.)
     */
    static void startSocketPollersOffLoop() {
        if (Thread.currentThread().isVirtual()) {
            Thread t = Thread.ofPlatform().daemon(true).name("asyncio4j-poller-init").start(JdkTraps::initPollers);
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            initPollers();
        }
    }

    private static void initPollers() {
        try {
            Class.forName("sun.nio.ch.Poller", true, null);
        } catch (ClassNotFoundException | LinkageError e) {
            // A JDK without this class starts its pollers differently; nothing to do.
        }
    }
}
