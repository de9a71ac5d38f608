package io.asyncio4j.http;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One request as it goes down a {@link ClientSession}'s chain of {@link Interceptor}s to the wire: the method,
 * the absolute http(s) URL, the headers (names in lower case, the session's default headers already merged)
 * and the body (null: none). An interceptor that wants to send something else makes a changed copy with the
 * {@code with...} methods and passes it to {@link Interceptor.Chain#proceed}; the copy is checked as the
 * session checks what a caller gives it, so no interceptor can put a CR or LF on the wire.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Interceptor auth = chain -> chain.proceed(chain.request().withHeader("Authorization", "Bearer " + token()));
 * }</pre>
 *
 * <h2>Thread-safety</h2>
 * Immutable (the body array is not copied: do not change it after handing it over); any thread.
 */
public final class Request {
    // the names the JDK HttpClient refuses to take from the caller (it sets them itself); the socket transport
    // refuses the same ones, so a request fails the same way on both transports
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    // all final: the request is immutable
    private final String method;
    private final URI uri;
    private final String origin;
    private final Map<String, String> headers;
    private final byte[] body;

    /** A request whose parts the session has checked already; {@code headers} is not copied. */
    Request(String method, URI uri, String origin, Map<String, String> headers, byte[] body) {
        this.method = method;
        this.uri = uri;
        this.origin = origin;
        this.headers = Collections.unmodifiableMap(headers); // no copy; the session's defaults are unmodifiable already
        this.body = body;
    }

    /**
     * A request of {@code method} to the absolute http(s) {@code url}, without headers or body (a session adds
     * its default headers when it sends it: {@link ClientSession#request(Request)}).
     *
     * @throws InvalidUrl               when {@code url} is malformed (a space, CR or LF in it, say), not
     *                                  absolute, not http(s), has no host or a port above 65535
     * @throws IllegalArgumentException when {@code method} is not a token or is {@code CONNECT}
     */
    public static Request of(String method, String url) {
        Objects.requireNonNull(url, "url");
        validateMethod(Objects.requireNonNull(method, "method"));
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new InvalidUrl("invalid URL '" + escape(url) + "': " + escape(e.getMessage()), e);
        }
        checkHttp(uri, url);
        return new Request(method, uri, originOf(uri), Map.of(), null);
    }

    /** The method, as given (a token, such as {@code GET}). */
    public String method() {
        return method;
    }

    /** The absolute http or https URL. */
    public URI uri() {
        return uri;
    }

    /** The headers: names in lower case, unmodifiable. */
    public Map<String, String> headers() {
        return Collections.unmodifiableMap(headers);
    }

    /** The first value of header {@code name} (any case), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The body (not a copy), or null when there is none. */
    public byte[] body() {
        return body;
    }

    /**
     * This request with header {@code name} set to {@code value} (replacing a value of the same name, in any case).
     *
     * @throws IllegalArgumentException naming the header when the name is not a token, is one the client sets
     *                                  itself ({@code Host}, {@code Content-Length}, ...), or the value holds a
     *                                  CR, LF or NUL
     */
    public Request withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        validateHeader(name, value);
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name.toLowerCase(Locale.ROOT), value);
        return new Request(method, uri, origin, h, body);
    }

    /** This request without header {@code name} (any case). */
    public Request withoutHeader(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (!headers.containsKey(key)) {
            return this;
        }
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.remove(key);
        return new Request(method, uri, origin, h, body);
    }

    /**
     * This request with method {@code method}.
     *
     * @throws IllegalArgumentException when it is not a token (a CR, LF or space in it) or is {@code CONNECT}
     */
    public Request withMethod(String method) {
        validateMethod(Objects.requireNonNull(method, "method"));
        return new Request(method, uri, origin, headers, body);
    }

    /**
     * This request sent to {@code url} instead (an absolute http or https URL).
     *
     * @throws InvalidUrl when {@code url} is not an absolute http(s) URL with a host and a valid port
     */
    public Request withUri(URI url) {
        checkHttp(Objects.requireNonNull(url, "url"), url.toString());
        return new Request(method, url, originOf(url), headers, body);
    }

    /** This request with {@code body} (null: none). */
    public Request withBody(byte[] body) {
        return new Request(method, uri, origin, headers, body);
    }

    /** {@code scheme://host:port} of the URL, lower case, the default port filled in. */
    String origin() {
        return origin;
    }

    /** {@code scheme://host:port} of {@code uri} (an http(s) URL with a host), lower case, the default port filled in. */
    static String originOf(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    /**
     * Checks that {@code uri} (written {@code original} by the user) is an absolute http(s) URL with a host
     * and a port from 1 to 65535.
     *
     * @throws InvalidUrl saying which of these it is not
     */
    static void checkHttp(URI uri, String original) {
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        String problem = null;
        if (scheme == null) {
            problem = original.contains("://") || original.startsWith("/")
                    ? "no scheme, and no base URL to resolve it against"
                    : "no scheme (did you mean https://" + escape(original) + " ?)";
        } else if (!scheme.equals("http") && !scheme.equals("https")) {
            problem = "scheme '" + scheme + "' is not http or https";
        } else if (uri.getHost() == null) {
            problem = uri.getRawAuthority() != null && uri.getPort() == -1 && uri.getRawAuthority().matches(".*:\\d+")
                    ? "port out of range (1 to 65535)" : "no host";
        } else if (uri.getPort() == 0 || uri.getPort() > 65535) {
            problem = "port " + uri.getPort() + " out of range (1 to 65535)";
        }
        if (problem != null) {
            throw new InvalidUrl("invalid URL '" + escape(original) + "': " + problem);
        }
    }

    /** Whether repeating the request cannot change more than sending it once did (RFC 9110 §9.2.2). */
    boolean idempotent() {
        return idempotent(method) || idempotent(method.toUpperCase(Locale.ROOT)); // as given first: no copy
    }

    private static boolean idempotent(String upperCase) {
        return switch (upperCase) {
            case "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE" -> true;
            default -> false;
        };
    }

    @Override
    public String toString() {
        return method + " " + uri;
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
        switch (method) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE" -> {
                return; // the usual ones (every request of the session's shortcuts): no scan
            }
            default -> {
            }
        }
        if (!isToken(method)) {
            throw new IllegalArgumentException("illegal method \"" + escape(method) + "\"");
        }
        if (method.equalsIgnoreCase("CONNECT")) {
            throw new IllegalArgumentException("method CONNECT is not supported");
        }
    }

    /** The headers part of {@link #validate}. */
    static void validateHeaders(Map<String, String> headers) {
        headers.forEach(Request::validateHeader);
    }

    private static void validateHeader(String name, String value) {
        if (!isToken(name)) {
            throw new IllegalArgumentException("invalid header name: \"" + escape(name) + "\"");
        }
        if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("restricted header name: \"" + name + "\"");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xFF) {
                throw new IllegalArgumentException("invalid header value for header \"" + name + "\": \""
                        + escape(value) + "\" (CR, LF, NUL and characters above U+00FF cannot be sent)");
            }
        }
    }

    /** {@code s} with CR, LF, tab and the other control characters written as {@code \r}, {@code \n}, {@code \t}, {@code \}{@code u0000}. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
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
