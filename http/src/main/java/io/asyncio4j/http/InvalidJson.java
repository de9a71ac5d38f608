package io.asyncio4j.http;

import java.io.Serial;

/**
 * A body given to {@link Response#json} is not valid JSON, or does not fit the class asked for (Python's
 * {@code json.JSONDecodeError}, which aiohttp's {@code resp.json()} lets through). It is a {@link ClientError}
 * so that one {@code catch (ClientError e)} covers every way a request can fail; it is not a
 * {@link ClientResponseError}, which means a status of 400 or more.
 */
public class InvalidJson extends ClientError {
    @Serial
    private static final long serialVersionUID = 1L;

    /** An error with {@code message} caused by {@code cause}. */
    public InvalidJson(String message, Throwable cause) {
        super(message, cause);
    }
}
