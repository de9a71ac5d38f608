package io.asyncio4j.http;

import java.io.Serial;

/**
 * A request met more redirects than the session's {@code followRedirects(max)} allows (aiohttp's
 * {@code TooManyRedirects}, httpx's {@code TooManyRedirects}). The message names how many were followed and
 * the last URL that answered with a redirect.
 */
public class TooManyRedirects extends ClientError {
    @Serial
    private static final long serialVersionUID = 1L;

    /** An error with {@code message}. */
    public TooManyRedirects(String message) {
        super(message);
    }
}
