package io.asyncio4j.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link TestServer} sends for one request: a well-formed HTTP/1.1 response built from a status,
 * headers and a body, or bytes written exactly as given ({@link #raw}), with an optional fault: a delay
 * before the first byte, then a reset, a close or a stall after so many bytes.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * server.enqueue(Reply.ok("hello"));                                  // 200, Content-Length: 5
 * server.enqueue(Reply.status(503).header("Retry-After", "1"));       // empty body
 * server.enqueue(Reply.ok("0123456789").chunked(4));                  // Transfer-Encoding: chunked, 4-byte chunks
 * server.enqueue(Reply.raw("HTTP/1.1 abc\r\n\r\n"));                  // a malformed status line
 * server.enqueue(Reply.ok("x".repeat(100)).truncateAfter(60));        // head, part of the body, then FIN
 * server.enqueue(Reply.reset());                                      // RST as soon as the request is read
 * server.enqueue(Reply.stall());                                      // silence until the client gives up
 * server.enqueue(Reply.ok("late").delay(Duration.ofMillis(200)));     // slow headers
 * }</pre>
 *
 * <h2>Connection after the reply</h2>
 * The server reads the next request on the same connection unless the reply has a fault, {@link #closeAfter()}
 * was called, or its head says {@code Connection: close}. A built reply to a {@code HEAD} request goes out
 * without its body (its {@code Content-Length} stays); a raw one goes out as given.
 *
 * <h2>Fault byte counts</h2>
 * {@link #resetAfter}, {@link #truncateAfter} and {@link #stallAfter} count the bytes of the whole reply,
 * head included. A count at or beyond its end ({@code Long.MAX_VALUE}) sends all of it first: {@code
 * Reply.raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789").stallAfter(Long.MAX_VALUE)} stalls
 * mid-body, and {@code Reply.ok("x").truncateAfter(Long.MAX_VALUE)} closes a connection the reply did not
 * announce as closing, so a keep-alive client finds it dead when it reuses it.
 *
 * <h2>Thread-safety</h2>
 * A reply is built by the test, then handed to the server ({@link TestServer#enqueue}, or returned by a
 * {@link TestServer.Dispatcher}); do not change it after that. The server only reads it.
 */
public final class Reply {
    /** What happens after {@link #faultAfter()} bytes of the reply went out. */
    public enum Fault {
        /** Nothing: the whole reply goes out. */
        NONE,
        /** The connection is reset (RST). */
        RESET,
        /** The connection is closed (FIN). */
        TRUNCATE,
        /** Silence until the client gives up. */
        STALL
    }

    private final int status;
    private final String reason;
    private final byte[] raw;
    private final List<String> headers = new ArrayList<>(); // name, value, name, value…
    private byte[] body = new byte[0];
    private int chunkSize; // > 0: Transfer-Encoding: chunked
    private boolean contentLength = true;
    private Duration delay = Duration.ZERO;
    private boolean closeAfter;
    private boolean beforeRequestBody;
    Fault fault = Fault.NONE;
    long faultAfter;

    private Reply(int status, String reason, byte[] raw) {
        this.status = status;
        this.reason = reason;
        this.raw = raw;
    }

    /** A response with {@code status}, its usual reason phrase and an empty body. */
    public static Reply status(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("Reply.status needs a three-digit status, got " + status);
        }
        return new Reply(status, reasonOf(status), null);
    }

    /** A response with {@code status} and the given reason phrase ("" for none: "HTTP/1.1 200 \r\n"). */
    public static Reply status(int status, String reason) {
        Reply r = status(status);
        return new Reply(r.status, Objects.requireNonNull(reason, "reason"), null);
    }

    /** 200 with {@code body} in UTF-8 as {@code text/plain; charset=utf-8}. */
    public static Reply ok(String body) {
        return status(200).header("Content-Type", "text/plain; charset=utf-8").body(body);
    }

    /** Exactly these bytes (ISO-8859-1), however malformed: several responses, a broken status, anything. */
    public static Reply raw(String bytes) {
        return new Reply(0, null, bytes.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Exactly these bytes. */
    public static Reply raw(byte[] bytes) {
        return new Reply(0, null, bytes.clone());
    }

    /** A reset (RST, not FIN) as soon as the request is read, without a byte of response. */
    public static Reply reset() {
        return raw("").resetAfter(0);
    }

    /** A close (FIN) as soon as the request is read, without a byte of response. */
    public static Reply hangUp() {
        return raw("").truncateAfter(0);
    }

    /** No response at all: the server stays silent until the client closes the connection. */
    public static Reply stall() {
        return raw("").stallAfter(0);
    }

    /** Adds a header line (repeat the name for a repeated header). Not for {@link #raw} replies. */
    public Reply header(String name, String value) {
        ensureNotRaw("header");
        headers.add(name);
        headers.add(value);
        return this;
    }

    /** The body, in UTF-8; {@code Content-Length} is added unless the body is {@link #chunked}. */
    public Reply body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The body; {@code Content-Length} is added unless the body is {@link #chunked}. */
    public Reply body(byte[] bytes) {
        ensureNotRaw("body");
        body = bytes.clone();
        return this;
    }

    /** Sends the body as {@code Transfer-Encoding: chunked}, in chunks of at most {@code size} bytes. */
    public Reply chunked(int size) {
        ensureNotRaw("chunked");
        if (size <= 0) {
            throw new IllegalArgumentException("Reply.chunked needs a positive chunk size, got " + size);
        }
        chunkSize = size;
        return this;
    }

    /** No {@code Content-Length}: the body ends when the server closes the connection (implies {@link #closeAfter}). */
    public Reply untilClose() {
        ensureNotRaw("untilClose");
        contentLength = false;
        closeAfter = true;
        return this;
    }

    /** Waits {@code delay} (real time) after reading the request, before the first byte: slow headers. */
    public Reply delay(Duration delay) {
        this.delay = Objects.requireNonNull(delay, "delay");
        return this;
    }

    /** Closes the connection (FIN) after the reply. */
    public Reply closeAfter() {
        closeAfter = true;
        return this;
    }

    /**
     * Answers as soon as the request head is read, before its body; the body is then read (and recorded) after
     * the reply went out. Only for replies taken from the queue ({@link TestServer#enqueue}).
     */
    public Reply beforeRequestBody() {
        beforeRequestBody = true;
        return this;
    }

    /** Writes the first {@code bytes} bytes of the reply, then resets the connection (RST). */
    public Reply resetAfter(long bytes) {
        return fault(Fault.RESET, bytes);
    }

    /** Writes the first {@code bytes} bytes of the reply, then closes the connection (FIN). */
    public Reply truncateAfter(long bytes) {
        return fault(Fault.TRUNCATE, bytes);
    }

    /** Writes the first {@code bytes} bytes of the reply, then stays silent until the client closes. */
    public Reply stallAfter(long bytes) {
        return fault(Fault.STALL, bytes);
    }

    private Reply fault(Fault f, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a fault needs a byte count >= 0, got " + bytes);
        }
        fault = f;
        faultAfter = bytes;
        return this;
    }

    private void ensureNotRaw(String what) {
        if (raw != null) {
            throw new IllegalStateException("Reply." + what + " cannot change a raw reply: put it in the bytes");
        }
    }

    /*
     * The reply as its sender sees it: the bytes, the delay before them and the fault after some of them. A
     * TestServer writes them to a socket; an in-memory stand-in for a server (a client's test transport on
     * virtual time) hands them to the client's parser directly.
     */

    /** The wait after reading the request, before the first byte ({@link #delay(Duration)}; zero by default). */
    public Duration delay() {
        return delay;
    }

    /** The fault after {@link #faultAfter()} bytes, {@link Fault#NONE} by default. */
    public Fault fault() {
        return fault;
    }

    /** How many bytes of the reply go out before its {@link #fault()}. */
    public long faultAfter() {
        return faultAfter;
    }

    boolean answersBeforeRequestBody() {
        return beforeRequestBody;
    }

    /** Whether the server closes the connection after this reply, {@code encoded} (a fault always ends it). */
    boolean closes(byte[] encoded) {
        if (closeAfter || fault != Fault.NONE) {
            return true;
        }
        String head = new String(encoded, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        int end = head.indexOf("\r\n\r\n");
        return (end < 0 ? head : head.substring(0, end)).contains("\r\nconnection: close");
    }

    /** The bytes of the whole reply; for a HEAD request ({@code head}) a built reply leaves its body out. */
    public byte[] encode(boolean head) {
        if (raw != null) {
            return raw;
        }
        StringBuilder text = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        boolean lengthGiven = false;
        for (int i = 0; i < headers.size(); i += 2) {
            lengthGiven |= headers.get(i).equalsIgnoreCase("Content-Length");
            text.append(headers.get(i)).append(": ").append(headers.get(i + 1)).append("\r\n");
        }
        if (chunkSize > 0) {
            text.append("Transfer-Encoding: chunked\r\n");
        } else if (contentLength && !lengthGiven && bodyAllowed()) {
            text.append("Content-Length: ").append(body.length).append("\r\n");
        }
        if (closeAfter) {
            text.append("Connection: close\r\n");
        }
        text.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + body.length + 32);
        out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
        if (head) {
            return out.toByteArray();
        }
        if (chunkSize > 0) {
            for (int at = 0; at < body.length; at += chunkSize) {
                int n = Math.min(chunkSize, body.length - at);
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, at, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private boolean bodyAllowed() {
        return status >= 200 && status != 204 && status != 304;
    }

    private static String reasonOf(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }

    @Override
    public String toString() {
        return raw != null ? "Reply.raw(" + raw.length + " bytes)" : "Reply(" + status + " " + reason + ")";
    }
}
