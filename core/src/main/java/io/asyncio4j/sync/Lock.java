package io.asyncio4j.sync;

import io.asyncio4j.internal.sync.LoopBinding;
import io.asyncio4j.internal.sync.ParkingLot;

/**
 * A mutual-exclusion lock for the tasks of one event loop (asyncio's {@code asyncio.Lock}).
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Lock lock = new Lock();
 * try (var held = lock.hold()) {     // async with lock:
 *     balance = balance + amount;    // no other task runs this block meanwhile
 * }
 * }</pre>
 * Tasks of one loop never run at the same time, so a lock is needed only around a stretch that waits
 * (sleeps, awaits, does I/O) in the middle and must not interleave with another task doing the same.
 * Like asyncio's, this lock is not reentrant and has no owner: any task may release it.
 *
 * <h2>States</h2>
 * <pre>
 *   unlocked ──acquire()──▶ locked ──release(), nobody waits──▶ unlocked
 *                             │ ▲
 *                             └─┘ release() with waiters: handed to the first waiter, stays locked
 * </pre>
 *
 * <h2>Fairness</h2>
 * Strictly FIFO. Acquiring a free lock nobody waits for returns at once, without letting another task
 * run. {@link #release()} hands the lock straight to the longest-waiting task: it stays locked, and a task
 * that calls {@code acquire()} before that waiter resumes queues behind it. (asyncio marks the lock free
 * and lets the woken waiter take it when it runs; {@link #locked()} here stays true meanwhile.)
 *
 * <h2>Cancellation</h2>
 * A task cancelled while it waits in {@link #acquire()} leaves the queue, does not get the lock, and
 * raises {@code CancelledError}. If the lock had already been handed to it, it hands the lock on to the
 * next waiter (or unlocks it) first. So {@code Asyncio.timeout(d, () -> lock.acquire())} either holds the
 * lock or raises, never both.
 *
 * <h2>Thread-safety</h2>
 * Belongs to the event loop that first uses it; every method must be called from that loop's tasks or
 * callbacks ({@link #toString()} excepted).
 */
public final class Lock {
    /*
     * Implementation overview. `locked` plus the wait queue. Invariant: a live waiter is queued only while
     * the lock is locked. release() either hands the lock (locked stays true, ownership moves to the woken
     * waiter) or, with nobody waiting, unlocks. A handed waiter cancelled before it resumes gives the lock
     * back through release(). All fields: loop thread only.
     */
    private final LoopBinding binding = new LoopBinding();
    private final ParkingLot waiters = new ParkingLot();
    private boolean locked;

    /** A new unlocked lock; it belongs to the event loop that first uses it. */
    public Lock() {
    }

    /**
     * Acquires the lock, waiting in FIFO order while another task holds it. Returns {@code true}.
     * Does not switch tasks when the lock is free and nobody waits.
     *
     * @throws io.asyncio4j.CancelledError if the task is cancelled while waiting: it loses its place and
     *                                     does not hold the lock (see the class comment)
     * @throws IllegalStateException       if it must wait outside a task, or is called from another loop
     */
    public boolean acquire() {
        binding.ensureOnLoop(this, "Lock.acquire()");
        if (!locked && waiters.isEmpty()) {
            locked = true;
            return true;
        }
        waiters.park(handed -> handOn(), "Lock.acquire()");
        return true; // handed: `locked` stayed true for us
    }

    /** Acquires the lock without waiting, if it is free and nobody waits for it; returns whether it did. */
    public boolean tryAcquire() {
        binding.ensureOnLoop(this, "Lock.tryAcquire()");
        if (!locked && waiters.isEmpty()) {
            locked = true;
            return true;
        }
        return false;
    }

    /**
     * Releases the lock: hands it to the longest-waiting task, or unlocks it if none waits.
     *
     * @throws IllegalStateException if the lock is not locked (asyncio's RuntimeError)
     */
    public void release() {
        binding.ensureOnLoop(this, "Lock.release()");
        if (!locked) {
            throw new IllegalStateException("Lock.release(): the lock is not locked; release only a lock you acquired");
        }
        handOn();
    }

    private void handOn() {
        if (!waiters.handFirst(Boolean.TRUE)) {
            locked = false;
        }
    }

    /**
     * Acquires the lock and returns a {@link Held} whose {@code close()} releases it: {@code async with lock}.
     * Waits and is cancelled as {@link #acquire()}.
     */
    public Held hold() {
        acquire();
        return this::release;
    }

    /** Whether the lock is held (also while it is handed to a waiter that has not resumed yet). */
    public boolean locked() {
        binding.ensureOnLoop(this, "Lock.locked()");
        return locked;
    }

    /** {@link #locked()} without the loop check, for the {@code toString()} of a Condition built on this lock. */
    boolean lockedForToString() {
        return locked;
    }

    /** {@code Lock[locked, waiters=1]}: the state asyncio's repr shows. */
    @Override
    public String toString() {
        return "Lock[" + (locked ? "locked" : "unlocked") + ", waiters=" + waiters.size() + "]";
    }
}
