package io.asyncio4j.sync;

/**
 * A last-in-first-out {@link Queue} (asyncio's {@code asyncio.LifoQueue}): {@code get} returns the most
 * recently put item. Everything else (limits, waiting, fairness, cancellation, {@code join},
 * {@code shutdown}) is as described on {@link Queue}.
 *
 * <h2>Ordering with hand-off</h2>
 * Stack order applies to the items in the buffer. A {@code put} while getters wait hands its item to the
 * longest-waiting getter at once, so when several getters wait, items put in a row go to them in put order.
 * (asyncio wakes them and each takes the newest buffered item when it runs: the last one put goes to the
 * first getter.) An item given back by a cancelled getter returns to its place in put order: it was put
 * before everything buffered since, so those come out first, as in asyncio, where it never left the buffer.
 *
 * @param <T> the type of the items
 */
public final class LifoQueue<T> extends Queue<T> {
    /** A LIFO queue without a size limit; it belongs to the event loop that first uses it. */
    public LifoQueue() {
        this(0);
    }

    /** A LIFO queue of at most {@code maxsize} items; zero or less means no limit. */
    public LifoQueue(int maxsize) {
        super(maxsize, QueueBuffer.lifo());
    }
}
