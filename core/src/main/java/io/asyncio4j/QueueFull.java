package io.asyncio4j;

import java.io.Serial;

/**
 * {@code putNowait()} found no free slot in a bounded queue (asyncio's {@code asyncio.QueueFull}). Raised by
 * {@link io.asyncio4j.sync.Queue#putNowait(Object)} and its kinds; never by the waiting {@code put()}.
 */
public final class QueueFull extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public QueueFull() {
        super();
    }

    public QueueFull(String message) {
        super(message);
    }
}
