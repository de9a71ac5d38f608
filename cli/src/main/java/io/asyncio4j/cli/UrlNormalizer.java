package io.asyncio4j.cli;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the URLs a crawler meets (start URLs, {@code href}s, redirect targets, sitemap entries) into one
 * canonical spelling, so that two spellings of one resource are fetched once.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * UrlNormalizer n = new UrlNormalizer(List.of("utm_*"), false);
 * n.normalize("HTTP://Example.COM:80/a/./b/../c?utm_source=x#top");   // "http://example.com/a/c"
 * n.resolve("http://example.com/a/b", "../c?x=%7e");                  // Optional["http://example.com/c?x=~"]
 * }</pre>
 *
 * <h2>What is normalised (RFC 3986, sections 5.2 and 6.2.2)</h2>
 * <ul>
 *   <li>scheme and host are lower-cased; an internationalised host becomes its ASCII (punycode) form;
 *   <li>the scheme's default port ({@code :80} for http, {@code :443} for https) is removed;
 *   <li>dot segments ({@code .} and {@code ..}) are removed as in RFC 3986 section 5.2.4, and an empty
 *       path becomes {@code /};
 *   <li>the fragment is dropped (it never reaches the server);
 *   <li>percent-encoding: an escape of an unreserved character ({@code A-Z a-z 0-9 - . _ ~}) is decoded,
 *       other escapes get upper-case hex digits, and characters not allowed in a URL (spaces, non-ASCII,
 *       a stray {@code %}) are encoded as UTF-8;
 *   <li>optionally, query parameters whose name matches one of the strip patterns ({@code *} is any run
 *       of characters) are removed, and the remaining parameters sorted by name.
 * </ul>
 * Only {@code http} and {@code https} URLs with a host are accepted: anything else ({@code mailto:},
 * {@code javascript:}, a malformed URL) is refused, by {@link #normalize} with an
 * {@link IllegalArgumentException} whose message names the URL, by {@link #resolve} with an empty result.
 *
 * <h2>Thread-safety</h2>
 * Immutable; safe to share between tasks and threads.
 */
final class UrlNormalizer {

    /* Implementation overview
     *
     * The reference is first made parseable (characters a URI may not contain are percent-encoded), then
     * resolved against its base with java.net.URI, except for the two relative forms where URI.resolve
     * follows RFC 2396 rather than RFC 3986 (an empty reference and a query-only reference), which are
     * resolved here. The absolute result is then rebuilt from its raw components, each normalised on its
     * own: that way an escaped delimiter such as %2F in a path stays escaped (decoding it would change the
     * resource), while an escaped unreserved character is decoded.
     */

    private static final String UNRESERVED_PUNCTUATION = "-._~";
    /** Characters that may appear unescaped in a path, query or user info (RFC 3986 pchar plus / and ?). */
    private static final String ALLOWED_PUNCTUATION = UNRESERVED_PUNCTUATION + "!$&'()*+,;=:@/?";

    /** An absolute or network-path reference's host (group 1), after any user info. */
    private static final Pattern AUTHORITY = Pattern.compile("^(?:[A-Za-z][A-Za-z0-9+.-]*:)?//(?:[^/?#@]*@)?([^/?#:]*)");

    private final List<Pattern> stripQueryParams;
    private final boolean sortQuery;

    /**
     * @param stripQueryParams names (with {@code *} as a wildcard) of query parameters to remove, such as
     *                         {@code utm_*}; empty for none
     * @param sortQuery        whether the remaining query parameters are sorted by name (stable, so
     *                         repeated names keep their order)
     */
    UrlNormalizer(List<String> stripQueryParams, boolean sortQuery) {
        this.stripQueryParams = stripQueryParams.stream().map(UrlNormalizer::globToPattern).toList();
        this.sortQuery = sortQuery;
    }

    /** The normaliser a crawl uses when no option changes it: nothing stripped, query order kept. */
    static UrlNormalizer standard() {
        return new UrlNormalizer(List.of(), false);
    }

    /**
     * The canonical form of an absolute http(s) URL.
     *
     * @throws IllegalArgumentException if {@code url} is not an absolute http or https URL with a host
     */
    String normalize(String url) {
        return resolve(null, url).orElseThrow(() -> new IllegalArgumentException(
                "'" + url + "' is not an http or https URL (example: https://example.com/)"));
    }

    /**
     * The canonical form of {@code reference} resolved against {@code base} (itself absolute), or empty if
     * the result is not an http(s) URL with a host or cannot be parsed.
     *
     * @param base      the URL of the document the reference was found in (after any {@code <base href>}),
     *                  or {@code null} when {@code reference} must be absolute
     * @param reference an absolute or relative URL reference, as written in the document
     */
    Optional<String> resolve(String base, String reference) {
        try {
            return Optional.ofNullable(resolveAgainst(base == null ? null : parse(base), reference));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The canonical forms of {@code references} (found in one document) resolved against {@code base},
     * each once, in the order first met; those that are not http(s) URLs, or cannot be parsed, are left out.
     * The same as {@link #resolve} for each, but the base is parsed once and a reference that differs from
     * an earlier one only by its fragment (a page's many {@code #section} links) is not resolved again.
     */
    List<String> resolveAll(String base, List<String> references) {
        URI parsedBase;
        try {
            parsedBase = parse(base);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return List.of();
        }
        Set<String> refs = new LinkedHashSet<>();
        for (String ref : references) {
            String r = ref.strip();
            int hash = r.indexOf('#');
            refs.add(hash < 0 ? r : r.substring(0, hash));
        }
        Set<String> out = new LinkedHashSet<>();
        for (String ref : refs) {
            try {
                String url = resolveAgainst(parsedBase, ref);
                if (url != null) {
                    out.add(url);
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                // not a URL: left out
            }
        }
        return List.copyOf(out);
    }

    private static URI parse(String url) throws URISyntaxException {
        return new URI(escapeIllegal(asciiHost(url.strip())));
    }

    /** The canonical form of {@code reference} against a parsed base (or none), null when not http(s). */
    private String resolveAgainst(URI base, String reference) throws URISyntaxException {
        URI ref = parse(reference);
        return canonical(base == null ? ref : resolveReference(base, ref));
    }

    private static URI resolveReference(URI base, URI ref) throws URISyntaxException {
        if (ref.isAbsolute() || ref.getRawAuthority() != null) {
            return base.resolve(ref);
        }
        String rawPath = ref.getRawPath() == null ? "" : ref.getRawPath();
        if (rawPath.isEmpty()) {
            // "" keeps the base's path and query; "?q" keeps its path and replaces the query (RFC 3986
            // section 5.2.2), where URI.resolve would drop the base's last segment.
            String query = ref.getRawQuery() != null ? ref.getRawQuery() : base.getRawQuery();
            return new URI(base.getScheme() + "://" + base.getRawAuthority() + nonEmptyPath(base.getRawPath())
                    + (query == null ? "" : "?" + query));
        }
        // An authority with an empty path ("http://a") resolves "b" to "http://ab" in URI.resolve: give it "/".
        if (base.getRawAuthority() != null && (base.getRawPath() == null || base.getRawPath().isEmpty())) {
            base = new URI(base.getScheme() + "://" + base.getRawAuthority() + "/");
        }
        return base.resolve(ref);
    }

    /** The normalised string of an absolute URI, or null if it is not http(s) with a host. */
    private String canonical(URI uri) {
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getRawAuthority() == null) {
            return null;
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return null;
        }
        if (!isAscii(host)) {   // IDN's conversion is costly and returns an ASCII host as it is
            host = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;

        StringBuilder out = new StringBuilder(scheme).append("://");
        if (uri.getRawUserInfo() != null) {
            out.append(normalizePercent(uri.getRawUserInfo())).append('@');
        }
        out.append(host);
        if (!defaultPort) {
            out.append(':').append(port);
        }
        out.append(removeDotSegments(nonEmptyPath(normalizePercent(uri.getRawPath()))));
        String query = uri.getRawQuery() == null ? null : normalizeQuery(normalizePercent(uri.getRawQuery()));
        if (query != null) {
            out.append('?').append(query);
        }
        return out.toString();
    }

    private String normalizeQuery(String query) {
        if (stripQueryParams.isEmpty() && !sortQuery) {
            return query;
        }
        List<String> kept = new ArrayList<>();
        for (String param : query.split("&", -1)) {
            String name = param.split("=", 2)[0];
            if (!param.isEmpty() && stripQueryParams.stream().noneMatch(p -> p.matcher(name).matches())) {
                kept.add(param);
            }
        }
        if (sortQuery) {
            kept.sort((a, b) -> a.split("=", 2)[0].compareTo(b.split("=", 2)[0]));
        }
        return kept.isEmpty() ? null : String.join("&", kept);
    }

    private static String nonEmptyPath(String rawPath) {
        return rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
    }

    /** RFC 3986 section 5.2.4, for an absolute path: "." and ".." segments go, ".." above the root is dropped. */
    static String removeDotSegments(String path) {
        if (!path.contains("/.")) {
            return path; // no segment starts with a dot: nothing to remove
        }
        List<String> out = new ArrayList<>();
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.equals(".") || s.equals("..")) {
                if (s.equals("..") && !out.isEmpty()) {
                    out.removeLast();
                }
                if (last) {
                    out.add("");   // "/a/b/.." is the directory "/a/", not "/a"
                }
            } else {
                out.add(s);
            }
        }
        return "/" + String.join("/", out);
    }

    /**
     * Decodes escapes of unreserved characters, upper-cases the hex of the others, and encodes as UTF-8
     * any character a URL may not contain, including a '%' that does not start an escape.
     */
    static String normalizePercent(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (b == '%' && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
                int decoded = Integer.parseInt(new String(bytes, i + 1, 2, StandardCharsets.US_ASCII), 16);
                if (isUnreserved(decoded)) {
                    out.append((char) decoded);
                } else {
                    out.append('%').append(hex(decoded));
                }
                i += 2;
            } else if (isUnreserved(b) || b < 0x80 && ALLOWED_PUNCTUATION.indexOf(b) >= 0) {
                out.append((char) b);
            } else {
                out.append('%').append(hex(b));
            }
        }
        return out.toString();
    }

    /** An internationalised host in punycode, before the rest of the URL is escaped. */
    private static String asciiHost(String s) {
        if (isAscii(s)) {
            return s;
        }
        Matcher m = AUTHORITY.matcher(s);
        if (!m.find() || isAscii(m.group(1))) {
            return s;
        }
        return s.substring(0, m.start(1)) + IDN.toASCII(m.group(1), IDN.ALLOW_UNASSIGNED) + s.substring(m.end(1));
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Percent-encodes what java.net.URI would refuse, leaving delimiters and existing escapes alone. */
    private static String escapeIllegal(String s) {
        StringBuilder out = new StringBuilder(s.length());
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean escape = b == '%' && (i + 2 >= bytes.length || !isHex(bytes[i + 1]) || !isHex(bytes[i + 2]));
            if (b == '%' && !escape || isUnreserved(b) || b < 0x80 && "!$&'()*+,;=:@/?#[]".indexOf(b) >= 0) {
                out.append((char) b);
            } else {
                out.append('%').append(hex(b));
            }
        }
        return out.toString();
    }

    private static boolean isUnreserved(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c < 0x80 && UNRESERVED_PUNCTUATION.indexOf(c) >= 0;
    }

    private static boolean isHex(byte c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static String hex(int b) {
        return String.format("%02X", b);
    }

    private static Pattern globToPattern(String glob) {
        String regex = Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote)
                .reduce((a, b) -> a + ".*" + b).orElse("");
        return Pattern.compile(regex);
    }
}
