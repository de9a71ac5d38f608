package io.asyncio4j.sync;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.TreeMap;

/**
 * The items a {@link Queue} holds, in the order its kind takes them out: first in first out, last in first
 * out, or by priority (asyncio's overridable {@code _init}/{@code _put}/{@code _get}). The queue does all the
 * waiting and counting; a buffer only stores and orders.
 *
 * <p>Every item carries the sequence number of the put that brought it (0, 1, 2, ... per queue). An item
 * handed straight to a waiting getter never enters the buffer; if that getter is cancelled before it resumes,
 * the queue gives the item back with {@link #giveBack}, and the buffer puts it where its original sequence
 * number places it, as if it had never been taken. That is the state asyncio would be in, where the item
 * stays in the buffer until the woken getter runs.
 *
 * <p>Not thread-safe; used on the queue's loop thread only ({@link #size()} may be read anywhere for
 * {@code toString()}, without guarantee).
 */
sealed interface QueueBuffer<T> permits QueueBuffer.Sequence, QueueBuffer.Priority {

    /** Throws if {@code item} cannot be ordered by this buffer, before the queue changes anything. */
    default void check(T item) {
    }

    /** Stores the item of put number {@code seq}; seq is larger than that of every item ever stored. */
    void add(T item, long seq);

    /** Stores an item that was handed to a getter that gave it back, where put number {@code seq} belongs. */
    void giveBack(T item, long seq);

    /** Removes and returns the next item. Only called when {@code size() > 0}. */
    T take();

    int size();

    /** Drops every item (shutdown(immediate)). */
    void clear();

    /** First in first out (asyncio.Queue). */
    static <T> QueueBuffer<T> fifo() {
        return new Sequence<>(false);
    }

    /** Last in first out (asyncio.LifoQueue). */
    static <T> QueueBuffer<T> lifo() {
        return new Sequence<>(true);
    }

    /** Smallest first, equal ones in put order (asyncio.PriorityQueue, but stable); null: natural order. */
    static <T> QueueBuffer<T> priority(Comparator<? super T> comparator) {
        return new Priority<>(comparator);
    }

    /**
     * FIFO or LIFO. Items given back are older than every item in {@code items}: a put hands its item to a
     * getter only while the buffer is empty, so anything buffered since came from a later put. They are
     * kept apart, sorted by sequence number, and come out first (FIFO) or after every newer item (LIFO).
     */
    final class Sequence<T> implements QueueBuffer<T> {
        private final boolean lifo;
        // items stored by add(), oldest first; loop thread only (size read by toString)
        private final ArrayDeque<T> items = new ArrayDeque<>();
        // items given back, by sequence number; all older than `items`; usually empty; loop thread only
        private final TreeMap<Long, T> givenBack = new TreeMap<>();

        Sequence(boolean lifo) {
            this.lifo = lifo;
        }

        @Override
        public void add(T item, long seq) {
            items.addLast(item);
        }

        @Override
        public void giveBack(T item, long seq) {
            givenBack.put(seq, item);
        }

        @Override
        public T take() {
            if (lifo) {
                return items.isEmpty() ? givenBack.pollLastEntry().getValue() : items.pollLast();
            }
            return givenBack.isEmpty() ? items.pollFirst() : givenBack.pollFirstEntry().getValue();
        }

        @Override
        public int size() {
            return items.size() + givenBack.size();
        }

        @Override
        public void clear() {
            items.clear();
            givenBack.clear();
        }
    }

    /**
     * A binary heap of (item, sequence number), ordered by the comparator and then by sequence number, so
     * equal items come out in put order (heapq, under asyncio.PriorityQueue, does not promise that).
     */
    final class Priority<T> implements QueueBuffer<T> {
        private record Entry<T>(T item, long seq) {
        }

        private final Comparator<? super T> comparator;
        // loop thread only (size read by toString)
        private final java.util.PriorityQueue<Entry<T>> heap;

        @SuppressWarnings("unchecked")
        Priority(Comparator<? super T> comparator) {
            this.comparator = comparator;
            Comparator<? super T> order = comparator != null ? comparator
                    : (a, b) -> ((Comparable<Object>) a).compareTo(b);
            this.heap = new java.util.PriorityQueue<>((a, b) -> {
                int c = order.compare(a.item, b.item);
                return c != 0 ? c : Long.compare(a.seq, b.seq);
            });
        }

        @Override
        public void check(T item) {
            if (comparator == null && !(item instanceof Comparable)) {
                throw new ClassCastException("PriorityQueue: an item of " + item.getClass().getName()
                        + " is not Comparable; give the PriorityQueue a Comparator, or put Comparable items");
            }
        }

        @Override
        public void add(T item, long seq) {
            heap.add(new Entry<>(item, seq));
        }

        @Override
        public void giveBack(T item, long seq) {
            heap.add(new Entry<>(item, seq));
        }

        @Override
        public T take() {
            return heap.poll().item;
        }

        @Override
        public int size() {
            return heap.size();
        }

        @Override
        public void clear() {
            heap.clear();
        }
    }
}
