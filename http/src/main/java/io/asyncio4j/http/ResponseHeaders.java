package io.asyncio4j.http;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The headers of a {@link Response} as they arrived: the bytes of the response head (checked by
 * {@link HeadParser}) and, once a header is first asked for, where each name and value lies in them, in arrival
 * order. Nothing is decoded or indexed up front: a name or value becomes a
 * {@link String} only when asked for, and the JDK's {@link HttpHeaders}, which sorts and copies every name
 * into case-insensitive maps, is built only when {@link Response#headers()} asks for it. The session itself
 * looks up a name or two ({@link #first}), which a scan of a dozen names in the bytes answers; so a response
 * whose headers nobody reads costs one copy of its head, not an index and two strings per header.
 *
 * <p>Bytes are ISO-8859-1 (each byte one char), as HTTP/1.1 headers are. A value continued on obsolete
 * folded lines is the one kind that the index holds as a string (its pieces joined by a space).
 *
 * <p>Thread-safety: immutable but for the index, the strings and the {@link HttpHeaders} made on first use, a
 * benign race: two threads may both make one, from the same bytes, and either result is an immutable object
 * (the index is published through its final fields).
 */
final class ResponseHeaders {
    // the response head, copied out of the connection's buffer; never written after the constructor
    private final byte[] head;
    // where the headers lie in head; made on first use (see Thread-safety); plain field on purpose
    private Index index;
    // the names and values made so far (2 per header); created and filled on first use (see Thread-safety)
    private String[] strings;
    // built on first use (see Thread-safety); plain field on purpose
    private HttpHeaders http;

    /**
     * Per header i: name start, name end, value start, value end in the head at {@code spans[4 * i]}; the number
     * of headers; null, or per header a value joined from folded lines, which replaces its span (null where none).
     */
    private record Index(int[] spans, int size, String[] folded) {
    }

    /** The headers of {@code head}, a response head {@link HeadParser} accepted (owned by this object from now on). */
    ResponseHeaders(byte[] head) {
        this.head = head;
    }

    /** The number of headers. */
    int size() {
        return index().size;
    }

    private Index index() {
        Index x = index;
        if (x == null) {
            x = indexHead(head);
            index = x;
        }
        return x;
    }

    /**
     * Where the headers lie in {@code b}, a head the parser accepted: after the status line, up to the blank
     * line, a line is {@code name: value}, or (starting with a space or tab) the continuation of the value before.
     */
    private static Index indexHead(byte[] b) {
        int[] spans = new int[4 * 12];
        String[] folded = null;
        int n = 0;
        int end = b.length;
        for (int line = HeadParser.lineEnd(b, 0, end) + 1; line < end; ) {
            int le = HeadParser.lineEnd(b, line, end);
            int stop = HeadParser.trimCr(b, line, le);
            if (stop == line) {
                break; // the blank line
            }
            if (b[line] == ' ' || b[line] == '\t') { // obsolete line folding: continues the previous value
                if (folded == null) {
                    folded = new String[spans.length / 4];
                }
                int k = 4 * (n - 1);
                String before = folded[n - 1] != null ? folded[n - 1] : HeadParser.latin1(b, spans[k + 2], spans[k + 3]);
                folded[n - 1] = before + " " + HeadParser.latin1(b, HeadParser.skipSpace(b, line, stop), stop).strip();
            } else {
                int colon = line;
                while (b[colon] != ':') {
                    colon++;
                }
                int vs = HeadParser.skipSpace(b, colon + 1, stop);
                int ve = stop;
                while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
                    ve--;
                }
                if (4 * n == spans.length) {
                    spans = Arrays.copyOf(spans, spans.length * 2);
                    if (folded != null) {
                        folded = Arrays.copyOf(folded, spans.length / 4);
                    }
                }
                spans[4 * n] = line;
                spans[4 * n + 1] = colon;
                spans[4 * n + 2] = vs;
                spans[4 * n + 3] = ve;
                n++;
            }
            line = le + 1;
        }
        return new Index(spans, n, folded);
    }

    /** The name of header {@code i}, as sent. */
    String name(int i) {
        return string(2 * i);
    }

    /** The value of header {@code i}, blanks around it removed. */
    String value(int i) {
        String[] folded = index().folded;
        if (folded != null && folded[i] != null) {
            return folded[i];
        }
        return string(2 * i + 1);
    }

    private String string(int k) {
        Index x = index();
        int[] spans = x.spans;
        String[] s = strings;
        if (s == null) {
            s = new String[2 * x.size];
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
        Index x = index();
        for (int i = 0; i < x.size; i++) {
            if (nameIs(x.spans, i, name)) {
                return value(i);
            }
        }
        return null;
    }

    /** Whether header {@code i}'s name is {@code name}, ignoring ASCII case. */
    private boolean nameIs(int[] spans, int i, String name) {
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
        for (int i = 0, size = size(); i < size; i++) {
            m.computeIfAbsent(name(i), k -> new ArrayList<>(1)).add(value(i));
        }
        return m;
    }
}
