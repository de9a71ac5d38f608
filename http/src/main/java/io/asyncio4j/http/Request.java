package io.asyncio4j.http;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One request as {@link ClientSession} hands it to its {@link Transport}: the method, the absolute http(s)
 * URL, the headers (names in lower case, the session's defaults already merged) and the body (null: none).
 * Immutable by convention: the session never changes the map after it built the request.
 *
 * @param method  the method, as given (a token)
 * @param uri     the absolute http or https URL
 * @param origin  {@code scheme://host:port} of the URL, lower case, the default port filled in
 * @param headers the header names (lower case) and values
 * @param body    the body, or null
 */
record Request(String method, URI uri, String origin, Map<String, String> headers, byte[] body) {
    // the names the JDK HttpClient refuses to take from the caller (it sets them itself); the socket transport
    // refuses the same ones, so a request fails the same way on both transports
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    /** Whether repeating the request cannot change more than sending it once did (RFC 9110 §9.2.2). */
    boolean idempotent() {
        return switch (method.toUpperCase(Locale.ROOT)) {
            case "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE" -> true;
            default -> false;
        };
    }

    /**
     * Checks {@code method} and the headers as the JDK's {@code HttpRequest.Builder} does: the method and the
     * names are tokens, {@code CONNECT} and the restricted names are refused, values have no CR, LF or NUL.
     *
     * @throws IllegalArgumentException naming the method or header refused
     */
    static void validate(String method, Map<String, String> headers) {
        validateMethod(method);
        validateHeaders(headers);
    }

    /** The method part of {@link #validate}. */
    static void validateMethod(String method) {
        if (!isToken(method)) {
            throw new IllegalArgumentException("illegal method \"" + method + "\"");
        }
        if (method.equalsIgnoreCase("CONNECT")) {
            throw new IllegalArgumentException("method CONNECT is not supported");
        }
    }

    /** The headers part of {@link #validate}. */
    static void validateHeaders(Map<String, String> headers) {
        headers.forEach((name, value) -> {
            if (!isToken(name)) {
                throw new IllegalArgumentException("invalid header name: \"" + name + "\"");
            }
            if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("restricted header name: \"" + name + "\"");
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n' || c == 0 || c > 0xFF) {
                    throw new IllegalArgumentException("invalid header value for header \"" + name + "\"");
                }
            }
        });
    }

    /** RFC 9110 token: one or more of the visible ASCII characters but the delimiters. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
