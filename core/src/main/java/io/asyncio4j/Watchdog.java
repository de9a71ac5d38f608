package io.asyncio4j;

import io.asyncio4j.internal.introspect.TaskEvents;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The blocked-loop watchdog: one daemon platform thread per JVM that notices when one entry of a loop's
 * ready queue (a callback, or one step of a task) has held the loop longer than the loop's
 * {@link EventLoop#slowCallbackDuration()}, and logs one warning naming the task with its stack.
 */
final class Watchdog {
    /*
     * Implementation overview. Each running loop publishes (entrySeq, runningEntry) with release stores
     * when it starts an entry, and runningEntry = null when idle. Every tick the watchdog reads them with
     * acquire loads: if the same entry sequence number is still running since it was first seen at least
     * `threshold` ago, that entry is slow; it is reported once. The loop pays two ordered stores per
     * entry and never a lock or a clock read. Accuracy: threshold + one tick.
     */
    private static final long MIN_TICK = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_TICK = TimeUnit.MILLISECONDS.toNanos(250);
    // guarded by the map's own locking; written by loop threads, read by the watchdog
    private static final Map<EventLoop, Sample> LOOPS = new ConcurrentHashMap<>();
    private static Thread thread; // guarded by Watchdog.class

    private Watchdog() {
    }

    /** What the watchdog last saw of one loop; only the thread that calls {@link #check} with it. */
    static final class Sample {
        long seq = -1;
        long seenAt;
        long reportedSeq = -1;
    }

    static void register(EventLoop loop) {
        LOOPS.put(loop, new Sample());
        synchronized (Watchdog.class) {
            if (thread == null) {
                thread = Thread.ofPlatform().daemon(true).name("asyncio4j-watchdog").start(Watchdog::run);
            } else {
                LockSupport.unpark(thread); // a new loop may want a shorter tick
            }
        }
    }

    static void unregister(EventLoop loop) {
        LOOPS.remove(loop);
    }

    private static void run() {
        while (true) {
            long tick = MAX_TICK;
            long now = System.nanoTime();
            for (Map.Entry<EventLoop, Sample> e : LOOPS.entrySet()) {
                EventLoop loop = e.getKey();
                long threshold = loop.slowCallbackNanos();
                tick = Math.min(tick, Math.max(MIN_TICK, threshold / 4));
                check(loop, e.getValue(), threshold, now);
            }
            LockSupport.parkNanos(tick);
        }
    }

    /**
     * One tick for one loop at {@code now} (System.nanoTime): reports the running entry once if the same
     * entry sequence number was seen at least {@code threshold} earlier. Called by the watchdog thread, and by
     * tests with a clock of their own.
     */
    static void check(EventLoop loop, Sample s, long threshold, long now) {
        Object entry = loop.runningEntryAcquire();
        long seq = loop.entrySeqAcquire();
        if (entry == null) {
            s.seq = -1;
            return;
        }
        if (seq != s.seq) {
            s.seq = seq;
            s.seenAt = now;
            return;
        }
        long held = now - s.seenAt;
        if (held >= threshold && s.reportedSeq != seq) {
            s.reportedSeq = seq;
            report(loop, entry, seq, held);
        }
    }

    private static void report(EventLoop loop, Object entry, long seq, long heldNanos) {
        Thread loopThread = loop.thread();
        String where = "the event loop" + (loopThread != null ? " (thread '" + loopThread.getName() + "')" : "");
        String took = String.format("%.3f s", heldNanos / 1e9);
        StringBuilder sb = new StringBuilder();
        StackTraceElement[] stack;
        if (entry instanceof Task<?> task) {
            sb.append("Task '").append(task.getName()).append("' has held ").append(where)
                    .append(" for ").append(took).append(" without waiting");
            Thread t = task.thread(); // null for a moment at a first step, before the task has its thread
            stack = t != null ? t.getStackTrace() : new StackTraceElement[0];
        } else {
            sb.append("Callback ").append(entry).append(" has held ").append(where).append(" for ").append(took);
            stack = loopThread != null ? loopThread.getStackTrace() : new StackTraceElement[0];
        }
        if (loop.entrySeqAcquire() != seq) {
            sb.append(" (it ended while its stack was taken: the stack may show where the loop went next)");
        }
        sb.append(": every other task of this loop is stalled. A call the JDK cannot unmount (file I/O, JNI, "
                + "DNS without the resolver provider, a busy loop, class initialisation) blocks the loop; move it to "
                + "Asyncio.toThread(...). Stack:");
        for (StackTraceElement e : stack) {
            sb.append("\n\tat ").append(e);
        }
        TaskEvents.loopBlocked(loop, entry instanceof Task<?> task ? "task '" + task.getName() + "'" : String.valueOf(entry),
                heldNanos, sb.toString()); // the JFR event (when a recording enables it) before the log line
        EventLoop.LOG.log(System.Logger.Level.WARNING, sb.toString());
    }
}
