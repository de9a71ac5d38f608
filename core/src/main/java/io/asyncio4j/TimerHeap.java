package io.asyncio4j;

import java.util.Arrays;

/**
 * The loop's timers: a binary min-heap ordered by {@code (whenNanos, seq)}, so equal deadlines keep FIFO
 * order. Loop thread only. The sequence numbers live here only (a handle does not keep its own).
 *
 * <p>Each handle's deadline and sequence number are kept next to it in two {@code long[]} arrays, so a
 * sift compares primitives in contiguous memory instead of following a pointer to each
 * {@link TimerHandle} (with 100,000 sleeping tasks, those pointer chases were a fifth of the loop's time in
 * {@code java.util.PriorityQueue}). Keys are unique ({@code seq} is), so the order in which timers come
 * out does not depend on the heap's internal layout.
 */
final class TimerHeap {
    private TimerHandle[] handles = new TimerHandle[16];
    private long[] whens = new long[16];
    private long[] seqs = new long[16];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The earliest timer, or null. */
    TimerHandle peek() {
        return size == 0 ? null : handles[0];
    }

    /** Adds {@code h}; {@code seq} orders it after every timer added before with the same deadline. */
    void add(TimerHandle h, long seq) {
        if (size == handles.length) {
            int n = size * 2;
            handles = Arrays.copyOf(handles, n);
            whens = Arrays.copyOf(whens, n);
            seqs = Arrays.copyOf(seqs, n);
        }
        siftUp(size++, h, h.whenNanos, seq);
    }

    /** Removes and returns the earliest timer, or null. */
    TimerHandle poll() {
        if (size == 0) {
            return null;
        }
        TimerHandle first = handles[0];
        int last = --size;
        TimerHandle h = handles[last];
        long when = whens[last];
        long seq = seqs[last];
        handles[last] = null;
        if (last > 0) {
            siftDown(0, h, when, seq);
        }
        return first;
    }

    /** Drops every cancelled timer (marking it unscheduled) and restores the heap order. */
    void removeCancelled() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            TimerHandle h = handles[i];
            if (h.cancelled) {
                h.scheduled = false;
            } else {
                handles[n] = h;
                whens[n] = whens[i];
                seqs[n] = seqs[i];
                n++;
            }
        }
        Arrays.fill(handles, n, size, null);
        size = n;
        for (int i = (n >>> 1) - 1; i >= 0; i--) {
            siftDown(i, handles[i], whens[i], seqs[i]);
        }
    }

    void clear() {
        Arrays.fill(handles, 0, size, null);
        size = 0;
    }

    private static boolean before(long w1, long s1, long w2, long s2) {
        return w1 < w2 || w1 == w2 && s1 < s2;
    }

    private void siftUp(int k, TimerHandle h, long when, long seq) {
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            if (!before(when, seq, whens[parent], seqs[parent])) {
                break;
            }
            handles[k] = handles[parent];
            whens[k] = whens[parent];
            seqs[k] = seqs[parent];
            k = parent;
        }
        handles[k] = h;
        whens[k] = when;
        seqs[k] = seq;
    }

    private void siftDown(int k, TimerHandle h, long when, long seq) {
        int half = size >>> 1;
        while (k < half) {
            int child = 2 * k + 1;
            int right = child + 1;
            if (right < size && before(whens[right], seqs[right], whens[child], seqs[child])) {
                child = right;
            }
            if (!before(whens[child], seqs[child], when, seq)) {
                break;
            }
            handles[k] = handles[child];
            whens[k] = whens[child];
            seqs[k] = seqs[child];
            k = child;
        }
        handles[k] = h;
        whens[k] = when;
        seqs[k] = seq;
    }
}
