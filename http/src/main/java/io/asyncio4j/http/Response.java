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
 * <h2>Streamed responses</h2>
 * A response of {@link ClientSession#stream} or {@link ClientSession#requestStreaming} comes back once its
 * headers arrived; its body is read with {@link #stream()} (aiohttp's {@code resp.content}, httpx's
 * {@code aiter_bytes()}), never buffered as a whole, and {@link #bytes()}, {@link #text()} and
 * {@link #json} raise {@link IllegalStateException}. Such a response holds its session slots until
 * {@link #close()}: use try-with-resources.
 * <pre>{@code
 * try (Response r = session.stream("/big.bin"); OutputStream out = Files.newOutputStream(path)) {
 *     r.stream().transferTo(out);
 * }
 * }</pre>
 *
 * <h2>Cancellation</h2>
 * Nothing here waits but a read of a streamed body: it parks the reading task (never the loop), and a
 * cancel of the task makes the read raise {@link io.asyncio4j.CancelledError} and closes the connection;
 * {@link #close()} (in a {@code finally} or try-with-resources) then frees the slots.
 *
 * <h2>Thread-safety</h2>
 * A buffered response is immutable as long as nobody writes into the array {@link #bytes()} returns (the body
 * itself, not a copy); any thread may use it. A streamed
 * body is read by one task at a time, and {@link #close()} must be called by a task of the session's loop.
 */
public final class Response implements AutoCloseable {
    // the status code
    private final int status;
    // the response headers (case-insensitive names)
    private final ResponseHeaders headers;
    // the URL that answered
    private final URI url;
    // from sending the request (after the session's limits let it go) to the end of the body, in ns (a Duration
    // only when asked for: most callers never do)
    private final long elapsedNanos;
    // the whole body
    private final byte[] body;
    // how many times the request was sent (1 + retries)
    private final int attempts;
    // decodes json()
    private final JsonCodec codec;
    // the body stream and slot release of a streamed response, or null when the body was read
    private final Streamed streamed;

    Response(int status, ResponseHeaders headers, URI url, long elapsedNanos, byte[] body, JsonCodec codec) {
        this(status, headers, url, elapsedNanos, body, 1, codec, null);
    }

    /** A streamed response: {@code release} gives the session slots back, once, on {@link #close()}. */
    Response(int status, ResponseHeaders headers, URI url, long elapsedNanos, java.io.InputStream stream, JsonCodec codec) {
        this(status, headers, url, elapsedNanos, null, 1, codec, new Streamed(stream));
    }

    private Response(int status, ResponseHeaders headers, URI url, long elapsedNanos, byte[] body, int attempts,
                     JsonCodec codec, Streamed streamed) {
        this.streamed = streamed;
        this.codec = codec;
        this.attempts = attempts;
        this.status = status;
        this.headers = headers;
        this.url = url;
        this.elapsedNanos = elapsedNanos;
        this.body = body;
    }

    /** The status code (aiohttp's {@code status}). */
    public int status() {
        return status;
    }

    /** The headers; names are case-insensitive, a name may have several values. */
    public HttpHeaders headers() {
        return headers.http();
    }

    /** The first value of header {@code name} (any case), or null; without building {@link #headers()}. */
    String header(String name) {
        return headers.first(name);
    }

    /** The URL that answered: the last one of the redirects followed (aiohttp's {@code url}). */
    public URI url() {
        return url;
    }

    /**
     * How many times the request was sent: 1, plus the retries of the session's {@link Retry}, plus the
     * transport's own resend of an idempotent request on a fresh connection when the kept-alive one it tried
     * had been closed by the server (redirect hops are not counted).
     */
    public int attempts() {
        return attempts;
    }

    /** This response with {@code attempts}. */
    Response withAttempts(int attempts) {
        return attempts == this.attempts ? this : new Response(status, headers, url, elapsedNanos, body, attempts, codec, streamed);
    }

    /**
     * How long the exchange took: from sending the request (after the session's limits let it go) to the
     * last byte of the body (httpx's {@code elapsed}).
     */
    public Duration elapsed() {
        return Duration.ofNanos(elapsedNanos);
    }

    /**
     * The body (aiohttp's {@code read()}, httpx's {@code content}). A {@code gzip} or {@code deflate}
     * {@code Content-Encoding} is already decoded (the header stays as the server sent it); a body in another
     * coding is as sent.
     *
     * <p>The array is the response's own, not a copy (as {@code java.net.http}'s
     * {@code BodyHandlers.ofByteArray()} and OkHttp's {@code bytes()} hand it out): every call returns the
     * same one, and {@link #text()} and {@link #json} read it too. Copy it before changing it, if the
     * response is used afterwards. (A copy would cost as much memory as the body again, on every call.)
     */
    public byte[] bytes() {
        return buffered();
    }

    /**
     * The body decoded with the {@code charset} parameter of {@code Content-Type}, or UTF-8 when there is
     * none (aiohttp's {@code text()}). Malformed input is replaced, never an error.
     *
     * @throws java.nio.charset.UnsupportedCharsetException when the server names a charset this JVM lacks
     * @throws java.nio.charset.IllegalCharsetNameException when the charset name is malformed
     */
    public String text() {
        return new String(buffered(), charset());
    }

    /**
     * The body decoded as JSON into a {@code type} by the session's {@link JsonCodec} (aiohttp's
     * {@code json()}, then a conversion). Unlike aiohttp, {@code Content-Type} is not checked.
     *
     * @throws InvalidJson when the body is not valid JSON or does not fit {@code type}
     */
    public <T> T json(Class<T> type) {
        return codec.decode(buffered(), type);
    }

    /**
     * The body decoded as JSON into plain values ({@code Map}, {@code List}, {@code String}, {@code Number},
     * {@code Boolean}, null; see {@link JsonCodec#decode(byte[])}) (aiohttp's {@code json()}).
     *
     * @throws InvalidJson when the body is not valid JSON
     */
    public Object json() {
        return codec.decode(buffered());
    }

    /** Throws {@link ClientResponseError} when {@link #status()} is 400 or more (aiohttp's {@code raise_for_status()}). */
    public void raiseForStatus() {
        if (status >= 400) {
            throw new ClientResponseError(status, url);
        }
    }

    /**
     * The body as a stream. For a streamed response: the body as it arrives, decoded from gzip or deflate,
     * capped by the session's {@code maxBodySize} as a buffered body is (the read that passes it raises
     * {@link BodyTooLarge}; the caller holds one chunk at a time), each read waiting at most the session's
     * {@code sockRead} for data ({@link ClientTimeoutError}); a broken connection raises
     * {@link ClientConnectionError}. The total
     * timeout covers a streamed request only up to its headers. Every call returns the same stream. For a
     * buffered response: a new stream over the body.
     */
    public java.io.InputStream stream() {
        return streamed != null ? streamed.body : new java.io.ByteArrayInputStream(body);
    }

    /**
     * For a streamed response: stops reading the body (the connection is closed unless the body was read to
     * its end) and gives the session slots back. Idempotent. Nothing to do for a buffered response.
     */
    @Override
    public void close() {
        if (streamed != null) {
            streamed.close();
        }
    }

    /** Sets what {@link #close()} runs once to give the slots back (streamed responses only). */
    Response onClose(Runnable release) {
        streamed.release = release;
        return this;
    }

    private byte[] buffered() {
        if (streamed != null) {
            throw new IllegalStateException("the body of a streamed response is read with stream()");
        }
        return body;
    }

    private Charset charset() {
        String type = headers.first("Content-Type");
        if (type == null) {
            return StandardCharsets.UTF_8;
        }
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
        return "Response[" + status + ", url=" + url + ", " + (streamed != null ? "streamed" : "bytes=" + body.length) + "]";
    }

    /** The shared state of a streamed response and its copies of {@link #withAttempts}. */
    private static final class Streamed {
        final java.io.InputStream body;
        Runnable release;
        boolean closed;

        Streamed(java.io.InputStream body) {
            this.body = body;
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                body.close();
            } catch (java.io.IOException ignored) {
                // the transports' streams do not throw on close
            }
            if (release != null) {
                release.run();
            }
        }
    }
}
