package io.asyncio4j.internal.sync;

/**
 * How one wait of a task undoes its registration when a cancel ends it: the waiter's half of the kernel's
 * one wait (Trio's {@code abort_fn} for {@code wait_task_rescheduled}).
 *
 * <p>A task that waits first registers somewhere it will be woken from (a timer, a wait-queue node, a
 * future's callbacks, a selection key), then parks in the kernel's wait with an {@code Abort} that knows
 * that registration. The kernel alone decides when a cancel, an interrupt or a clock jump ends the wait; it
 * asks the {@code Abort} only what to undo:
 * <pre>
 *   registered ──woken (timer fires, value handed, future done, channel ready)──▶ resumes normally
 *       │                                └─ then cancelled before it resumed ──▶ {@link #cancelledAfterWake}
 *       └──cancel arrives ──▶ {@link #abort}: true  ──▶ registration undone; resumes with CancelledError
 *                                          false ──▶ the cancel was handed on; keeps waiting to be woken
 * </pre>
 * Both methods run on the loop's thread (the cancelling code's, or the task's own when it resumes).
 */
public interface Abort {
    /**
     * A cancel arrived while the task waits. Undo the registration (so nothing can wake or hand a value to
     * this wait any more) and return true; the task then raises {@code CancelledError}, even if
     * {@code uncancel()} withdraws the cancel before it resumes. Or pass the cancel on to what the task waits
     * for (asyncio forwards it to the awaited future) and return false: the wait goes on until woken. May be
     * called again for a later cancel while the wait goes on.
     */
    boolean abort(String message);

    /**
     * The wait was woken, and then a cancel arrived before the task resumed. Give back anything the wake
     * handed to this wait, and return true if the task must raise that cancel; false if what woke the task
     * already carries a cancellation the task will raise (a cancelled future), which then takes its place.
     */
    default boolean cancelledAfterWake() {
        return true;
    }
}
