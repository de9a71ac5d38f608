package io.asyncio4j.sync;

import io.asyncio4j.CancelledError;
import io.asyncio4j.EventLoop;
import io.asyncio4j.TimerHandle;
import io.asyncio4j.internal.sync.LoopBinding;
import io.asyncio4j.internal.sync.ParkingLot;

/**
 * A token bucket on the loop clock: at most {@code rate} acquisitions per second on average, and at most
 * {@code burst} at once (an asyncio4j extension; aiolimiter's {@code AsyncLimiter} in the asyncio world).
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * RateLimiter limiter = RateLimiter.perSecond(10);         // 10 requests/s, one at a time
 * Asyncio.gather(urls, url -> {
 *     limiter.acquire();                                  // waits for a token
 *     return session.get(url).text();
 * });
 * RateLimiter llm = RateLimiter.of(50, 5);                // 50 tokens/s, up to 5 at once
 * llm.acquire(promptTokens / 1000);                       // weighted requests
 * }</pre>
 * The bucket holds at most {@code burst} tokens and starts full; it refills continuously at {@code rate}
 * tokens per second of loop time. {@code acquire(n)} takes {@code n} tokens, waiting until they are
 * there. Tokens are not given back by the caller: a rate limiter limits how often, not how many at once
 * (use a {@link Semaphore} for that). On virtual time it is exact: {@code perSecond(10)} lets the eleventh
 * of eleven back-to-back {@code acquire()} calls return at {@code t = 1.0}.
 *
 * <h2>States</h2>
 * <pre>
 *   tokens ≥ n, nobody waits ──acquire(n)──▶ tokens - n, returns at once
 *   otherwise ──acquire(n)──▶ waits in line; one loop timer wakes the first waiter when its n tokens are there
 * </pre>
 *
 * <h2>Fairness</h2>
 * Strictly FIFO, weighted: a waiter asking for many tokens is not overtaken by later small requests,
 * neither by waiters behind it nor by {@link #tryAcquire(int)}, which fails while anyone waits. Taking
 * tokens that are there while nobody waits never switches tasks.
 *
 * <h2>Cancellation</h2>
 * A task cancelled while it waits in {@code acquire} leaves the line and takes no tokens; the next waiter
 * becomes the first and is served as soon as its own tokens are there. If the tokens had already been
 * handed to it, it gives them back first. So {@code Asyncio.timeout(d, () -> limiter.acquire())} either
 * took its tokens or raises, never both.
 *
 * <h2>Thread-safety</h2>
 * Belongs to the event loop that first uses it; every method must be called from that loop's tasks or
 * callbacks ({@link #toString()} excepted).
 */
public final class RateLimiter {
    /*
     * Implementation overview. The bucket is one number, `emptyAt`: the loop time (in nanoseconds, with
     * a fraction) at which it was, or will be, empty if nothing else is taken. Its content at time t is
     *     tokens(t) = min(burst, (t - emptyAt) / nanosPerToken)
     * and taking n tokens at time t is
     *     emptyAt = max(emptyAt, t - burst * nanosPerToken) + n * nanosPerToken     (the max is the cap)
     * so nothing is stored per tick and the n tokens of a waiter are there at emptyAt + n * nanosPerToken.
     * A waiter counts as served when it lacks less than EPSILON tokens, so float error never costs a tick.
     *
     * Exactness: the loop's timers fire on whole nanoseconds, so the timer for a waiter due at 333333333.3
     * ns fires at 333333334. A waiter served from the line takes its tokens as of the moment they were
     * there (within that rounding), not as of the timer tick: otherwise a full bucket (burst 1) would lose
     * the fraction at every tick, and perSecond(3) would drift by a nanosecond per token.
     *
     * Invariant: `timer` is armed whenever a live waiter is queued, for the moment the first live waiter's
     * tokens will be there. serve() (timer fired, tokens given back, a waiter left) hands tokens to waiters
     * from the head while they suffice, then re-arms the timer for the new head. Tokens handed to a waiter
     * are gone from the bucket; a waiter cancelled before it resumes gives them back through GiveBack.
     *
     *   A(5) waits, timer armed for A ─▶ B(1) queues behind A ─▶ A is cancelled: A resumes with its
     *   CancelledError and calls serve(), which re-arms the timer for B's single token.
     *
     * All fields but `rate`, `burst` and `nanosPerToken`: loop thread only (toString() reads them without
     * guarantee).
     */
    private static final double EPSILON = 1e-9;

    private final double rate;
    private final int burst;
    private final double nanosPerToken;
    private final LoopBinding binding = new LoopBinding();
    private final ParkingLot waiters = new ParkingLot();
    private final ParkingLot.GiveBack giveBack = this::giveBack;
    // bound on first use (the binding's loop), when emptyAt is set so that the bucket starts full; then final
    private EventLoop loop;
    // when the bucket is (was, will be) empty, in nanoseconds of the loop clock; see the overview
    private double emptyAt;
    // armed while a live waiter is queued: fires when the first one's tokens will be there
    private TimerHandle timer;

    private RateLimiter(double rate, int burst, String api) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException(api + ": rate must be a positive, finite number of tokens per second, got "
                    + rate);
        }
        if (burst < 1) {
            throw new IllegalArgumentException(api + ": burst must be at least 1 token, got " + burst);
        }
        this.rate = rate;
        this.burst = burst;
        this.nanosPerToken = 1e9 / rate;
    }

    /** {@code rate} acquisitions per second, one at a time (burst 1); starts with one token. */
    public static RateLimiter perSecond(double rate) {
        return new RateLimiter(rate, 1, "RateLimiter.perSecond()");
    }

    /** {@code rate} tokens per second, at most {@code burst} at once; starts full. */
    public static RateLimiter of(double rate, int burst) {
        return new RateLimiter(rate, burst, "RateLimiter.of()");
    }

    /** {@link #acquire(int)} of one token. */
    public void acquire() {
        acquire(1, "RateLimiter.acquire()");
    }

    /**
     * Takes {@code n} tokens, waiting in FIFO order until they are there. Does not switch tasks when the
     * tokens are there and nobody waits.
     *
     * @throws IllegalArgumentException if {@code n < 1} or {@code n > burst} (such a request could never be served)
     * @throws CancelledError           if the task is cancelled while waiting: it loses its place and takes no
     *                                  tokens (see the class comment)
     * @throws IllegalStateException    if it must wait outside a task, or is called from another loop
     */
    public void acquire(int n) {
        acquire(n, "RateLimiter.acquire(n)");
    }

    private void acquire(int n, String api) {
        checkTokens(n, api);
        enter(api);
        long now = nowNanos();
        if (waiters.isEmpty() && available(n, now)) {
            take(n, now);
            return;
        }
        if (waiters.isEmpty()) {
            arm(n, now); // this task will be the first in line
        }
        try {
            waiters.park(n, giveBack, api);
        } catch (CancelledError e) {
            // Our place is gone (and with it, if we were first, the reason for the timer's moment): look at the
            // new first waiter. Handed tokens were given back already.
            serve();
            throw e;
        }
    }

    /** {@link #tryAcquire(int)} of one token. */
    public boolean tryAcquire() {
        return tryAcquire(1, "RateLimiter.tryAcquire()");
    }

    /**
     * Takes {@code n} tokens if they are there and nobody waits; returns whether it did. Never waits.
     *
     * @throws IllegalArgumentException if {@code n < 1} or {@code n > burst}
     */
    public boolean tryAcquire(int n) {
        return tryAcquire(n, "RateLimiter.tryAcquire(n)");
    }

    private boolean tryAcquire(int n, String api) {
        checkTokens(n, api);
        enter(api);
        long now = nowNanos();
        if (waiters.isEmpty() && available(n, now)) {
            take(n, now);
            return true;
        }
        return false;
    }

    /**
     * Puts back {@code n} tokens taken earlier that turned out not to be used (the bucket never holds more than
     * {@code burst}), and serves the waiters they suffice for. For a limit whose cost is only known afterwards,
     * as an LLM call's tokens: take an estimate with {@link #acquire(int)}, then refund what the answer says
     * was not spent. Never waits.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     * @throws IllegalStateException    if called from another loop
     */
    public void refund(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("RateLimiter.refund(n): n must be at least 1 token, got " + n);
        }
        enter("RateLimiter.refund(n)");
        long now = nowNanos();
        emptyAt = Math.max(emptyAt, now - burst * nanosPerToken) - n * nanosPerToken;
        serve();
    }

    /** Tokens per second. */
    public double rate() {
        return rate;
    }

    /** The bucket's size: the most tokens that can be taken at once. */
    public int burst() {
        return burst;
    }

    // ---- the bucket ----------------------------------------------------------------------------------

    private void checkTokens(int n, String api) {
        if (n < 1) {
            throw new IllegalArgumentException(api + ": n must be at least 1 token, got " + n);
        }
        if (n > burst) {
            throw new IllegalArgumentException(api + ": asks for " + n + " tokens but the burst is " + burst
                    + ", so it could never be served; create the limiter with RateLimiter.of(rate, " + n + ") or more");
        }
    }

    private void enter(String api) {
        binding.ensureOnLoop(this, api);
        if (loop == null) {
            loop = binding.loop();
            emptyAt = nowNanos() - burst * nanosPerToken; // starts full
        }
    }

    private long nowNanos() {
        return Math.round(loop.time() * 1e9); // exact: the loop clock is integer nanoseconds
    }

    private double tokensAt(double t) {
        return Math.min(burst, (t - emptyAt) / nanosPerToken);
    }

    private boolean available(long n, long now) {
        return tokensAt(now) + EPSILON >= n;
    }

    private void take(long n, double t) {
        emptyAt = Math.max(emptyAt, t - burst * nanosPerToken) + n * nanosPerToken;
    }

    /** A waiter cancelled after it was handed {@code handed} tokens puts them back (ParkingLot.GiveBack). */
    private void giveBack(Object handed) {
        emptyAt -= (Long) handed * nanosPerToken; // the cap applies lazily, in tokensAt() and take()
        serve();
    }

    /** Hands tokens to the waiters in line while they suffice, then re-arms the timer for the first one left. */
    private void serve() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        long now = nowNanos();
        long first;
        while ((first = waiters.firstWeight()) > 0 && available(first, now)) {
            // as of the moment its tokens were there, if that was within the last timer tick (see the overview)
            double thereAt = emptyAt + first * nanosPerToken;
            take(first, Math.min(now, Math.max(thereAt, now - 1)));
            waiters.handFirst(first);
        }
        if (first > 0) {
            arm(first, now);
        }
    }

    /** Arms the timer for when {@code n} tokens will be in the bucket. */
    private void arm(long n, long now) {
        if (timer != null) {
            timer.cancel();
        }
        // the first whole nanosecond at which they are there; the small subtraction absorbs float error
        // above an exact integer
        long due = Math.max(now + 1, (long) Math.ceil(emptyAt + n * nanosPerToken - 1e-3));
        double when = due / 1e9;
        while ((long) (when * 1e9) < due) { // callAt truncates to nanoseconds: never fire a nanosecond early
            when = Math.nextUp(when);
        }
        timer = loop.callAt(when, () -> {
            timer = null;
            serve();
        });
    }

    /** {@code RateLimiter[rate=10.0/s, burst=1, tokens=0.0, waiters=2]}, tokens as of now. */
    @Override
    public String toString() {
        EventLoop l = loop;
        double t = l == null ? burst : Math.max(0, tokensAt(Math.round(l.time() * 1e9)));
        return "RateLimiter[rate=" + rate + "/s, burst=" + burst + ", tokens="
                + Math.round(t * 1e6) / 1e6 + ", waiters=" + waiters.size() + "]";
    }
}
