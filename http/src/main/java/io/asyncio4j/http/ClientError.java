package io.asyncio4j.http;

import java.io.Serial;

/**
 * Base of the errors a {@link ClientSession} request raises (aiohttp's {@code ClientError}), except
 * {@link ClientTimeoutError}, which extends {@link io.asyncio4j.TimeoutError} instead (Java has one superclass).
 */
public class ClientError extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** An error with {@code message}. */
    public ClientError(String message) {
        super(message);
    }

    /** An error with {@code message} caused by {@code cause}. */
    public ClientError(String message, Throwable cause) {
        super(message, cause);
    }
}
