package io.asyncio4j;

import java.io.Serial;

/**
 * An operation is not allowed in the future's current state (asyncio's {@code asyncio.InvalidStateError}):
 * {@link Future#result()} or {@link Future#exception()} on a pending future, or
 * {@link Future#setResult(Object)} / {@link Future#setException(Throwable)} on a future that is already done.
 */
public final class InvalidStateError extends IllegalStateException {
    @Serial
    private static final long serialVersionUID = 1L;

    public InvalidStateError(String message) {
        super(message);
    }
}
