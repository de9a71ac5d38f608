package io.asyncio4j.http;

import io.asyncio4j.TimeoutError;

import java.io.Serial;

/**
 * A {@link ClientTimeout} limit passed: the total time, the connect time, or the time between reads
 * (aiohttp raises {@code asyncio.TimeoutError} subclasses: {@code ServerTimeoutError},
 * {@code ConnectionTimeoutError}, {@code SocketTimeoutError}). It is a {@link TimeoutError}, so code that
 * catches timeouts in general catches it too; it is not a {@link ClientError}, because Java has one superclass.
 */
public class ClientTimeoutError extends TimeoutError {
    @Serial
    private static final long serialVersionUID = 1L;

    /** An error with {@code message} caused by {@code cause}. */
    public ClientTimeoutError(String message, Throwable cause) {
        super(message, cause);
    }
}
