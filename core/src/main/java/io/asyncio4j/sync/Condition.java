package io.asyncio4j.sync;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.internal.sync.LoopBinding;
import io.asyncio4j.internal.sync.ParkingLot;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A condition variable for the tasks of one event loop (asyncio's {@code asyncio.Condition}): a {@link Lock}
 * plus a queue of tasks waiting to be signalled. A task holding the lock calls {@link #await()}, which
 * releases the lock, waits for a {@link #signal()}, and takes the lock back before it returns.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Condition cond = new Condition();
 * // a consumer task
 * try (var held = cond.hold()) {               // async with cond:
 *     cond.awaitFor(() -> !items.isEmpty());  // the lock is released while it waits
 *     process(items.removeFirst());
 * }
 * // a producer task
 * try (var held = cond.hold()) {
 *     items.add(item);
 *     cond.signal();                          // wakes one consumer; it runs once we release the lock
 * }
 * }</pre>
 * Python's {@code notify}/{@code notify_all} are {@link #signal(int)}/{@link #signalAll()} here
 * ({@code notify()} is final on {@code Object}), and {@code wait}/{@code wait_for} are
 * {@link #await()}/{@link #awaitFor(BooleanSupplier)}.
 *
 * <h2>States</h2>
 * A task in {@link #await()}:
 * <pre>
 *   holding the lock ──await(): lock released──▶ waiting for a signal ──signal()──▶ taking the lock back
 *                                                     │ cancel                         │ │ cancel: keeps trying
 *                                                     ▼                                │ ▼
 *                                               taking the lock back ──────────────────┴──▶ holding the lock:
 *                                                                                 returns true, or raises
 *                                                                                 the CancelledError
 * </pre>
 *
 * <h2>Fairness</h2>
 * Strictly FIFO. {@link #signal(int)} hands a signal to each of the {@code n} longest-waiting tasks; they
 * then queue for the lock in that order behind whoever already waits for it. A signal goes only to a task
 * waiting at the time of the call: a task that starts waiting later needs a later signal. There are no
 * spurious wake-ups, but write the wait as {@link #awaitFor(BooleanSupplier)} (or a loop) all the same:
 * another task may change the state between the signal and the moment the woken task holds the lock.
 *
 * <h2>Cancellation</h2>
 * A task cancelled in {@link #await()} leaves the queue of waiters and then takes the lock back before it
 * raises, so the caller holds the lock whether {@code await()} returns or throws, and
 * {@code try (var held = cond.hold())} releases it correctly. While taking the lock back it does not give
 * up when cancelled again: it keeps queueing for the lock and then raises the latest
 * {@code CancelledError} (asyncio 3.13). A task cancelled after it was signalled passes its signal on to
 * the next waiter (asyncio gh-112202), so a signal is never lost to a cancellation. A timeout
 * ({@code Asyncio.timeout}, {@code waitFor}) is a cancellation: its {@code TimeoutError} comes out only once
 * the lock is held again, which can be later than the deadline if another task holds the lock.
 *
 * <h2>Thread-safety</h2>
 * Belongs to the event loop that first uses it; every method must be called from that loop's tasks or
 * callbacks ({@link #toString()} excepted). The lock passed to the constructor must belong to the same loop.
 *
 * <h2>Pitfalls</h2>
 * {@link #await()}, {@link #signal(int)} and {@link #signalAll()} check only that the lock is locked, not
 * that the caller locked it (asyncio's locks have no owner).
 */
public final class Condition {
    /*
     * Implementation overview. The lock (shared with other conditions or users if one was passed in) plus a
     * wait queue of signals. await():
     *   1. lock.release()                           (after checking the caller is a task: it must come back)
     *   2. park on `waiters`                        a signal is handed as a value; SignalSeen records it
     *   3. lock.acquire(), again after every CancelledError (only CancelledError is retried)
     *   4. cancelled? pass the signal on if one was received, then throw the latest CancelledError
     * The signal is passed on only after the lock is held again, as asyncio's `except BaseException:
     * self._notify(1)` does:
     *
     *   A, B wait ─▶ signal(1) hands to A ─▶ A.cancel() before A resumes ─▶ A resumes: SignalSeen marks it,
     *   CancelledError ─▶ A takes the lock back ─▶ A hands a signal to B ─▶ A raises. B got A's signal.
     *
     * asyncio notifies one more waiter on every failure, signalled or not (a spurious wake-up the protocol
     * allows); here the wait queue says exactly whether a signal was received, so only a received signal
     * is passed on. All fields: loop thread only (toString reads them without guarantee).
     */
    private final LoopBinding binding = new LoopBinding();
    private final ParkingLot waiters = new ParkingLot();
    private final Lock lock;

    /** A condition with a new lock of its own. */
    public Condition() {
        this(new Lock());
    }

    /**
     * A condition on {@code lock}: holding the lock is holding the condition, and several conditions may
     * share one lock (asyncio's {@code Condition(lock)}).
     */
    public Condition(Lock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /**
     * Acquires the underlying lock; see {@link Lock#acquire()} for fairness and cancellation.
     *
     * @throws io.asyncio4j.CancelledError if the task is cancelled while waiting for the lock
     */
    public boolean acquire() {
        binding.ensureOnLoop(this, "Condition.acquire()");
        return lock.acquire();
    }

    /**
     * Releases the underlying lock.
     *
     * @throws IllegalStateException if the lock is not locked
     */
    public void release() {
        binding.ensureOnLoop(this, "Condition.release()");
        lock.release();
    }

    /** Whether the underlying lock is locked. */
    public boolean locked() {
        binding.ensureOnLoop(this, "Condition.locked()");
        return lock.locked();
    }

    /**
     * Acquires the underlying lock and returns a {@link Held} whose {@code close()} releases it:
     * {@code async with cond}. Waits and is cancelled as {@link Lock#acquire()}.
     */
    public Held hold() {
        acquire();
        return this::release;
    }

    /**
     * Releases the lock, waits until signalled, takes the lock back and returns {@code true} (asyncio's
     * {@code wait()}). The caller must hold the lock; it holds it again when this returns or throws.
     *
     * @throws io.asyncio4j.CancelledError if the task is cancelled while waiting for the signal or for the
     *                                     lock; raised only once the lock is held again, and a signal it had
     *                                     received is passed on (see the class comment)
     * @throws IllegalStateException       if the lock is not locked, if called outside a task, or from
     *                                     another loop
     */
    public boolean await() {
        binding.ensureOnLoop(this, "Condition.await()");
        ensureLocked("Condition.await()", "wait");
        if (Asyncio.currentTask() == null) {
            throw new IllegalStateException("Condition.await() must be called in a task, not in a loop callback: "
                    + "it waits (the lock stays held)");
        }
        lock.release();
        SignalSeen seen = new SignalSeen();
        CancelledError cancelled = null;
        try {
            waiters.park(seen, "Condition.await()");
            seen.signalled = true;
        } catch (CancelledError e) {
            cancelled = e;
        }
        while (true) {
            try {
                lock.acquire();
                break;
            } catch (CancelledError e) {
                // cancelled while taking the lock back: the caller must hold it when we return, so queue again
                cancelled = e;
            }
        }
        if (cancelled != null) {
            if (seen.signalled) {
                wakeUpTo(1);
            }
            throw cancelled;
        }
        return true;
    }

    /**
     * Waits until {@code predicate} is true (asyncio's {@code wait_for}) and returns its last value, which
     * is {@code true}. The predicate is checked first, and again each time the task is signalled and holds
     * the lock; if it is true at once, this returns without waiting (the lock need not be held then).
     *
     * @throws io.asyncio4j.CancelledError as {@link #await()}: the lock is held again when it is raised
     * @throws IllegalStateException       if it must wait and the lock is not locked
     */
    public boolean awaitFor(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "predicate");
        binding.ensureOnLoop(this, "Condition.awaitFor()");
        boolean result = predicate.getAsBoolean();
        while (!result) {
            await();
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /**
     * Wakes the longest-waiting task, if any: {@code signal(1)}, asyncio's {@code notify()}.
     *
     * @throws IllegalStateException if the lock is not locked
     */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes the {@code n} longest-waiting tasks, or all of them if fewer wait (asyncio's {@code notify(n)};
     * {@code n <= 0} wakes none). A woken task returns from {@link #await()} once it holds the lock, so the
     * caller should release the lock soon after.
     *
     * @throws IllegalStateException if the lock is not locked
     */
    public void signal(int n) {
        binding.ensureOnLoop(this, "Condition.signal()");
        ensureLocked("Condition.signal()", "signal");
        wakeUpTo(n);
    }

    /**
     * Wakes every waiting task (asyncio's {@code notify_all()}); they take the lock in the order they
     * started waiting.
     *
     * @throws IllegalStateException if the lock is not locked
     */
    public void signalAll() {
        binding.ensureOnLoop(this, "Condition.signalAll()");
        ensureLocked("Condition.signalAll()", "signal");
        waiters.handAll(Boolean.FALSE);
    }

    private void wakeUpTo(int n) {
        // handFirst skips waiters whose task is being cancelled: they would not use the signal
        int woken = 0;
        while (woken < n && waiters.handFirst(Boolean.FALSE)) {
            woken++;
        }
    }

    private void ensureLocked(String api, String verb) {
        if (!lock.locked()) {
            throw new IllegalStateException(api + ": cannot " + verb + " on an un-acquired lock; call it while "
                    + "holding the condition: try (var held = cond.hold()) { ... }");
        }
    }

    /** Records whether the waiter was handed a signal, also when it is cancelled before it resumes. */
    private static final class SignalSeen implements ParkingLot.GiveBack {
        boolean signalled;

        @Override
        public void giveBack(Object value) {
            signalled = true;
        }
    }

    /** {@code Condition[locked, waiters=1]}: the state asyncio's repr shows. */
    @Override
    public String toString() {
        return "Condition[" + (lock.lockedForToString() ? "locked" : "unlocked") + ", waiters=" + waiters.size() + "]";
    }
}
