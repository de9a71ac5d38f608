package io.asyncio4j;

import java.io.Serial;

/**
 * A {@link io.asyncio4j.sync.Barrier} is broken, or was reset or aborted while a task waited at it
 * (asyncio's {@code asyncio.BrokenBarrierError}). Raised by {@code Barrier.await()}: to the tasks waiting
 * when {@code reset()} or {@code abort()} is called, and to every task that arrives while the barrier is
 * broken (until {@code reset()}).
 */
public final class BrokenBarrierError extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public BrokenBarrierError(String message) {
        super(message);
    }
}
