package io.asyncio4j.sync;

import io.asyncio4j.internal.sync.LoopBinding;
import io.asyncio4j.internal.sync.ParkingLot;

/**
 * A flag that tasks of one event loop can wait for (asyncio's {@code asyncio.Event}): {@link #set()} turns
 * it on and wakes every task waiting in {@link #await()}; {@link #clear()} turns it off again.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Event ready = new Event();
 * Task<Void> worker = Asyncio.createTask(() -> {
 *     ready.await();                 // await ready.wait()
 *     work();
 * });
 * loadConfig();
 * ready.set();                       // every waiter runs now, in the order it started waiting
 * }</pre>
 *
 * <h2>States</h2>
 * <pre>
 *   unset ──set(): every waiter is woken──▶ set
 *     ▲                                      │
 *     └──────────────clear()─────────────────┘      await() on a set event returns at once
 * </pre>
 *
 * <h2>Fairness</h2>
 * {@link #set()} wakes all waiters; they resume in the order they started waiting. Awaiting an event that
 * is set returns {@code true} at once, without letting another task run. A waiter woken by {@code set()}
 * returns {@code true} even if {@code clear()} is called before it resumes (as in asyncio: the wake-up is
 * the waiter's, whatever happens to the flag afterwards); re-check the state you care about.
 *
 * <h2>Cancellation</h2>
 * A task cancelled while it waits in {@link #await()} leaves the queue and raises {@code CancelledError};
 * the event and the other waiters are not affected. A waiter cancelled after {@code set()} woke it but
 * before it resumed raises {@code CancelledError} too (asyncio does the same); nothing needs to be handed
 * on, since every other waiter was woken as well. So {@code Asyncio.timeout(d, () -> event.await())}
 * either returns {@code true} or raises.
 *
 * <h2>Thread-safety</h2>
 * Belongs to the event loop that first uses it; every method must be called from that loop's tasks or
 * callbacks ({@link #toString()} excepted). To set it from another thread, use
 * {@code loop.callSoonThreadsafe(event::set)}.
 */
public final class Event {
    /*
     * Implementation overview. `value` plus the wait queue. Invariant: a live waiter is queued only while
     * the event is unset (set() hands TRUE to every waiter at once, and await() on a set event does not
     * queue). clear() only lowers the flag: waiters already handed their wake-up keep it, which is what
     * asyncio's "set_result then clear" does. Nothing is given back by a cancelled waiter (giveBack null):
     * a wake-up is not a resource. All fields: loop thread only (toString reads them without guarantee).
     */
    private final LoopBinding binding = new LoopBinding();
    private final ParkingLot waiters = new ParkingLot();
    private boolean value;

    /** A new event, unset; it belongs to the event loop that first uses it. */
    public Event() {
    }

    /** Whether the flag is set. */
    public boolean isSet() {
        binding.ensureOnLoop(this, "Event.isSet()");
        return value;
    }

    /**
     * Sets the flag and wakes every waiting task, in the order they started waiting. Tasks that call
     * {@link #await()} while the flag is set do not wait. Does nothing if the flag is set already.
     */
    public void set() {
        binding.ensureOnLoop(this, "Event.set()");
        if (!value) {
            value = true;
            waiters.handAll(Boolean.TRUE);
        }
    }

    /** Clears the flag: later calls of {@link #await()} wait for the next {@link #set()}. */
    public void clear() {
        binding.ensureOnLoop(this, "Event.clear()");
        value = false;
    }

    /**
     * Waits until the flag is set and returns {@code true} (asyncio's {@code wait()}). Returns at once,
     * without switching tasks, if it is set already.
     *
     * @throws io.asyncio4j.CancelledError if the task is cancelled while waiting, also after {@code set()}
     *                                     woke it but before it resumed (see the class comment)
     * @throws IllegalStateException       if it must wait outside a task, or is called from another loop
     */
    public boolean await() {
        binding.ensureOnLoop(this, "Event.await()");
        if (value) {
            return true;
        }
        waiters.park(null, "Event.await()");
        return true;
    }

    /** {@code Event[set, waiters=0]}: the state asyncio's repr shows. */
    @Override
    public String toString() {
        return "Event[" + (value ? "set" : "unset") + ", waiters=" + waiters.size() + "]";
    }
}
