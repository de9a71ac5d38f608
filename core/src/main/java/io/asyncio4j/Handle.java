package io.asyncio4j;

/**
 * A callback scheduled on the loop by {@link EventLoop#callSoon} or {@link EventLoop#callSoonThreadsafe}
 * (asyncio's {@code asyncio.Handle}); {@link #cancel()} keeps it from running.
 *
 * <h2>Thread-safety</h2>
 * {@code cancel()} and {@code cancelled()} may be called from any thread; a cancel that races with the
 * callback starting on the loop thread may come too late, as in asyncio.
 */
public sealed class Handle permits TimerHandle {
    final EventLoop loop;
    final Runnable callback;
    // the context the callback runs in: a copy, Context.FRESH (a new empty one per run), or null for
    // library-internal callbacks that need none
    final Context context;
    // written by any thread; read by the loop thread
    volatile boolean cancelled;

    Handle(EventLoop loop, Runnable callback, Context context) {
        this.loop = loop;
        // null: the handle is its own callback (a task's sleep, Task.Sleep)
        this.callback = callback != null ? callback : (Runnable) this;
        this.context = context;
    }

    /** Keeps the callback from running, if it has not run yet. Idempotent. */
    public void cancel() {
        cancelled = true;
    }

    /** Whether {@link #cancel()} was called. */
    public boolean cancelled() {
        return cancelled;
    }

    /** Runs the callback on the loop thread, in its context; failures go to the loop's exception handler. */
    final void runOnLoop() {
        if (cancelled) {
            return;
        }
        Context previous = context == null ? null : Context.swapCurrent(context == Context.FRESH ? new Context() : context);
        try {
            callback.run();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable e) {
            Future<?> future = callback instanceof Future.DoneCallback<?> d ? d.future : null;
            loop.callExceptionHandler(new ExceptionContext("Exception in callback " + callback, e, future,
                    future instanceof Task<?> t ? t : null));
        } finally {
            if (context != null) {
                Context.swapCurrent(previous);
            }
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + callback + (cancelled ? ", cancelled" : "") + "]";
    }
}
