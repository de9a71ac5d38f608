package io.asyncio4j.http;

import java.io.Serial;
import java.net.URI;

/**
 * The server answered with a status of 400 or more and {@link Response#raiseForStatus()} was called
 * (aiohttp's {@code ClientResponseError} from {@code raise_for_status()}).
 */
public class ClientResponseError extends ClientError {
    @Serial
    private static final long serialVersionUID = 1L;

    // the response's status code
    private final int status;
    // the response's final URL
    private final URI url;

    /** An error for a response with {@code status} from {@code url}. */
    public ClientResponseError(int status, URI url) {
        super(status + " for url " + url);
        this.status = status;
        this.url = url;
    }

    /** The response's status code. */
    public int status() {
        return status;
    }

    /** The response's final URL. */
    public URI url() {
        return url;
    }
}
