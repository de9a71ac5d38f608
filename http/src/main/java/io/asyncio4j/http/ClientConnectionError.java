package io.asyncio4j.http;

import java.io.Serial;

/**
 * The connection to the server failed or broke: refused, reset, closed mid-response, TLS failure
 * (aiohttp's {@code ClientConnectionError} and its {@code ClientOSError}, {@code ServerDisconnectedError}).
 */
public class ClientConnectionError extends ClientError {
    @Serial
    private static final long serialVersionUID = 1L;

    /** An error with {@code message} caused by {@code cause} (usually an {@link java.io.IOException}). */
    public ClientConnectionError(String message, Throwable cause) {
        super(message, cause);
    }
}
