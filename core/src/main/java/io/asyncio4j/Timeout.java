package io.asyncio4j;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A deadline for a block of code (asyncio's {@code asyncio.Timeout}, the object of {@code async with
 * asyncio.timeout(...) as cm}). Get one with {@link Asyncio#timeout(java.time.Duration, ScopeBody)} or
 * {@link Asyncio#timeoutAt(double, ScopeBody)}; the body receives it and may move the deadline.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * String page = Asyncio.timeout(Duration.ofSeconds(10), t -> {
 *     String head = fetchHead();
 *     t.reschedule(Asyncio.getRunningLoop().time() + 30);   // the body needs longer
 *     return fetchBody(head);
 * });                                                     // TimeoutError if the deadline passes
 * }</pre>
 *
 * <h2>Cancellation</h2>
 * When the deadline passes, the task running the body is cancelled: the body sees a {@link CancelledError}
 * at its current wait. When that error leaves the body, the scope turns it into a {@link TimeoutError}
 * whose cause is the {@code CancelledError}, exactly as asyncio 3.11+. It does so only when the scope's own
 * cancel is the one being delivered: a cancel from outside (another {@code cancel()} of the task, also one
 * racing the expiry) wins and propagates as {@code CancelledError}; of two nested scopes that both expire,
 * only the outer one raises {@code TimeoutError}. Deliberate difference from asyncio (gh-134471): a cancel
 * that was already pending when the scope began is not swallowed by an expiring {@code timeout(0)}.
 *
 * <h2>States</h2>
 * <pre>
 *   CREATED ──enter──▶ ENTERED ──deadline passes──▶ EXPIRING ──exit──▶ EXPIRED
 *                         └──────────────exit──────────────────────────▶ EXITED
 * </pre>
 *
 * <h2>Thread-safety</h2>
 * Loop thread only, like the task it belongs to.
 */
public final class Timeout {
    /*
     * Implementation overview: asyncio's timeouts.py. On expiry the scope calls task.cancel() and remembers
     * it (EXPIRING). At exit it calls task.uncancel() for that cancel; if the count is then back to what it
     * was when the scope began, no one else asked for a cancel, so a CancelledError leaving the body is the
     * scope's own and becomes TimeoutError. Otherwise the CancelledError goes on.
     */
    enum State { CREATED, ENTERED, EXPIRING, EXPIRED, EXITED }

    private final EventLoop loop;
    // all fields: loop thread only
    private State state = State.CREATED;
    private boolean hasDeadline;
    private double when;
    // the timer of the deadline when the scope has one of its own (not in a lane), else null
    private Handle handle;
    private Task<?> task;
    private int cancellingAtEnter;
    private boolean cancelPendingAtEnter;
    // while the scope waits in a lane of TimeoutLanes (opened with a delay): the lane, its neighbours there,
    // the deadline in loop nanoseconds and the timer sequence number taken when it opened; written by the lane
    TimeoutLanes.Lane lane;
    Timeout lanePrev;
    Timeout laneNext;
    long whenNanos;
    long seq;

    private Timeout(EventLoop loop, OptionalDouble when) {
        this.loop = loop;
        this.hasDeadline = when.isPresent();
        this.when = when.orElse(0);
    }

    /** Runs {@code body} under a deadline at loop time {@code when} (empty: none); see the class comment. */
    static <T> T run(OptionalDouble when, ScopeBody<Timeout, T> body) {
        return run(when, 0, body);
    }

    /**
     * {@link #run(OptionalDouble, ScopeBody)} for a deadline {@code delayNanos} (when positive) after now: the
     * scope waits in that delay's lane of {@link TimeoutLanes} rather than with a timer of its own. A null
     * {@code when} means now plus {@code delayNanos}, read here from the task's loop (one lookup of the task and
     * one of the clock: {@code Asyncio.timeout(Duration, ...)}, which every HTTP request opens).
     */
    static <T> T run(OptionalDouble when, long delayNanos, ScopeBody<Timeout, T> body) {
        Objects.requireNonNull(body, "body");
        Task<?> task = Task.requireCurrent("Asyncio.timeout()");
        Timeout scope;
        if (when != null) {
            scope = new Timeout(task.loop, when);
            scope.enter(task, delayNanos);
        } else {
            scope = enterAfter(task, delayNanos);
        }
        T result = null;
        Throwable failure = null;
        try {
            result = body.run(scope);
        } catch (Throwable e) {
            failure = e;
        }
        failure = scope.exit(failure);
        if (failure != null) {
            throw Future.surface(failure);
        }
        return result;
    }

    /** A scope of {@code task} entered with the deadline {@code delayNanos} after its loop's now. */
    private static Timeout enterAfter(Task<?> task, long delayNanos) {
        EventLoop loop = task.loop;
        long nanos = loop.deadlineAfter(delayNanos); // saturated: what enter() derives from `when`, without the round trip
        Timeout scope = new Timeout(loop, OptionalDouble.of(nanos / 1e9));
        scope.begin(task);
        if (delayNanos <= 0 || nanos == Long.MAX_VALUE || !scope.joinLane(nanos, delayNanos)) {
            scope.reschedule(scope.when());
        }
        return scope;
    }

    /** The deadline in loop time ({@link EventLoop#time()}), or empty when there is none. */
    public OptionalDouble when() {
        return hasDeadline ? OptionalDouble.of(when) : OptionalDouble.empty();
    }

    /** Moves the deadline to loop time {@code when}; a time in the past expires the scope at once. */
    public void reschedule(double when) {
        reschedule(OptionalDouble.of(when));
    }

    /**
     * Moves the deadline (empty: no deadline).
     *
     * @throws IllegalStateException if the body has ended or the scope has expired already
     */
    public void reschedule(OptionalDouble when) {
        Objects.requireNonNull(when, "when");
        loop.ensureOnLoopThread("Timeout.reschedule()");
        if (state != State.ENTERED) {
            throw new IllegalStateException(state == State.CREATED ? "Timeout has not been entered"
                    : "Cannot change the deadline of a Timeout that is " + state.name().toLowerCase());
        }
        if (when.isPresent() && Double.isNaN(when.getAsDouble())) {
            throw new IllegalArgumentException("Timeout.reschedule(): when must be a loop time, got NaN");
        }
        hasDeadline = when.isPresent();
        this.when = when.orElse(0);
        if (lane != null) {
            lane.remove(this);
        }
        if (handle != null) {
            handle.cancel();
            handle = null;
        }
        if (hasDeadline) {
            handle = this.when <= loop.time() ? loop.callSoon(this::onTimeout) : loop.callAt(this.when, this::onTimeout);
        }
    }

    /** Whether the deadline passed (the scope cancelled its task). */
    public boolean expired() {
        return state == State.EXPIRING || state == State.EXPIRED;
    }

    private void enter(Task<?> t, long delayNanos) {
        begin(t);
        if (delayNanos > 0 && hasDeadline && when > loop.time()) {
            long nanos = EventLoop.secondsToNanos(when, "when");
            if (nanos < Long.MAX_VALUE && joinLane(nanos, delayNanos)) {
                return;
            }
        }
        reschedule(when());
    }

    /** The scope starts in {@code t}: what a cancel at its exit is compared with. */
    private void begin(Task<?> t) {
        task = t;
        cancellingAtEnter = t.cancelling();
        cancelPendingAtEnter = t.hasPendingCancel();
        state = State.ENTERED;
    }

    /** Waits in the lane of {@code delayNanos} with the deadline {@code nanos} (loop ns); false if it cannot. */
    private boolean joinLane(long nanos, long delayNanos) {
        whenNanos = nanos;
        seq = loop.takeTimerSeq();
        return loop.timeoutLanes.add(this, delayNanos);
    }

    /** The deadline passed while the scope waited in its lane (which took it out). */
    void expire() {
        onTimeout();
    }

    private void onTimeout() {
        task.cancel();
        state = State.EXPIRING;
        handle = null;
    }

    /** Ends the scope; returns what the body's caller must see (the failure, a TimeoutError, or null). */
    private Throwable exit(Throwable failure) {
        if (lane != null) {
            lane.remove(this);
        }
        if (handle != null) {
            handle.cancel();
            handle = null;
        }
        if (state == State.EXPIRING) {
            state = State.EXPIRED;
            if (task.uncancel() <= cancellingAtEnter && failure != null) {
                // No new cancel requests since the scope began: the cancel being delivered is ours.
                if (failure instanceof CancelledError ce) {
                    if (!cancelPendingAtEnter) {
                        return new TimeoutError("the deadline of the timeout scope passed (loop time " + when + ")", ce);
                    }
                } else {
                    // asyncio 3.13+ chains a TimeoutError into the failure and into each error of a group
                    failure.addSuppressed(expiredWhileRaised());
                    if (failure instanceof ExceptionGroup group) {
                        for (Throwable t : group.exceptions()) {
                            t.addSuppressed(expiredWhileRaised());
                        }
                    }
                }
            }
        } else if (state == State.ENTERED) {
            state = State.EXITED;
        }
        return failure;
    }

    private TimeoutError expiredWhileRaised() {
        return new TimeoutError("the deadline of the timeout scope passed (loop time " + when + ") while this was being raised");
    }

    @Override
    public String toString() {
        return "Timeout[when=" + (hasDeadline ? when : "none") + ", " + state.name().toLowerCase() + "]";
    }
}
