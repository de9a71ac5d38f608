package io.asyncio4j;

import java.io.Serial;

/**
 * Raised inside a task when it is cancelled, and by {@link Future#result()} / {@link Future#await()} on a
 * cancelled future (asyncio's {@code asyncio.CancelledError}).
 *
 * <p>It extends {@link Error}, not {@link Exception}, on purpose: asyncio made {@code CancelledError} a
 * {@code BaseException} so that {@code except Exception:} does not swallow a cancellation, and
 * {@code catch (Exception e)} must not swallow one here either. Catch it only to clean up, and rethrow it
 * (or return normally if the task really means to refuse the cancellation — it then ends done, not
 * cancelled, exactly as in asyncio).
 *
 * <p>The message is the one given to {@link Task#cancel(String)}, if any.
 */
public final class CancelledError extends Error {
    @Serial
    private static final long serialVersionUID = 1L;

    /** A cancellation without a message. */
    public CancelledError() {
        super();
    }

    /** A cancellation with the message passed to {@code cancel(msg)} (may be {@code null}). */
    public CancelledError(String message) {
        super(message);
    }

    /** A cancellation with a message and the cause that led to it (for example a JDK interruption). */
    public CancelledError(String message, Throwable cause) {
        super(message, cause);
    }
}
