package io.asyncio4j.http;

import java.io.Serial;

/**
 * The response body is longer than the session's {@code maxBodySize}; reading stopped at the cap and the
 * connection was closed (aiohttp raises a {@code ClientPayloadError} for its {@code max_line_size}-style caps).
 */
public class BodyTooLarge extends ClientError {
    @Serial
    private static final long serialVersionUID = 1L;

    /** An error with {@code message}. */
    public BodyTooLarge(String message) {
        super(message);
    }
}
