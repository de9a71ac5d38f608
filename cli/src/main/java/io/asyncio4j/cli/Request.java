package io.asyncio4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request as {@link LocalServer} reads it: request line, headers (names lower-cased, repeated
 * headers joined with {@code ", "}) and a {@code Content-Length} body of at most {@link #MAX_BODY} bytes.
 *
 * <p>Limits: request line and header lines up to 8 KiB, 100 headers, no chunked request bodies. A request
 * breaking them is a {@link BadRequest}, answered with its status (400, or 413 for a body over 1 MiB) and
 * then the connection is closed.
 */
record Request(String method, String target, String version, Map<String, String> headers, byte[] body) {

    /** The largest request body read: 1 MiB. */
    static final int MAX_BODY = 1 << 20;

    private static final int MAX_LINE = 8192;
    private static final int MAX_HEADERS = 100;

    /** The target without its query. */
    String path() {
        int q = target.indexOf('?');
        return q >= 0 ? target.substring(0, q) : target;
    }

    /** The query parameters, URL-decoded, in order; a repeated name keeps its last value. */
    Map<String, String> query() {
        int q = target.indexOf('?');
        if (q < 0) {
            return Map.of();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : target.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq >= 0 ? pair.substring(0, eq) : pair;
            String value = eq >= 0 ? pair.substring(eq + 1) : "";
            params.put(decode(name), decode(value));
        }
        return Collections.unmodifiableMap(params);
    }

    /** Whether the connection stays open after the answer (HTTP/1.1 default; HTTP/1.0 only if asked). */
    boolean keepAlive() {
        String c = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        if (version.equals("HTTP/1.0")) {
            return c.contains("keep-alive");
        }
        return !c.contains("close");
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** A request the server will not serve: answered with {@link #status}, then the connection closes. */
    static final class BadRequest extends IOException {
        final int status;
        // the body bytes the client still sends after the head (413: its Content-Length), to read and drop
        final long unread;

        BadRequest(String message) {
            this(400, message, 0);
        }

        BadRequest(int status, String message, long unread) {
            super(message);
            this.status = status;
            this.unread = unread;
        }
    }

    /** Reads one request (head, then its Content-Length body); null at a clean end of stream. */
    static Request read(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null) {
            return null;
        }
        while (line.isEmpty()) { // tolerate blank lines between requests (RFC 9112 §2.2)
            line = readLine(in);
            if (line == null) {
                return null;
            }
        }
        String[] start = line.split(" ");
        if (start.length != 3 || !start[2].startsWith("HTTP/1.")) {
            throw new BadRequest("bad request line");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int count = 0; ; count++) {
            String h = readLine(in);
            if (h == null) {
                throw new BadRequest("request head cut short");
            }
            if (h.isEmpty()) {
                break;
            }
            if (count >= MAX_HEADERS) {
                throw new BadRequest("too many headers");
            }
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new BadRequest("bad header line");
            }
            String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).strip();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        if (headers.containsKey("transfer-encoding")) {
            throw new BadRequest("chunked request bodies are not supported");
        }
        int length = contentLength(headers.get("content-length"));
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new BadRequest("request body cut short");
        }
        return new Request(start[0], start[1], start[2], Collections.unmodifiableMap(headers), body);
    }

    private static int contentLength(String value) throws BadRequest {
        if (value == null) {
            return 0;
        }
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new BadRequest("bad Content-Length");
        }
        if (n < 0) {
            throw new BadRequest("bad Content-Length");
        }
        if (n > MAX_BODY) {
            throw new BadRequest(413, "request body of " + n + " bytes is over the limit of " + MAX_BODY, n);
        }
        return (int) n;
    }

    /** A CRLF- (or LF-) terminated ISO-8859-1 line without its terminator; null at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (b.size() == 0) {
                    return null;
                }
                throw new BadRequest("request cut short");
            }
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (b.size() >= MAX_LINE) {
                throw new BadRequest("line too long");
            }
            b.write(c);
        }
    }
}
