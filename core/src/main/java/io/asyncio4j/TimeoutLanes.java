package io.asyncio4j;

/**
 * The deadlines of the {@link Timeout} scopes of one loop that were opened with a delay ({@code timeout(30 s)}),
 * kept without a timer per scope. Scopes opened with the same delay expire in the order they were opened, as
 * the loop clock only moves forward: so each delay gets a lane, a first-in first-out list of its open scopes,
 * and one timer in the loop's heap, at the deadline of the lane's first scope. Opening a scope appends it;
 * closing one unlinks it (no heap work); when the timer fires, every scope of the lane whose deadline passed
 * expires, and the timer is armed again for the scope that is now first. A client that runs each of 256 concurrent
 * requests under {@code timeout(total)} thus pays a list append and removal per request, not a heap insert and
 * removal.
 *
 * <p>The order of expiries is nearly that of one timer per scope: a re-armed timer carries the sequence number
 * its scope took when it opened, so among timers due at the same loop time it runs where the first scope's own
 * timer would have, and the scopes of the lane due then expire in the same iteration, in the order they opened
 * (only another timer due at that very time, made between two of them, now runs after both, not between). A timer left at the deadline of a scope that closed fires early and only re-arms; a lane that
 * empties cancels its timer, so an idle lane keeps nothing in the heap (virtual time does not jump to it).
 *
 * <p>Thread-safety: loop thread only, as the scopes are.
 */
final class TimeoutLanes {
    /* Implementation overview
     *
     * A few lanes per loop (the delays a program uses are few: a client's total, a request's attempt timeout);
     * found by a linear scan of an array. A scope whose delay finds no lane (all MAX_LANES taken), or whose
     * deadline would come before the last one of its lane (the clock reading rounded differently), is not laned
     * and keeps its own timer. Scopes link through Timeout.lanePrev/laneNext.
     */

    // the most lanes a loop keeps; more delays than this get one timer per scope, as before
    private static final int MAX_LANES = 8;

    private final EventLoop loop;
    // the lanes made so far, in creation order; loop thread only
    private final Lane[] lanes = new Lane[MAX_LANES];
    private int count;

    TimeoutLanes(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * Puts the entered scope {@code t}, due at {@code t.whenNanos}, in the lane of {@code delayNanos}; false when
     * it cannot go into one (then the caller gives it a timer of its own).
     */
    boolean add(Timeout t, long delayNanos) {
        Lane lane = null;
        for (int i = 0; i < count; i++) {
            if (lanes[i].delayNanos == delayNanos) {
                lane = lanes[i];
                break;
            }
        }
        if (lane == null) {
            if (count == MAX_LANES) {
                return false;
            }
            lane = new Lane(loop, delayNanos);
            lanes[count++] = lane;
        }
        return lane.add(t);
    }

    /** One delay's scopes, first due first, and the timer at the first one's deadline. */
    static final class Lane implements Runnable {
        private final EventLoop loop;
        final long delayNanos;
        // the open scopes, first due first (an intrusive list through Timeout.lanePrev/laneNext); loop thread only
        private Timeout head;
        private Timeout tail;
        // the timer armed for the head (or for a former head that closed: it then fires early), null when none
        private TimerHandle armed;

        Lane(EventLoop loop, long delayNanos) {
            this.loop = loop;
            this.delayNanos = delayNanos;
        }

        private boolean add(Timeout t) {
            if (tail != null && t.whenNanos < tail.whenNanos) {
                return false;
            }
            t.lane = this;
            t.lanePrev = tail;
            t.laneNext = null;
            if (tail == null) {
                head = t;
            } else {
                tail.laneNext = t;
            }
            tail = t;
            if (armed == null) {
                arm(t);
            }
            return true;
        }

        /** Takes {@code t} out (it closed, expired or got another deadline); an emptied lane drops its timer. */
        void remove(Timeout t) {
            Timeout p = t.lanePrev;
            Timeout n = t.laneNext;
            if (p == null) {
                head = n;
            } else {
                p.laneNext = n;
            }
            if (n == null) {
                tail = p;
            } else {
                n.lanePrev = p;
            }
            t.lane = null;
            t.lanePrev = null;
            t.laneNext = null;
            if (head == null && armed != null) {
                armed.cancel();
                armed = null;
            }
        }

        private void arm(Timeout t) {
            armed = loop.addTimer(new TimerHandle(loop, t.whenNanos, this, null), t.seq);
        }

        /**
         * The armed timer fired: every scope whose deadline passed expires, first due first (as their own timers
         * would in this iteration); the timer moves to the next.
         */
        @Override
        public void run() {
            armed = null;
            Timeout first = head;
            long now = loop.nowNanos();
            while (first != null && first.whenNanos <= now) {
                remove(first);
                first.expire();
                first = head;
            }
            if (first != null && armed == null) {
                arm(first);
            }
        }

        @Override
        public String toString() {
            return "Timeout lane[delay=" + delayNanos / 1e9 + " s]";
        }
    }
}
