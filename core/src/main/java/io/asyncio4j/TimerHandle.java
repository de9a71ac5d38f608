package io.asyncio4j;

/**
 * A callback scheduled for a point on the loop clock by {@link EventLoop#callLater} or
 * {@link EventLoop#callAt} (asyncio's {@code asyncio.TimerHandle}).
 */
public sealed class TimerHandle extends Handle permits Task.Sleep {
    // (sealed for one internal subclass: a task's sleep is its own timer, one object per sleep rather than a
    // timer plus a wake-up callback, 32 B less per sleeping task)
    // the due time in nanoseconds on the loop clock; the tie-breaker that keeps FIFO order among equal times
    // is kept by the heap next to it (TimerHeap), not here: 8 B less per timer
    final long whenNanos;
    // true while the handle is in the loop's timer heap; loop thread only
    boolean scheduled;

    /** A timer due at {@code whenNanos}; a null {@code callback} means this handle is its own callback. */
    TimerHandle(EventLoop loop, long whenNanos, Runnable callback, Context context) {
        super(loop, callback, context);
        this.whenNanos = whenNanos;
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
