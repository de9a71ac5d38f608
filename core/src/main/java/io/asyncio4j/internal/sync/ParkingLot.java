package io.asyncio4j.internal.sync;

import io.asyncio4j.CancelledError;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Task;

/**
 * The one fair, cancellation-aware wait queue under every primitive of {@code io.asyncio4j.sync} (Trio's
 * {@code ParkingLot}, Tokio's {@code batch_semaphore}, the JDK's AQS). A primitive decides when a task
 * must wait and what to hand over; this class keeps the waiting tasks in arrival order, hands values to
 * them, and owns the two rules that every primitive shares:
 * <ol>
 *   <li><b>FIFO hand-off.</b> {@link #handFirst} gives a value (a permit, an item, a notification) to the
 *       longest-waiting task and removes it from the queue at once. The value is that task's from then on:
 *       nobody who arrives later can take it, because it is no longer the primitive's to give.</li>
 *   <li><b>A cancelled waiter loses its place and gives back what it was handed.</b> A task cancelled while
 *       queued leaves the queue and is never handed anything ({@link #handFirst} skips it). A task cancelled
 *       after it was handed a value but before it resumed calls the primitive's {@link GiveBack} with that
 *       value (which hands it on to the next waiter, or back to the primitive), then raises its
 *       {@link CancelledError}. Nothing is lost and nothing is handed twice.</li>
 * </ol>
 *
 * <h2>Thread-safety</h2>
 * None: a lot belongs to one loop, and every method runs on that loop's thread (the primitives check it).
 * {@link #size()} may be read from any thread for {@code toString()}, without guarantee.
 */
public final class ParkingLot {
    /*
     * Implementation overview.
     *
     * A doubly linked list of Waiter nodes, head = longest waiting. park() links a node and parks the task
     * in the kernel's one wait (the same as sleep and Future.await), with the node as its Abort. The kernel
     * decides how the wait ends:
     *   handed, no cancel                      -> park returns; the value is the task's
     *   cancelled while queued (node.abort)    -> the node is dead; the task raises CancelledError, even if
     *                                             uncancel() withdrew the cancel before it resumed
     *   handed, then cancelled before resuming -> node.cancelledAfterWake: GiveBack(value), CancelledError
     * A dead node stays linked until its task resumes (size() counts it, as asyncio's len(_waiters) counts
     * a cancelled waiter's future), but handFirst unlinks and skips it and isEmpty() does not count it, as
     * asyncio's primitives skip a waiter whose future was cancelled.
     *
     *   task A parked in acquire() ─▶ A.cancel(): A's node dead, A woken ─▶ B.release(): handFirst skips A
     *   and hands the permit to C ─▶ A resumes and raises CancelledError. The permit is C's.
     *
     * Fields are loop-thread only, except `size`, which toString() may read from any thread (a stale value
     * at worst).
     */
    private static final Parking.Access KERNEL = Parking.access();

    /** What a waiter cancelled after it was handed a value does with that value before it raises. */
    @FunctionalInterface
    public interface GiveBack {
        /** Called on the loop thread, in the cancelled task, before its CancelledError is raised. */
        void giveBack(Object value);
    }

    /** One waiting task: a node of the list, and its wait's Abort. */
    private static final class Waiter implements Abort {
        final Task<?> task;
        final long weight;
        final GiveBack giveBack;
        int stamp;
        Waiter prev;
        Waiter next;
        boolean linked;
        // its task was cancelled while it waited: it is never handed anything
        boolean dead;
        Object value;

        Waiter(Task<?> task, long weight, GiveBack giveBack) {
            this.task = task;
            this.weight = weight;
            this.giveBack = giveBack;
        }

        @Override
        public boolean abort(String message) {
            dead = true;
            return true;
        }

        @Override
        public String toString() {
            return "waits in the wait queue of a lock, event, condition, semaphore, barrier or queue";
        }

        @Override
        public boolean cancelledAfterWake() {
            // handed, then cancelled before it could resume: the value goes on, the task gets the cancel
            if (giveBack != null) {
                giveBack.giveBack(value);
            }
            return true;
        }
    }

    private Waiter head;
    private Waiter tail;
    private int size;

    /** The loop of the calling task or loop callback, or null on any other thread. */
    static EventLoop runningLoopOrNull() {
        return KERNEL.runningLoopOrNull();
    }

    /**
     * Parks the calling task at the tail until it is handed a value, and returns that value.
     * A cancel pending when it is called is raised at once, before the task joins the queue.
     *
     * @param weight   what the waiter asks for (permits, tokens), read by the primitive through
     *                 {@link #firstWeight()}; 1 where it does not matter
     * @param giveBack what to do with a value handed to the task if it is cancelled before it resumes;
     *                 null when there is nothing to give back (an event, a notification nobody else needs)
     * @param api      the public method, for the error raised outside a task
     * @throws CancelledError if the task is cancelled while it waits (see the class comment)
     */
    public Object park(long weight, GiveBack giveBack, String api) {
        Task<?> task = KERNEL.currentTask(api);
        Waiter w = new Waiter(task, weight, giveBack);
        link(w);
        w.stamp = KERNEL.begin(task);
        try {
            KERNEL.park(task, w);
        } finally {
            if (w.linked) {
                unlink(w); // dead, or never woken (the task is failing)
            }
        }
        return w.value;
    }

    /** Parks with weight 1; see {@link #park(long, GiveBack, String)}. */
    public Object park(GiveBack giveBack, String api) {
        return park(1, giveBack, api);
    }

    /**
     * Hands {@code value} to the longest-waiting live task, removes it from the queue and makes it
     * runnable. Returns false if no live task waits.
     */
    public boolean handFirst(Object value) {
        Waiter w = firstLive();
        if (w == null) {
            return false;
        }
        unlink(w);
        w.value = value;
        KERNEL.wake(w.task, w.stamp);
        return true;
    }

    /** Hands {@code value} to every live waiter, in arrival order; returns how many there were. */
    public int handAll(Object value) {
        int n = 0;
        while (handFirst(value)) {
            n++;
        }
        return n;
    }

    /** Whether no live task waits (waiters with a cancel pending do not count: they are leaving). */
    public boolean isEmpty() {
        return firstLive() == null;
    }

    /** The weight the longest-waiting live task asked for, or -1 if none waits. */
    public long firstWeight() {
        Waiter w = firstLive();
        return w == null ? -1 : w.weight;
    }

    /** The number of queued waiters, including cancelled ones that have not resumed yet (asyncio's len(_waiters)). */
    public int size() {
        return size;
    }

    private Waiter firstLive() {
        Waiter w = head;
        while (w != null && w.dead) {
            Waiter next = w.next;
            unlink(w);
            w = next;
        }
        return w;
    }

    private void link(Waiter w) {
        w.prev = tail;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        w.linked = true;
        size++;
    }

    private void unlink(Waiter w) {
        Waiter p = w.prev;
        Waiter n = w.next;
        if (p == null) {
            head = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.prev = p;
        }
        w.prev = null;
        w.next = null;
        w.linked = false;
        size--;
    }
}
