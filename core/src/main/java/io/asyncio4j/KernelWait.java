package io.asyncio4j;

import io.asyncio4j.internal.sync.Abort;

import java.util.concurrent.locks.LockSupport;

/**
 * The one way a task waits, and the task's wait and cancel-delivery state: the superclass of {@link Task},
 * so that this state costs no object of its own (40 B per task when it was one). Every place that parks a
 * task goes through {@link #beginWait()} and {@link #park(Abort)}: {@code Asyncio.sleep},
 * {@code Future.await()}, the wait queue under every primitive of {@code io.asyncio4j.sync}
 * ({@code internal.sync.ParkingLot}) and the loop's selector ({@code sockRecvInto}, {@code sockSendAll},
 * {@code sockConnect}). The waiter registers where it will be woken from and says, with an {@link Abort},
 * how to undo that registration; this class alone decides when a cancel, an interrupt or the virtual clock
 * ends a wait (Trio's {@code wait_task_rescheduled(abort_fn)}).
 *
 * <h2>Usage (a waiter, on the task's thread)</h2>
 * <pre>{@code
 * int stamp = task.beginWait();          // the wait starts; counted for virtual time
 * register(() -> task.wake(stamp));      // a timer, a queue node, a future callback, a key
 * task.park(abort);                      // returns once woken; CancelledError if cancelled
 * }</pre>
 *
 * <h2>The rules, written once</h2>
 * <ul>
 *   <li>A cancel pending when the task parks, or arriving while it waits, calls {@link Abort#abort}. If
 *       the waiter undid its registration, the wait ends and the task raises {@code CancelledError} when it
 *       resumes, <em>even if {@code uncancel()} withdrew the cancel meanwhile</em>: the wait was cancelled,
 *       as an asyncio task's awaited future would be. If the waiter handed the cancel on (an awaited
 *       future), the wait goes on until that future wakes it.</li>
 *   <li>A cancel arriving after a wake but before the task resumed is delivered at the resumption point,
 *       after {@link Abort#cancelledAfterWake} gave back what the wake handed over.</li>
 *   <li>An interrupt of the task's thread that the kernel did not send counts as one {@code cancel()}.</li>
 *   <li>While a task waits here, the loop counts it as unable to run until woken: when every live task
 *       does and nothing else can happen, a loop on virtual time jumps its clock to the next timer.</li>
 * </ul>
 *
 * <h2>States</h2>
 * <pre>
 *   not waiting ──beginWait()──▶ waiting ──wake(stamp)──────────────▶ woken ──resumes──▶ not waiting
 *                               └──cancel, abort() true─────────▶ woken, ended by cancel ──▶ raises
 * </pre>
 */
abstract sealed class KernelWait<T> extends Future<T> permits Task {
    /*
     * Implementation overview.
     *
     * `waiting` is true between begin() and the wake that ends the wait; `stamp` counts waits, so a wake
     * meant for an earlier wait (a late timer) is ignored. `abort` is the current wait's Abort from park()
     * until the task resumes, like asyncio's Task._fut_waiter: it is kept after the wake so that a cancel
     * arriving between the wake and the resumption still meets the waiter (cancelledAfterWake).
     *
     * Cancel delivery: a cancel the kernel could not deliver through an abort is pending (`mustCancel`,
     * `message`) and raised at the next resumption point. A pending cancel for a task that is running, or
     * parked in a JDK call (socket read, Thread.sleep, a JDK lock), is also sent as an interrupt of its thread
     * (`interruptSent`), which reaches the JDK call; when the task next passes through here, that interrupt
     * is recognised as ours and cleared.
     *
     * `waiting`, `endedByCancel`, `mustCancel`, `interruptSent` and `interruptSentByItself` are bits of
     * `flags` (WAITING, ENDED_BY_CANCEL, ...), read and written through is() and set().
     *
     * All fields: written and read on the loop thread only (the task's own steps included).
     */
    private int stamp;
    private Abort abort;
    private String message;
    // the flags below, one bit each: one byte rather than five booleans, which with the object's 8-byte
    // alignment makes a task 8 B smaller
    private byte flags;

    private static final int WAITING = 1;
    private static final int ENDED_BY_CANCEL = 1 << 1;
    private static final int MUST_CANCEL = 1 << 2; // with `message`: a pending cancel
    // from an interrupt sent to deliver a pending cancel until the task has seen it; uncancel() may withdraw
    // the cancel meanwhile, so a wait must tell our own interrupt from a foreign one
    private static final int INTERRUPT_SENT = 1 << 3;
    // while that interrupt was sent by the task to itself (a self-cancel while it runs): an interrupt still
    // pending when the body ends then says nothing about the body's failure (see Task.finish)
    private static final int INTERRUPT_SENT_BY_ITSELF = 1 << 4;

    KernelWait(EventLoop loop) {
        super(loop);
    }

    private boolean is(int flag) {
        return (flags & flag) != 0;
    }

    private void set(int flag, boolean on) {
        flags = (byte) (on ? flags | flag : flags & ~flag);
    }

    /** This task's virtual thread, while it has one (see {@link Task#thread}). */
    abstract Thread thread();

    // ---- the wait (task thread) -----------------------------------------------------------------------

    /** Starts a wait of the calling task and returns its stamp, for {@link #wake}. */
    final int beginWait() {
        set(WAITING, true);
        set(ENDED_BY_CANCEL, false);
        loop.waitStarted();
        return ++stamp;
    }

    /**
     * Parks the calling task until {@link #wake} ends the current wait, then returns; raises
     * {@link CancelledError} when a cancel ended the wait or arrived before the task resumed (see the
     * class comment). {@code abort} undoes the waiter's registration.
     */
    final void park(Abort abort) {
        this.abort = abort;
        try {
            if (is(MUST_CANCEL)) {
                // asyncio: a cancel pending when the task starts to wait goes to what it waits for
                set(MUST_CANCEL, false);
                deliverWhileWaiting(message);
            }
            // A do-while on purpose: the loop condition is evaluated only after a park returns. With a plain
            // while loop, C2 compiles this method while thousands of tasks park in it and none has resumed yet,
            // sees the loop exit never taken, and compiles it as an uncommon trap: every task parked in that
            // code is then deoptimized when it resumes (about 8 us each; measured: 77,000 deoptimizations for
            // 100,000 sleeping tasks in a cold JVM). Code reached only after a park has no profile.
            if (is(WAITING)) {
                do {
                    LockSupport.park(this);
                    if (Thread.interrupted()) {
                        noticeInterrupt();
                    }
                } while (is(WAITING));
            }
            resume(); // reads the field: no local is live across the park, which keeps the frozen frame small
        } finally {
            this.abort = null;
        }
    }

    private void noticeInterrupt() {
        if (is(INTERRUPT_SENT)) {
            // Ours, sent to reach a JDK call before this wait began: that cancel was dealt with when the
            // wait began (or withdrawn by uncancel() since).
            set(INTERRUPT_SENT, false);
        } else if (!is(MUST_CANCEL)) {
            // Foreign code interrupted a task in one of our waits: one cancel().
            cancel("interrupted");
        }
    }

    /** The resumption point: raises the cancel that ended the wait, or one that arrived after the wake. */
    private void resume() {
        if (is(ENDED_BY_CANCEL)) {
            set(ENDED_BY_CANCEL, false);
            //     cancel(): wait aborted ─▶ uncancel() withdraws it ─▶ the task resumes
            // The wait was cancelled all the same, so the task raises (without a message then).
            String msg = is(MUST_CANCEL) ? message : null;
            clearPendingCancel();
            throw new CancelledError(msg);
        }
        if (is(MUST_CANCEL)) {
            if (abort.cancelledAfterWake()) {
                deliverPendingCancel();
            } else {
                clearPendingCancel(); // the woken result (a cancelled future) raises its own CancelledError
            }
        }
    }

    /** Throws the pending cancel, if any: a resumption point outside a wait (a yield, a generator step). */
    final void deliverPendingCancel() {
        if (is(MUST_CANCEL)) {
            String msg = message;
            clearPendingCancel();
            throw new CancelledError(msg);
        }
    }

    private void clearPendingCancel() {
        set(MUST_CANCEL, false);
        message = null;
        if (is(INTERRUPT_SENT)) {
            set(INTERRUPT_SENT, false);
            Thread.interrupted(); // the interrupt we sent to reach a JDK call is delivered with the cancel
        }
    }

    // ---- waking and cancelling (loop thread) ------------------------------------------------------------

    /** Ends the wait stamped {@code waitStamp}; nothing if that wait is over. */
    final void wake(int waitStamp) {
        if (is(WAITING) && stamp == waitStamp) {
            end();
        }
    }

    /** Ends the current wait, if any: what a future's completion does for the task awaiting it. */
    final void wakeCurrent() {
        wake(stamp);
    }

    private void end() {
        set(WAITING, false);
        loop.waitEnded();
        if (this != loop.current()) {
            LockSupport.unpark(thread());
        }
    }

    /** Delivers one {@code cancel(msg)} of the task (counted by the caller). */
    final void deliverCancel(String msg) {
        if (is(WAITING)) {
            deliverWhileWaiting(msg);
            return;
        }
        // Running, woken and about to resume, or parked in a JDK call (socket read, Thread.sleep, a JDK lock):
        // the cancel is delivered at the next resumption point, and the interrupt reaches a JDK call first.
        set(MUST_CANCEL, true);
        message = msg;
        Thread t = thread();
        if (t != null) { // else not started: the first step raises it without running the body
            set(INTERRUPT_SENT, true);
            set(INTERRUPT_SENT_BY_ITSELF, Thread.currentThread() == t);
            t.interrupt();
        }
    }

    private void deliverWhileWaiting(String msg) {
        if (abort == null) {
            // between begin() and park(): the waiter registers now; park() delivers it
            set(MUST_CANCEL, true);
            message = msg;
            return;
        }
        if (abort.abort(msg)) {
            set(ENDED_BY_CANCEL, true);
            set(MUST_CANCEL, true);
            message = msg;
            end();
        }
    }

    /** uncancel() brought the count to zero: a cancel not delivered yet is withdrawn (asyncio 3.13+). */
    final void withdrawPendingCancel() {
        set(MUST_CANCEL, false);
        message = null;
        if (is(INTERRUPT_SENT) && Thread.currentThread() == thread()) {
            // the task withdraws its own cancel (a timeout scope does): take back our interrupt too, or its
            // next JDK blocking call would fail
            set(INTERRUPT_SENT, false);
            Thread.interrupted();
        }
    }

    // ---- what the task and the loop read -----------------------------------------------------------------

    /** Whether a cancel was requested and not delivered yet. */
    final boolean hasPendingCancel() {
        return is(MUST_CANCEL);
    }

    /** The message of the pending cancel. */
    final String pendingMessage() {
        return message;
    }

    /** Takes the pending cancel without raising it (the task's body has ended): returns its message. */
    final String takePendingCancel() {
        String msg = message;
        set(MUST_CANCEL, false);
        message = null;
        return msg;
    }

    /** Whether an interrupt the kernel sent is pending, sent by the task to itself. */
    final boolean interruptSentByItself() {
        return is(INTERRUPT_SENT) && is(INTERRUPT_SENT_BY_ITSELF);
    }

    /** The Abort of the task's current wait, from {@link #park} until the task resumes; loop thread. */
    final Abort currentAbort() {
        return abort;
    }

    /** What the task waits on now, for reports ("awaits Future[pending]"); loop thread. */
    final String describeWait() {
        Abort a = abort;
        if (!is(WAITING) || a == null) {
            return "is not in a wait";
        }
        return a instanceof Task.Carrier c ? "awaits " + c.awaited : a.toString();
    }

    /** Whether the task is in a wait now (not woken yet). */
    final boolean waiting() {
        return is(WAITING);
    }
}
