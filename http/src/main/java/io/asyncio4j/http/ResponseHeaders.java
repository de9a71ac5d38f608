package io.asyncio4j.http;

import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The headers of a {@link Response}, as the transport parsed them (name, value pairs in arrival order). The JDK's {@link HttpHeaders}, which sorts and copies every name
 * into case-insensitive maps, is built only when {@link Response#headers()} asks for it: the session itself
 * only looks up a name or two ({@link #first}), which a scan of a dozen pairs answers without allocating.
 *
 * <p>Thread-safety: immutable but for the lazily built {@link HttpHeaders}, a benign race: two threads may
 * both build it, from the same pairs, and either result is an immutable object with final fields.
 */
final class ResponseHeaders {
    // name, value, name, value ...
    private final String[] pairs;
    // the number of strings used in pairs
    private final int size;
    // built on first use (see Thread-safety); plain field on purpose
    private HttpHeaders http;

    ResponseHeaders(String[] pairs, int size) {
        this.pairs = pairs;
        this.size = size;
    }

    /** The first value of {@code name} (any case), or null. */
    String first(String name) {
        for (int i = 0; i < size; i += 2) {
            if (pairs[i].equalsIgnoreCase(name)) {
                return pairs[i + 1];
            }
        }
        return null;
    }

    /** The headers as the JDK's type (names case-insensitive, values in arrival order). */
    HttpHeaders http() {
        HttpHeaders h = http;
        if (h == null) {
            h = HttpHeaders.of(map(), (name, value) -> true);
            http = h;
        }
        return h;
    }

    /** Name to values, names case-insensitive (a fresh map). */
    Map<String, List<String>> map() {
        TreeMap<String, List<String>> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < size; i += 2) {
            m.computeIfAbsent(pairs[i], k -> new ArrayList<>(1)).add(pairs[i + 1]);
        }
        return m;
    }
}
