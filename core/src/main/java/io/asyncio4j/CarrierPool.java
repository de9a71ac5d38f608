package io.asyncio4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A loop's few spare task threads: the virtual thread of a task whose body ended waits here, cleaned, for the
 * next task's first step, which then costs no thread creation (one per loop, at most {@link #MAX} threads).
 *
 * <h2>A thread's life</h2>
 * <pre>
 *   made at a first step ──▶ BUSY: runs task 1 ──body ends──▶ cleaned ──offer()──▶ IDLE: parked here
 *                                  ▲                                                  │
 *                                  └────────────── take() at task 2's first step ◀─────┘
 *   IDLE ──pool full, loop closed (release()), or woken by a stray unpark──▶ RETIRED: the thread ends
 * </pre>
 * Cleaning (on the thread itself, before it parks here) clears its thread-locals, gives it the inheritable
 * thread-locals and context class loader the loop's thread has now (what a newly made thread would inherit),
 * removes its uncaught-exception handler and clears its interrupt status; while here it is named
 * {@value #IDLE_NAME}, and the new task's first step gives it that task's given name (an unnamed task's
 * thread has none: see {@link Task#getName()}). A task's {@code Thread.currentThread()} is thus stable for
 * the task's life, and nothing a task left on its thread is seen by the next one.
 *
 * <h2>Thread-safety</h2>
 * {@link #offer}, {@link #take} and {@link #release} run on the loop's thread; {@link #addThreadsRacy} on any
 * thread (a thread dump), which may miss a thread taken or offered meanwhile. A carrier's {@code state}
 * also changes on other threads: someone holding a pooled thread from its last task may unpark or
 * interrupt it, and its carrier then retires it ({@link #retire}); the compare-and-set on {@code state}
 * decides which of the two claims a carrier.
 */
final class CarrierPool {
    /** How many idle threads a loop keeps at most. */
    static final int MAX = 16;
    /** The name of a thread while it waits here (the next task's first step renames it). */
    static final String IDLE_NAME = "asyncio4j-idle-task-thread";

    static final byte BUSY = 0;
    static final byte IDLE = 1;
    static final byte RETIRED = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Task.Carrier.class, "state", byte.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // the idle carriers, a stack (the last one offered is taken first: its stack is the warmest) in
    // idle[0 .. size); an array rather than a collection so that a thread dump can read it from another thread
    // without failing. Written on the loop thread; read by any thread (addThreadsRacy)
    private final Task.Carrier[] idle = new Task.Carrier[MAX];
    private int size;
    // true once the loop closed: nothing is kept any more; loop thread (or the closing thread) only
    private boolean released;

    /**
     * Keeps the calling carrier's thread for a next task: true when kept (the thread then parks until
     * {@link #take} or {@link #release}), false when the pool is full or released (the thread ends).
     * Called on the carrier's own thread, mounted on the loop thread.
     */
    boolean offer(Task.Carrier c) {
        if (released || size >= MAX) {
            return false;
        }
        c.state = IDLE;
        idle[size++] = c;
        return true;
    }

    /**
     * An idle carrier now bound to {@code task} (its state BUSY), or null when there is none; the caller
     * resumes its thread.
     */
    Task.Carrier take(Task<?> task) {
        Task.Carrier c;
        while ((c = poll()) != null) {
            c.task = task; // before the claim: a foreign wake-up that sees BUSY also sees the task
            if (STATE.compareAndSet(c, IDLE, BUSY)) {
                return c;
            }
            c.task = null; // retired meanwhile (a stray wake-up): its thread is ending
        }
        return null;
    }

    /** Retires an idle carrier; true if this call did (its thread must then be run to its end). */
    static boolean retire(Task.Carrier c) {
        return STATE.compareAndSet(c, IDLE, RETIRED);
    }

    /** The loop closed: every idle thread ends, and none is kept any more. */
    void release() {
        released = true;
        Task.Carrier c;
        while ((c = poll()) != null) {
            if (retire(c)) {
                LockSupport.unpark(c.thread); // its execute() sends it where ordinary threads run: it ends there
            }
        }
    }

    /** The last carrier offered, removed, or null when there is none. */
    private Task.Carrier poll() {
        if (size == 0) {
            return null;
        }
        Task.Carrier c = idle[--size];
        idle[size] = null;
        return c;
    }

    /** How many threads wait here now; loop thread only. */
    int size() {
        return size;
    }

    /** Adds the threads waiting here to {@code out}; any thread (may be stale while the loop runs). */
    void addThreadsRacy(List<Thread> out) {
        for (int i = Math.min(size, MAX) - 1; i >= 0; i--) {
            Task.Carrier c = idle[i];
            if (c != null && c.state == IDLE) {
                out.add(c.thread);
            }
        }
    }
}
