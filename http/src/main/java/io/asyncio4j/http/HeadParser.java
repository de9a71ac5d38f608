package io.asyncio4j.http;

import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * The parser of an HTTP/1.1 response head, the one place that turns a server's status line and header lines
 * into an {@link HttpConnection.Head}: no regular expressions, no string per header (the headers stay bytes,
 * {@link ResponseHeaders}), and the framing headers ({@code Content-Length}, {@code Transfer-Encoding},
 * {@code Connection}, {@code Content-Encoding}) read from the bytes as they are met. It is strict where a
 * lenient reading could be used to smuggle a response (RFC 9112): two different Content-Lengths, a
 * Content-Length that is not 1 to 18 digits, a framing header continued on a folded line; it accepts what
 * servers send in practice: a status line without a reason, LF without CR, obsolete folding elsewhere.
 * {@link HttpConnection} hands over the bytes it has read ({@link #parseIfWhole}: the head's end is found by
 * the same pass that parses it) or a head whose end it found; its chunked framing reads its lines with the
 * helpers here.
 *
 * <p>Thread-safety: stateless; every method works on the bytes it is given.
 */
final class HeadParser {
    private HeadParser() {
    }

    /**
     * The head in {@code b[start, end)} (status line, headers, blank line), checked and parsed.
     *
     * @throws ProtocolException for a malformed status line or header line, an invalid or conflicting
     *                           Content-Length, or obsolete line folding in a framing header
     */
    static HttpConnection.Head parse(byte[] b, int start, int end) throws ProtocolException {
        return parseIfWhole(b, start, end);
    }

    /**
     * The head at the start of {@code b[start, limit)}, checked and parsed in one pass that also finds its end
     * (the blank line: {@link HttpConnection.Head#end}); null when these bytes do not hold a whole head yet.
     * A head is judged whole or not before it is judged valid, as if its end had been searched first: an
     * error in a head whose blank line has not arrived yet makes null, not an exception.
     *
     * @throws ProtocolException as {@link #parse}, for a whole head only
     */
    static HttpConnection.Head parseIfWhole(byte[] b, int start, int limit) throws ProtocolException {
        try {
            return parseLines(b, start, limit);
        } catch (ProtocolException e) {
            if (!holdsBlankLine(b, start, limit)) {
                return null; // the head is not whole yet: more bytes first
            }
            throw e;
        }
    }

    /** Whether b[from, to) holds a blank line (LF LF or LF CR LF): the end of a head. */
    static boolean holdsBlankLine(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n' && (i + 1 < to && b[i + 1] == '\n' || i + 2 < to && b[i + 1] == '\r' && b[i + 2] == '\n')) {
                return true;
            }
        }
        return false;
    }

    private static HttpConnection.Head parseLines(byte[] b, int start, int limit) throws ProtocolException {
        int eol = lineEnd(b, start, limit);
        if (eol == limit) {
            return null; // the status line has not ended yet
        }
        int lineLen = trimCr(b, start, eol) - start;
        // "HTTP/1.x SSS[ reason]"
        if (lineLen < 12 || b[start] != 'H' || b[start + 1] != 'T' || b[start + 2] != 'T' || b[start + 3] != 'P'
                || b[start + 4] != '/' || b[start + 5] != '1' || b[start + 6] != '.' || !digit(b[start + 7])
                || b[start + 8] != ' ' || !digit(b[start + 9]) || !digit(b[start + 10]) || !digit(b[start + 11])
                || (lineLen > 12 && b[start + 12] != ' ')) {
            String line = new String(b, start, Math.min(lineLen, 100), StandardCharsets.ISO_8859_1);
            throw new ProtocolException("malformed status line '" + line + "'");
        }
        boolean http10 = b[start + 7] == '0';
        int status = (b[start + 9] - '0') * 100 + (b[start + 10] - '0') * 10 + (b[start + 11] - '0');
        int n = 0; // headers
        long contentLength = -1;
        boolean chunked = false;
        boolean close = http10;
        String encoding = null;
        boolean lastFrames = false; // the previous header is Content-Length or Transfer-Encoding
        int lastName = 0, lastNameEnd = 0; // the previous header's name, for the folding error
        int end = -1; // just past the blank line once it is found
        for (int line = eol + 1; line < limit; ) {
            int le = lineEnd(b, line, limit);
            if (le == limit) {
                return null; // a line that has not ended yet
            }
            int stop = trimCr(b, line, le);
            if (stop == line) {
                end = le + 1; // the blank line
                break;
            }
            if (b[line] == ' ' || b[line] == '\t') { // obsolete line folding: continues the previous value
                if (n == 0) {
                    throw new ProtocolException("malformed header: a continuation line comes first");
                }
                if (lastFrames) {
                    // the framing was decided on the first line; a folded rest would make the headers say otherwise
                    throw new ProtocolException("malformed header: obsolete line folding in "
                            + latin1(b, lastName, lastNameEnd));
                }
                line = le + 1; // ResponseHeaders joins the folded value when asked for it
                continue;
            }
            int colon = line;
            while (colon < stop && b[colon] != ':') {
                colon++;
            }
            if (colon == stop || colon == line || b[colon - 1] == ' ' || b[colon - 1] == '\t') {
                throw new ProtocolException("malformed header line '"
                        + new String(b, line, Math.min(stop - line, 100), StandardCharsets.ISO_8859_1) + "'");
            }
            int vs = skipSpace(b, colon + 1, stop);
            int ve = stop;
            while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
                ve--;
            }
            n++;
            lastName = line;
            lastNameEnd = colon;
            lastFrames = false;
            switch (colon - line) {
                case 14 -> {
                    if (is(b, line, colon, "content-length")) {
                        lastFrames = true;
                        long length = parseLength(b, vs, ve);
                        if (contentLength >= 0 && length != contentLength) {
                            throw new ProtocolException("conflicting Content-Length values " + contentLength + " and " + length);
                        }
                        contentLength = length;
                    }
                }
                case 17 -> {
                    if (is(b, line, colon, "transfer-encoding")) {
                        lastFrames = true;
                        chunked = lastToken(latin1(b, vs, ve)).equalsIgnoreCase("chunked");
                        if (!chunked) {
                            close = true; // an encoding we cannot frame: the body runs to the close
                        }
                    }
                }
                case 10 -> {
                    if (is(b, line, colon, "connection")) {
                        for (int t = vs; t < ve; ) { // the comma-separated tokens
                            int comma = t;
                            while (comma < ve && b[comma] != ',') {
                                comma++;
                            }
                            int ts = skipSpace(b, t, comma);
                            int te = comma;
                            while (te > ts && (b[te - 1] == ' ' || b[te - 1] == '\t')) {
                                te--;
                            }
                            if (is(b, ts, te, "close")) {
                                close = true;
                            } else if (is(b, ts, te, "keep-alive") && http10) {
                                close = false;
                            }
                            t = comma + 1;
                        }
                    }
                }
                case 16 -> {
                    if (is(b, line, colon, "content-encoding")) {
                        encoding = latin1(b, vs, ve);
                    }
                }
                default -> {
                }
            }
            line = le + 1;
        }
        if (end < 0) {
            return null; // no blank line yet
        }
        if (chunked && contentLength >= 0) {
            close = true; // both framings: a smuggling risk, read as chunked and do not reuse (RFC 9112 §6.3)
        }
        ResponseHeaders headers = new ResponseHeaders(java.util.Arrays.copyOfRange(b, start, end));
        return new HttpConnection.Head(status, http10, headers, chunked ? -1 : contentLength, chunked, close, encoding,
                end);
    }

    /** Whether b[from, to) is {@code lower} (lower case ASCII), ignoring ASCII case. */
    private static boolean is(byte[] b, int from, int to, String lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The index of the first LF in b[from, end), or {@code end}. */
    static int lineEnd(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return end;
    }

    /** The end of a line without its CR ({@code eol}: the index of its LF or of the end). */
    static int trimCr(byte[] b, int from, int eol) {
        return eol > from && b[eol - 1] == '\r' ? eol - 1 : eol;
    }

    /** The first index in b[from, to) that is not a space or tab, or {@code to}. */
    static int skipSpace(byte[] b, int from, int to) {
        while (from < to && (b[from] == ' ' || b[from] == '\t')) {
            from++;
        }
        return from;
    }

    /** b[from, to) as ISO-8859-1 text, each byte one char. */
    static String latin1(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static String lastToken(String value) {
        int comma = value.lastIndexOf(',');
        return (comma < 0 ? value : value.substring(comma + 1)).strip();
    }

    /** The Content-Length value in b[from, to): 1 to 18 digits. */
    private static long parseLength(byte[] b, int from, int to) throws ProtocolException {
        if (to == from || to - from > 18) {
            throw new ProtocolException("invalid Content-Length '" + latin1(b, from, Math.min(to, from + 100)) + "'");
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (!digit(c)) {
                throw new ProtocolException("invalid Content-Length '" + latin1(b, from, Math.min(to, from + 100)) + "'");
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
