package io.asyncio4j;

/**
 * A callback scheduled for a point on the loop clock by {@link EventLoop#callLater} or
 * {@link EventLoop#callAt} (asyncio's {@code asyncio.TimerHandle}).
 */
public final class TimerHandle extends Handle {
    // the due time in nanoseconds on the loop clock, and a tie-breaker keeping FIFO order among equals
    final long whenNanos;
    final long seq;
    // true while the handle is in the loop's timer heap; loop thread only
    boolean scheduled;

    TimerHandle(EventLoop loop, long whenNanos, long seq, Runnable callback, Context context) {
        super(loop, callback, context);
        this.whenNanos = whenNanos;
        this.seq = seq;
    }

    /** When the callback is due, in seconds on the loop clock ({@link EventLoop#time()}). */
    public double when() {
        return whenNanos / 1e9;
    }

    /** Keeps the callback from running; the loop drops it from its timer heap. */
    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            if (scheduled && loop.isLoopThread()) {
                loop.timerCancelled();
            }
        }
    }
}
