package io.asyncio4j.http;

import java.io.Serial;

/**
 * The URL cannot be parsed, is not absolute after resolution against the base URL, has no host, or its
 * scheme is not {@code http} or {@code https} (aiohttp's {@code InvalidURL}).
 */
public class InvalidUrl extends ClientError {
    @Serial
    private static final long serialVersionUID = 1L;

    /** An error with {@code message}. */
    public InvalidUrl(String message) {
        super(message);
    }

    /** An error with {@code message} caused by {@code cause}. */
    public InvalidUrl(String message, Throwable cause) {
        super(message, cause);
    }
}
