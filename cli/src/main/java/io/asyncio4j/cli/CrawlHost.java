package io.asyncio4j.cli;

import java.time.Duration;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.sync.Event;
import io.asyncio4j.sync.Semaphore;

/**
 * How {@code crawl} treats one host (an origin: scheme, host and port): at most {@code --per-host} requests
 * at once, a gap of at least the crawl delay between the starts of two requests, a pause after it answered
 * 429 or 503, and its robots.txt, read once.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * boolean alone = host.acquire();   // waits for a slot, then for the host's next turn
 * try {
 *     ... one request ...
 * } finally {
 *     host.release(alone);
 * }
 * host.backOff(retryAfter);    // after a 429: no request starts before now + retryAfter
 * }</pre>
 *
 * <h2>The gap</h2>
 * The gap is the larger of {@code --delay} and the robots.txt {@code Crawl-delay} (capped by
 * {@code --max-crawl-delay}), set by {@link #robots(RobotsPolicy)}. With a gap, the host's requests go one at a
 * time and each starts at least the gap after the previous one ended ({@link #release}): so the server sees two
 * requests at least the gap apart, however long one spent connecting or in flight (spacing the starts only
 * would let a slow first request arrive closer to the next). Without a gap, {@code --per-host} requests go at
 * once. The check of {@code nextStart} and its move run without a wait between them, on the loop thread, so
 * no two tasks take the same turn.
 *
 * <h2>Cancellation</h2>
 * A task cancelled in {@link #acquire()} loses its place (FIFO semaphores) and holds nothing afterwards: a
 * cancel during its wait for the turn gives the slot (and the one-at-a-time lock) back. The turn it did not
 * take is not moved.
 *
 * <p>Thread-safety: the tasks of one loop, one at a time.
 */
final class CrawlHost {

    final String origin;
    private final Semaphore slots;
    // taken besides a slot while there is a gap: one request at a time
    private final Semaphore alone = new Semaphore(1);
    private final double minGap;
    // written by robots() and acquire()/backOff(), on the loop thread; read there
    private double gap;
    private double nextStart = Double.NEGATIVE_INFINITY;
    private double lastEnd = Double.NEGATIVE_INFINITY;
    // the host's robots.txt policy once read; written by robots() (loop thread)
    private RobotsPolicy robots;
    // whether a task is reading robots.txt (and the sitemaps); the others wait for `loaded`
    private boolean loading;
    private final Event loaded = new Event();

    /**
     * @param origin  {@code scheme://host[:port]}
     * @param perHost the most requests at once
     * @param delay   the least gap between two request starts ({@code --delay})
     */
    CrawlHost(String origin, int perHost, Duration delay) {
        this.origin = origin;
        this.slots = new Semaphore(perHost);
        this.minGap = delay.toNanos() / 1e9;
        this.gap = minGap;
    }

    /**
     * Waits for a slot and for the host's next turn; returns whether the request goes alone (there is a gap),
     * to be passed to {@link #release}.
     */
    boolean acquire() {
        slots.acquire();
        boolean serial = gap > 0;
        boolean held = false;
        try {
            if (serial) {
                alone.acquire();
                held = true;
            }
            double now;
            while ((now = Asyncio.getRunningLoop().time()) < nextStart) {
                Asyncio.sleep(nextStart - now);
            }
            nextStart = now + gap;
            return serial;
        } catch (CancelledError e) {
            if (held) {
                alone.release();
            }
            slots.release();
            throw e;
        }
    }

    /** The request is over: the next may start a gap from now; gives the slot back. */
    void release(boolean serial) {
        double now = Asyncio.getRunningLoop().time();
        lastEnd = now;
        nextStart = Math.max(nextStart, now + gap);
        if (serial) {
            alone.release();
        }
        slots.release();
    }

    /** No request to this host starts before {@code wait} from now (a 429 or 503 answer). */
    void backOff(Duration wait) {
        nextStart = Math.max(nextStart, Asyncio.getRunningLoop().time() + wait.toNanos() / 1e9);
    }

    /** The gap between two request starts, in seconds. */
    double gap() {
        return gap;
    }

    /** The robots.txt policy, or null before it was read. */
    RobotsPolicy robots() {
        return robots;
    }

    /** Sets the policy, and the gap to its crawl delay when that is longer than {@code --delay}. */
    void robots(RobotsPolicy policy) {
        robots = policy;
        gap = Math.max(minGap, policy.crawlDelay().toNanos() / 1e9);
        nextStart = Math.max(nextStart, lastEnd + gap); // the robots.txt request keeps its distance too
        loaded.set();
    }

    /**
     * Whether the calling task is to read robots.txt: true for the first caller while nobody has, until
     * {@link #loadFailed()} or {@link #robots(RobotsPolicy)}; the others wait here until it is done.
     */
    boolean claimLoad() {
        while (robots == null) {
            if (!loading) {
                loading = true;
                loaded.clear();
                return true;
            }
            loaded.await();
        }
        return false;
    }

    /** The task that claimed the load was cancelled: another may claim it. */
    void loadFailed() {
        loading = false;
        loaded.set();
    }
}
