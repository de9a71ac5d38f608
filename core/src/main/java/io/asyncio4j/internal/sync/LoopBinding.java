package io.asyncio4j.internal.sync;

import io.asyncio4j.EventLoop;

/**
 * The loop a primitive belongs to: the one that first uses it (asyncio's {@code _LoopBoundMixin}). A
 * primitive may be created anywhere (a static field, before {@code Asyncio.run}); every use after that
 * must come from that loop's thread (a task or a callback of that loop).
 */
public final class LoopBinding {
    // written once, on the loop thread of the first use; read on loop threads (any thread may read it
    // for toString, without guarantee)
    private EventLoop loop;

    /**
     * Binds to the caller's loop on first use; afterwards, throws IllegalStateException unless the caller
     * runs on that loop.
     *
     * @param owner the primitive, named in the error
     * @param api   the method called, named in the error
     */
    public void ensureOnLoop(Object owner, String api) {
        EventLoop running = ParkingLot.runningLoopOrNull();
        if (running == loop && running != null) {
            return;
        }
        String what = owner.getClass().getSimpleName();
        if (running == null) {
            throw new IllegalStateException(api + " must be called in a task or callback of an event loop, not on thread '"
                    + Thread.currentThread().getName() + "': a " + what + " belongs to one loop. From another thread, "
                    + "hand the call to the loop with loop.callSoonThreadsafe(() -> ...)");
        }
        if (loop != null) {
            throw new IllegalStateException(api + ": this " + what + " is bound to " + loop + " (the loop that first used it) "
                    + "and was called from " + running + "; create one " + what + " per loop, for example inside the "
                    + "Asyncio.run(...) that uses it");
        }
        loop = running;
    }

    /** The loop this primitive is bound to, or null before its first use. */
    public EventLoop loop() {
        return loop;
    }
}
