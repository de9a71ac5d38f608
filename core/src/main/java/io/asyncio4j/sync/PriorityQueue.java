package io.asyncio4j.sync;

import java.util.Comparator;

/**
 * A {@link Queue} that returns the smallest item first (asyncio's {@code asyncio.PriorityQueue}), by natural
 * order or by a {@link Comparator}. Everything else (limits, waiting, fairness, cancellation,
 * {@code join}, {@code shutdown}) is as described on {@link Queue}.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * record Job(int priority, String name) {}
 * var jobs = new PriorityQueue<Job>(Comparator.comparingInt(Job::priority));   // Python: (priority, data) tuples
 * jobs.put(new Job(2, "index"));
 * jobs.put(new Job(1, "fetch"));
 * jobs.get();                                                                   // Job[priority=1, name=fetch]
 * }</pre>
 *
 * <h2>Ordering</h2>
 * <ul>
 *   <li><b>Stable:</b> items that compare equal come out in the order they were put. asyncio's heapq
 *       promises no order among equal items (Python users add a counter to their tuples to get this).</li>
 *   <li><b>Hand-off:</b> priority order applies to the items in the buffer. A {@code put} while getters wait
 *       hands its item to the longest-waiting getter at once, so when several getters wait, items put in a
 *       row go to them in put order. (asyncio wakes them and each takes the smallest buffered item when it
 *       runs.)</li>
 *   <li>An item given back by a cancelled getter is re-inserted with its original put order.</li>
 * </ul>
 * Without a comparator every item must be {@link Comparable}; {@code put} of another item raises
 * {@link ClassCastException} before anything changes (asyncio: {@code TypeError} from heapq).
 *
 * @param <T> the type of the items
 */
public final class PriorityQueue<T> extends Queue<T> {
    /** A priority queue in natural order, without a size limit; it belongs to the loop that first uses it. */
    public PriorityQueue() {
        this(0, null);
    }

    /** A priority queue in natural order of at most {@code maxsize} items; zero or less means no limit. */
    public PriorityQueue(int maxsize) {
        this(maxsize, null);
    }

    /** A priority queue ordered by {@code comparator} (null: natural order), without a size limit. */
    public PriorityQueue(Comparator<? super T> comparator) {
        this(0, comparator);
    }

    /**
     * A priority queue ordered by {@code comparator} (null: natural order) of at most {@code maxsize} items;
     * zero or less means no limit.
     */
    public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(maxsize, QueueBuffer.priority(comparator));
    }
}
