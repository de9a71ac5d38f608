package io.asyncio4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One answer of {@link LocalServer}: status, content type, body length and how to write the body (so
 * {@code /bytes/{n}} need not hold its body), extra header lines, and the response head it gets.
 *
 * @param extraHead header lines beyond the standard ones, each ending with CR LF ("" for none)
 */
record Reply(int status, String contentType, long length, BodyWriter body, String extraHead) {

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(200, "OK"), Map.entry(201, "Created"), Map.entry(202, "Accepted"),
            Map.entry(204, "No Content"), Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"),
            Map.entry(304, "Not Modified"), Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"),
            Map.entry(408, "Request Timeout"), Map.entry(413, "Content Too Large"),
            Map.entry(418, "I'm a teapot"), Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"), Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));

    /** Writes a body of the given length. */
    @FunctionalInterface
    interface BodyWriter {
        void write(OutputStream out, long length) throws IOException;
    }

    /** An answer without extra headers whose body {@code body} writes. */
    Reply(int status, String contentType, long length, BodyWriter body) {
        this(status, contentType, length, body, "");
    }

    /** A redirect ({@code 301}, {@code 302}, ...) to {@code location}, with a short text body. */
    static Reply redirect(int status, String location) {
        byte[] bytes = utf8("see " + location + "\n");
        return new Reply(status, "text/plain; charset=utf-8", bytes.length,
                (out, n) -> out.write(bytes, 0, (int) n), "Location: " + location + "\r\n");
    }

    /** An answer with a body held in memory. */
    Reply(int status, String contentType, byte[] bytes) {
        this(status, contentType, bytes.length, (out, n) -> out.write(bytes, 0, (int) n));
    }

    /** This answer with one more header line; {@code value} must hold no CR or LF. */
    Reply withHeader(String name, String value) {
        return new Reply(status, contentType, length, body, extraHead + name + ": " + value + "\r\n");
    }

    /** A {@code text/plain} answer. */
    static Reply text(int status, String body) {
        return new Reply(status, "text/plain; charset=utf-8", utf8(body));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The reason phrase of a status, "Status NNN" for one without a common phrase. */
    static String reason(int code) {
        return REASONS.getOrDefault(code, "Status " + code);
    }

    /** 204 and 304 answers have neither a body nor Content-Type and Content-Length. */
    boolean hasBody() {
        return status != 204 && status != 304;
    }

    /** The status line and headers, ending with the blank line. */
    byte[] head(boolean keepAlive) {
        StringBuilder h = new StringBuilder(160);
        h.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        h.append("Server: asyncio4j\r\n").append(extraHead);
        if (hasBody()) {
            h.append("Content-Type: ").append(contentType).append("\r\n");
            h.append("Content-Length: ").append(length).append("\r\n");
        }
        h.append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n\r\n");
        return h.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
