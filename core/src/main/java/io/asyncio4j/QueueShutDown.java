package io.asyncio4j;

import java.io.Serial;

/**
 * The queue was shut down (asyncio 3.13's {@code asyncio.QueueShutDown}): raised by {@code put} and
 * {@code putNowait} once {@link io.asyncio4j.sync.Queue#shutdown()} was called, by {@code get} and
 * {@code getNowait} once a shut-down queue has no item left, and from every {@code get} and {@code put}
 * that was waiting when the queue was shut down (and finds nothing to take).
 */
public final class QueueShutDown extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public QueueShutDown() {
        super();
    }

    public QueueShutDown(String message) {
        super(message);
    }
}
