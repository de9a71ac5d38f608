package io.asyncio4j.http;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The answer to a {@link ClientSession} request, with its body already read (aiohttp's
 * {@code ClientResponse} after {@code await resp.read()}; httpx's {@code Response}).
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Response r = session.get("/users/1");
 * r.raiseForStatus();               // ClientResponseError for 4xx and 5xx
 * String body = r.text();           // decoded with the Content-Type charset, UTF-8 by default
 * }</pre>
 *
 * <h2>Cancellation</h2>
 * Nothing here waits: the body was read, within the session's {@code maxBodySize} and timeouts, before the
 * request returned.
 *
 * <h2>Thread-safety</h2>
 * Immutable; {@link #bytes()} returns a copy. Any thread may use it.
 */
public final class Response {
    // the status code
    private final int status;
    // the response headers (case-insensitive names)
    private final HttpHeaders headers;
    // the URL that answered
    private final URI url;
    // from sending the request (after the session's limits let it go) to the end of the body
    private final Duration elapsed;
    // the whole body
    private final byte[] body;
    // how many times the request was sent (1 + retries)
    private final int attempts;
    // decodes json()
    private final JsonCodec codec;

    Response(int status, HttpHeaders headers, URI url, Duration elapsed, byte[] body, JsonCodec codec) {
        this(status, headers, url, elapsed, body, 1, codec);
    }

    private Response(int status, HttpHeaders headers, URI url, Duration elapsed, byte[] body, int attempts,
                     JsonCodec codec) {
        this.codec = codec;
        this.attempts = attempts;
        this.status = status;
        this.headers = headers;
        this.url = url;
        this.elapsed = elapsed;
        this.body = body;
    }

    /** The status code (aiohttp's {@code status}). */
    public int status() {
        return status;
    }

    /** The headers; names are case-insensitive, a name may have several values. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The URL that answered: the last one of the redirects followed (aiohttp's {@code url}). */
    public URI url() {
        return url;
    }

    /** How many times the request was sent, 1 plus the retries of the session's {@link Retry}. */
    public int attempts() {
        return attempts;
    }

    /** This response with {@code attempts}. */
    Response withAttempts(int attempts) {
        return attempts == this.attempts ? this : new Response(status, headers, url, elapsed, body, attempts, codec);
    }

    /**
     * How long the exchange took: from sending the request (after the session's limits let it go) to the
     * last byte of the body (httpx's {@code elapsed}).
     */
    public Duration elapsed() {
        return elapsed;
    }

    /**
     * A copy of the body (aiohttp's {@code read()}, httpx's {@code content}). A {@code gzip} or
     * {@code deflate} {@code Content-Encoding} is already decoded (the header stays as the server sent it);
     * a body in another coding is as sent.
     */
    public byte[] bytes() {
        return body.clone();
    }

    /**
     * The body decoded with the {@code charset} parameter of {@code Content-Type}, or UTF-8 when there is
     * none (aiohttp's {@code text()}). Malformed input is replaced, never an error.
     *
     * @throws java.nio.charset.UnsupportedCharsetException when the server names a charset this JVM lacks
     * @throws java.nio.charset.IllegalCharsetNameException when the charset name is malformed
     */
    public String text() {
        return new String(body, charset());
    }

    /**
     * The body decoded as JSON into a {@code type} by the session's {@link JsonCodec} (aiohttp's
     * {@code json()}, then a conversion). Unlike aiohttp, {@code Content-Type} is not checked.
     *
     * @throws InvalidJson when the body is not valid JSON or does not fit {@code type}
     */
    public <T> T json(Class<T> type) {
        return codec.decode(body, type);
    }

    /**
     * The body decoded as JSON into plain values ({@code Map}, {@code List}, {@code String}, {@code Number},
     * {@code Boolean}, null; see {@link JsonCodec#decode(byte[])}) (aiohttp's {@code json()}).
     *
     * @throws InvalidJson when the body is not valid JSON
     */
    public Object json() {
        return codec.decode(body);
    }

    /** Throws {@link ClientResponseError} when {@link #status()} is 400 or more (aiohttp's {@code raise_for_status()}). */
    public void raiseForStatus() {
        if (status >= 400) {
            throw new ClientResponseError(status, url);
        }
    }

    private Charset charset() {
        String type = headers.firstValue("Content-Type").orElse("");
        for (String param : type.split(";")) {
            String p = param.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                String name = p.substring("charset=".length()).strip();
                if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1);
                }
                return Charset.forName(name);
            }
        }
        return StandardCharsets.UTF_8;
    }

    @Override
    public String toString() {
        return "Response[" + status + ", url=" + url + ", bytes=" + body.length + "]";
    }
}
