package io.asyncio4j;

import java.io.Serial;

/**
 * A deadline passed (asyncio's {@code TimeoutError}). When a timeout scope expires, the task is cancelled
 * and the {@link CancelledError} that unwound the body becomes this error's cause, as in asyncio 3.11+.
 */
public class TimeoutError extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public TimeoutError() {
        super();
    }

    public TimeoutError(String message) {
        super(message);
    }

    public TimeoutError(String message, Throwable cause) {
        super(message, cause);
    }
}
