package io.asyncio4j.http;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The headers of a {@link Response} as they arrived: the bytes of the response head and where each name and
 * value lies in them, in arrival order. Nothing is decoded up front: a name or value becomes a
 * {@link String} only when asked for, and the JDK's {@link HttpHeaders}, which sorts and copies every name
 * into case-insensitive maps, is built only when {@link Response#headers()} asks for it. The session itself
 * looks up a name or two ({@link #first}), which a scan of a dozen names in the bytes answers; so a response
 * whose headers nobody reads costs one copy of its head, not two strings per header.
 *
 * <p>Bytes are ISO-8859-1 (each byte one char), as HTTP/1.1 headers are. A value continued on obsolete
 * folded lines is the one kind that is given as a string by the parser (its pieces joined by a space).
 *
 * <p>Thread-safety: immutable but for the strings and the {@link HttpHeaders} made on first use, a benign
 * race: two threads may both make one, from the same bytes, and either result is an immutable object.
 */
final class ResponseHeaders {
    // the response head, copied out of the connection's buffer; never written after the constructor
    private final byte[] head;
    // per header i: name start, name end, value start, value end in head (4 ints a header)
    private final int[] spans;
    // the number of headers
    private final int size;
    // null, or per header a value the parser gave as a string (folded lines), null where it gave none
    private final String[] folded;
    // the names and values made so far (2 per header); created and filled on first use (see Thread-safety)
    private String[] strings;
    // built on first use (see Thread-safety); plain field on purpose
    private HttpHeaders http;

    /**
     * Headers at {@code spans[0, 4 * size)} of {@code head} (owned by this object from now on);
     * {@code folded}: null, or per header a value that replaces its span (null where none does).
     */
    ResponseHeaders(byte[] head, int[] spans, int size, String[] folded) {
        this.head = head;
        this.spans = spans;
        this.size = size;
        this.folded = folded;
    }

    /** The number of headers. */
    int size() {
        return size;
    }

    /** The name of header {@code i}, as sent. */
    String name(int i) {
        return string(2 * i);
    }

    /** The value of header {@code i}, blanks around it removed. */
    String value(int i) {
        if (folded != null && folded[i] != null) {
            return folded[i];
        }
        return string(2 * i + 1);
    }

    private String string(int k) {
        String[] s = strings;
        if (s == null) {
            s = new String[2 * size];
            strings = s;
        }
        String v = s[k];
        if (v == null) {
            v = new String(head, spans[2 * k], spans[2 * k + 1] - spans[2 * k], StandardCharsets.ISO_8859_1);
            s[k] = v;
        }
        return v;
    }

    /** The first value of {@code name} (any case), or null. */
    String first(String name) {
        for (int i = 0; i < size; i++) {
            if (nameIs(i, name)) {
                return value(i);
            }
        }
        return null;
    }

    /** Whether header {@code i}'s name is {@code name}, ignoring ASCII case. */
    private boolean nameIs(int i, String name) {
        int from = spans[4 * i];
        int len = spans[4 * i + 1] - from;
        if (len != name.length()) {
            return false;
        }
        for (int j = 0; j < len; j++) {
            int a = head[from + j] & 0xff;
            int b = name.charAt(j);
            if (a != b && lower(a) != lower(b)) {
                return false;
            }
        }
        return true;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
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
        for (int i = 0; i < size; i++) {
            m.computeIfAbsent(name(i), k -> new ArrayList<>(1)).add(value(i));
        }
        return m;
    }
}
