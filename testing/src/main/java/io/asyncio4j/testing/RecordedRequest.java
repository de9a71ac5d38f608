package io.asyncio4j.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as a {@link TestServer} read it off the wire: the head exactly as sent, the parsed request line
 * and headers, and the body (read by {@code Content-Length} or {@code chunked}).
 *
 * @param head       the request head as sent, request line to blank line included, in ISO-8859-1
 * @param method     the method, such as {@code GET}
 * @param target     the request target, such as {@code /a?x=1} (or an absolute URL through a proxy)
 * @param headers    the headers, names in lower case, values in the order sent
 * @param body       the body's bytes (empty when there is none)
 * @param connection the 0-based number of the connection it came on, in accept order
 * @param sequence   the 0-based number of the request on its connection (0 for a fresh connection)
 * @param nanoTime   {@link System#nanoTime()} when its head had been read
 */
public record RecordedRequest(String head, String method, String target, Map<String, List<String>> headers,
                              byte[] body, int connection, int sequence, long nanoTime) {

    /** The request line, such as {@code GET /a HTTP/1.1}. */
    public String requestLine() {
        int eol = head.indexOf("\r\n");
        return eol < 0 ? head : head.substring(0, eol);
    }

    /** The target without its query, such as {@code /a}. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The first value of header {@code name} (any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? null : values.getFirst();
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return requestLine() + " (connection " + connection + ", request " + sequence + ")";
    }
}
