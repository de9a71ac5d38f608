package io.asyncio4j.sync;

import io.asyncio4j.internal.sync.LoopBinding;
import io.asyncio4j.internal.sync.ParkingLot;

/**
 * A counter of permits for the tasks of one event loop (asyncio's {@code asyncio.Semaphore}): at most
 * {@code value} tasks hold a permit at a time; the others wait.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Semaphore limit = new Semaphore(10);          // at most 10 requests in flight
 * List<String> pages = Asyncio.gather(urls, url -> {
 *     try (var held = limit.hold()) {           // async with limit:
 *         return fetch(url);
 *     }
 * });
 * }</pre>
 *
 * <h2>States</h2>
 * <pre>
 *   value = free permits      acquire(): value > 0 and nobody waits ─▶ value - 1, no task switch
 *                             acquire(): otherwise               ─▶ waits (FIFO)
 *                             release(): somebody waits          ─▶ the permit is handed to the first waiter
 *                             release(): nobody waits            ─▶ value + 1
 * </pre>
 * {@link #locked()} is true when no permit can be taken at once: {@code value == 0}, or tasks wait.
 *
 * <h2>Fairness</h2>
 * Strictly FIFO. {@link #release()} hands the permit straight to the longest-waiting task; a task that
 * calls {@code acquire()} or {@code tryAcquire()} before that waiter resumes cannot take it. A task that
 * acquires while others wait queues behind them even if a permit is free.
 *
 * <h2>Cancellation</h2>
 * A task cancelled while it waits in {@link #acquire()} leaves the queue without a permit and raises
 * {@code CancelledError}; if a permit had already been handed to it, it hands the permit on (to the next
 * waiter, or back to the count) first. No permit is ever lost or given twice, also under
 * {@code Asyncio.timeout} and {@code waitFor}.
 *
 * <h2>Thread-safety</h2>
 * Belongs to the event loop that first uses it; every method must be called from that loop's tasks or
 * callbacks ({@link #toString()} excepted).
 *
 * @see BoundedSemaphore a semaphore that refuses to be released more often than acquired
 */
public sealed class Semaphore permits BoundedSemaphore {
    /*
     * Implementation overview. `value` counts free permits; a permit handed to a waiter is not counted (it
     * is that waiter's). Invariant: a live waiter is queued only while value == 0. release() hands to the
     * first live waiter or increments value; a handed waiter cancelled before it resumes gives its permit
     * back through the same path. For a bounded semaphore, value + permits held never exceeds `bound`, so
     * a release with value == bound is one too many. All fields: loop thread only (toString reads them
     * from any thread without guarantee).
     */
    private final LoopBinding binding = new LoopBinding();
    private final ParkingLot waiters = new ParkingLot();
    private final int bound; // -1: unbounded
    private int value;

    /** A semaphore with one permit. */
    public Semaphore() {
        this(1);
    }

    /**
     * A semaphore with {@code value} permits.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Semaphore(int value) {
        this(value, false);
    }

    Semaphore(int value, boolean bounded) {
        if (value < 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " initial value must be >= 0, got " + value);
        }
        this.value = value;
        this.bound = bounded ? value : -1;
    }

    /**
     * Takes a permit, waiting in FIFO order while none is free. Returns {@code true}. Does not switch tasks
     * when a permit is free and nobody waits.
     *
     * @throws io.asyncio4j.CancelledError if the task is cancelled while waiting: it loses its place and
     *                                     holds no permit (see the class comment)
     * @throws IllegalStateException       if it must wait outside a task, or is called from another loop
     */
    public boolean acquire() {
        binding.ensureOnLoop(this, call("Semaphore.acquire()", "BoundedSemaphore.acquire()"));
        if (value > 0 && waiters.isEmpty()) {
            value--;
            return true;
        }
        waiters.park(handed -> handOn(), call("Semaphore.acquire()", "BoundedSemaphore.acquire()"));
        return true;
    }

    /** Takes a permit without waiting, if one is free and nobody waits; returns whether it did. */
    public boolean tryAcquire() {
        binding.ensureOnLoop(this, call("Semaphore.tryAcquire()", "BoundedSemaphore.tryAcquire()"));
        if (value > 0 && waiters.isEmpty()) {
            value--;
            return true;
        }
        return false;
    }

    /**
     * Gives a permit back: hands it to the longest-waiting task, or adds it to the free permits.
     * A plain semaphore may be released more often than acquired (it then has more permits than it started
     * with, as asyncio's); a {@link BoundedSemaphore} refuses.
     *
     * @throws IllegalStateException for a {@code BoundedSemaphore} released more often than acquired
     */
    public void release() {
        binding.ensureOnLoop(this, call("Semaphore.release()", "BoundedSemaphore.release()"));
        if (bound >= 0 && value >= bound) {
            throw new IllegalStateException("BoundedSemaphore.release(): released too many times (all " + bound
                    + " permits are free already); release only a permit you acquired");
        }
        handOn();
    }

    private void handOn() {
        if (!waiters.handFirst(Boolean.TRUE)) {
            value++;
        }
    }

    /**
     * Takes a permit and returns a {@link Held} whose {@code close()} gives it back: {@code async with sem}.
     * Waits and is cancelled as {@link #acquire()}.
     */
    public Held hold() {
        acquire();
        return this::release;
    }

    /** Whether {@link #acquire()} would wait: no permit is free, or tasks are waiting already. */
    public boolean locked() {
        binding.ensureOnLoop(this, call("Semaphore.locked()", "BoundedSemaphore.locked()"));
        return value == 0 || !waiters.isEmpty();
    }

    /** The number of free permits now (permits handed to waiters that have not resumed are not free). */
    public int value() {
        binding.ensureOnLoop(this, call("Semaphore.value()", "BoundedSemaphore.value()"));
        return value;
    }

    private String name() {
        return bound >= 0 ? "BoundedSemaphore" : "Semaphore";
    }

    // the name of a call, for errors and for what a parked task waits in; constants, so that a call that does
    // not wait builds no string (an HTTP session takes and gives back permits on every request)
    private String call(String plain, String bounded) {
        return bound >= 0 ? bounded : plain;
    }

    /** {@code Semaphore[unlocked, value=2, waiters=0]}: the state asyncio's repr shows. */
    @Override
    public String toString() {
        int waiting = waiters.size();
        return name() + "[" + (value == 0 || waiting > 0 ? "locked" : "unlocked") + ", value=" + value
                + ", waiters=" + waiting + "]";
    }
}
