package io.asyncio4j.sync;

import io.asyncio4j.BrokenBarrierError;
import io.asyncio4j.internal.sync.LoopBinding;

import java.util.Locale;

/**
 * A meeting point for a fixed number of tasks of one event loop (asyncio's {@code asyncio.Barrier}, 3.11):
 * each task calling {@link #await()} waits until {@link #parties()} tasks have called it, then all of them
 * go on. The barrier then fills again for the next round.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Barrier barrier = new Barrier(3);
 * for (int i = 0; i < 3; i++) {
 *     Asyncio.createTask(() -> {
 *         prepare();
 *         int index = barrier.await();   // 0, 1 or 2: the order of arrival
 *         if (index == 0) {
 *             log("all three prepared");
 *         }
 *         return run();
 *     });
 * }
 * }</pre>
 *
 * <h2>States</h2>
 * <pre>
 *   state      entered                                     a task calling await()       left
 *   filling    at the start; when the last task has left   counts in and waits          parties-th arrival ─▶ draining
 *              a draining or resetting barrier
 *   draining   the parties-th task arrived                 waits until filling          last released task out ─▶ filling
 *   resetting  reset() while tasks are at the barrier      waits until filling          last task out ─▶ filling
 *   broken     abort()                                     raises BrokenBarrierError    reset() ─▶ filling / resetting
 * </pre>
 * {@link #reset()} with no task at the barrier goes straight to filling. The tasks waiting when
 * {@code reset()} or {@code abort()} is called raise {@link BrokenBarrierError}.
 *
 * <h2>Fairness</h2>
 * The task whose arrival completes the barrier returns first, without letting another task run; the tasks
 * it releases resume in the order they arrived. Tasks arriving while the barrier drains wait, in order, for
 * the next round. Every step takes the barrier's internal lock (asyncio builds it on a {@link Condition}, so
 * does this class), which is why {@link #reset()} and {@link #abort()}, like asyncio's coroutines of those
 * names, may wait their turn for a moment.
 *
 * <h2>Cancellation</h2>
 * A task cancelled while it waits for the barrier to fill leaves it: the barrier counts one task fewer and
 * is not broken, so the others keep waiting for another task to arrive. A task cancelled after the barrier
 * released it raises {@code CancelledError}; the others pass. Either way the task has left the barrier
 * when its {@code CancelledError} is raised (as asyncio's). A timeout around {@code await()} behaves the
 * same; use {@link #abort()} if the other tasks should stop waiting too.
 *
 * <h2>Thread-safety</h2>
 * Belongs to the event loop that first uses it; every method must be called from that loop's tasks or
 * callbacks ({@link #toString()} excepted). {@link #reset()} and {@link #abort()} may be called from a
 * callback only when they need not wait.
 *
 * <h2>Pitfalls</h2>
 * The index is the number of tasks already at the barrier when the caller arrived; after a waiting task
 * was cancelled, a later arrival gets the same index again (as in asyncio and {@code threading.Barrier}).
 * Use {@code index == 0} to elect one task only when no cancellation can happen meanwhile.
 */
public final class Barrier {
    /*
     * Implementation overview. asyncio's algorithm on our Condition: `count` tasks are inside await()
     * (holding or waiting for the condition), `state` is one of the four states above, and every change of
     * state is followed by signalAll(), each waiter re-checking its predicate. await():
     *   hold the condition
     *   block():   wait while draining or resetting; broken -> BrokenBarrierError
     *   index = count++
     *   last?      state = draining, signalAll         (returns at once: no wait)
     *   otherwise  wait while filling; broken or resetting -> BrokenBarrierError
     *   finally    count--; the last one out of draining/resetting sets filling and signals all
     *
     *   A, B wait (parties 3) ─▶ C arrives: draining, signalAll, C returns 2 ─▶ A resumes, takes the
     *   condition's lock, returns 0 ─▶ B returns 1, count 0: filling ─▶ D, arriving meanwhile, stops
     *   waiting in block() and counts in for the next round.
     *
     * All fields: loop thread only, changed while holding the condition (toString reads them without
     * guarantee).
     */
    private enum State {
        FILLING, DRAINING, RESETTING, BROKEN;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final LoopBinding binding = new LoopBinding();
    private final Condition cond = new Condition();
    private final int parties;
    private State state = State.FILLING;
    private int count; // tasks inside await(), past block()

    /**
     * A barrier for {@code parties} tasks.
     *
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("Barrier(parties): parties must be >= 1, got " + parties);
        }
        this.parties = parties;
    }

    /**
     * Waits until {@link #parties()} tasks are at the barrier, and returns this task's arrival index, from
     * 0 to {@code parties() - 1} (asyncio's {@code wait()}). The task whose arrival completes the barrier
     * returns at once.
     *
     * @throws BrokenBarrierError          if the barrier is broken, or is reset or aborted while this task
     *                                     waits
     * @throws io.asyncio4j.CancelledError if the task is cancelled while waiting: it leaves the barrier,
     *                                     which is not broken (see the class comment)
     * @throws IllegalStateException       if it must wait outside a task, or is called from another loop
     */
    public int await() {
        binding.ensureOnLoop(this, "Barrier.await()");
        try (Held held = cond.hold()) {
            block();
            int index = count++;
            try {
                if (index + 1 == parties) {
                    // we complete the barrier: release the others; the ones arriving from now on wait in block()
                    state = State.DRAINING;
                    cond.signalAll();
                } else {
                    waitForRelease();
                }
                return index;
            } finally {
                count--;
                exit();
            }
        }
    }

    /** Waits while the barrier drains or resets; raises if it is broken. */
    private void block() {
        cond.awaitFor(() -> state != State.DRAINING && state != State.RESETTING);
        if (state == State.BROKEN) {
            throw new BrokenBarrierError("Barrier.await(): the barrier is broken (abort() was called); "
                    + "reset() it before using it again");
        }
    }

    /** Waits until the barrier is released; raises if it is reset or aborted meanwhile. */
    private void waitForRelease() {
        cond.awaitFor(() -> state != State.FILLING);
        if (state == State.BROKEN || state == State.RESETTING) {
            throw new BrokenBarrierError("Barrier.await(): the barrier was "
                    + (state == State.BROKEN ? "aborted" : "reset") + " while this task waited at it");
        }
    }

    /** The last task out of a draining or resetting barrier opens it for the next round. */
    private void exit() {
        if (count == 0) {
            if (state == State.RESETTING || state == State.DRAINING) {
                state = State.FILLING;
            }
            cond.signalAll();
        }
    }

    /**
     * Puts the barrier back to its initial state: the tasks waiting at it raise {@link BrokenBarrierError};
     * once they have left, the barrier fills again. Also repairs a broken barrier. Waits its turn for the
     * barrier's internal lock if another task holds it (see the class comment).
     *
     * @throws io.asyncio4j.CancelledError if cancelled while waiting for the internal lock; nothing changed
     * @throws IllegalStateException       if it must wait outside a task, or is called from another loop
     */
    public void reset() {
        binding.ensureOnLoop(this, "Barrier.reset()");
        try (Held held = cond.hold()) {
            if (count > 0) {
                state = State.RESETTING; // the waiters raise; the last one out sets filling
            } else {
                state = State.FILLING;
            }
            cond.signalAll();
        }
    }

    /**
     * Breaks the barrier: the tasks waiting at it, and every task calling {@link #await()} until
     * {@link #reset()}, raise {@link BrokenBarrierError}. Use it when one task fails and the others must
     * not wait for it forever. Waits for the internal lock as {@link #reset()}.
     *
     * @throws io.asyncio4j.CancelledError if cancelled while waiting for the internal lock; nothing changed
     * @throws IllegalStateException       if it must wait outside a task, or is called from another loop
     */
    public void abort() {
        binding.ensureOnLoop(this, "Barrier.abort()");
        try (Held held = cond.hold()) {
            state = State.BROKEN;
            cond.signalAll();
        }
    }

    /** The number of tasks needed to pass the barrier. */
    public int parties() {
        binding.ensureOnLoop(this, "Barrier.parties()");
        return parties;
    }

    /** The number of tasks waiting for the barrier to fill (0 while it drains, resets or is broken). */
    public int nWaiting() {
        binding.ensureOnLoop(this, "Barrier.nWaiting()");
        return state == State.FILLING ? count : 0;
    }

    /** Whether the barrier is broken ({@link #abort()} was called and no {@link #reset()} since). */
    public boolean broken() {
        binding.ensureOnLoop(this, "Barrier.broken()");
        return state == State.BROKEN;
    }

    /** {@code Barrier[filling, waiters=2/3]} or {@code Barrier[broken]}: the state asyncio's repr shows. */
    @Override
    public String toString() {
        State s = state;
        if (s == State.BROKEN) {
            return "Barrier[broken]";
        }
        return "Barrier[" + s + ", waiters=" + (s == State.FILLING ? count : 0) + "/" + parties + "]";
    }
}
