package io.asyncio4j;

import java.io.Serial;

/**
 * {@code getNowait()} found no item in the queue (asyncio's {@code asyncio.QueueEmpty}). Raised by
 * {@link io.asyncio4j.sync.Queue#getNowait()} and its kinds; never by the waiting {@code get()}.
 */
public final class QueueEmpty extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public QueueEmpty() {
        super();
    }

    public QueueEmpty(String message) {
        super(message);
    }
}
