package io.asyncio4j.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One HTTP/1.1 client connection of {@link SocketTransport}: a connected {@link Wire} (a channel on the
 * loop's selector, TLS over it for https, or a blocking socket), read through a buffer of its own, used
 * by one task at a time. It writes a request head and body in one write, reads a response head (status line
 * and headers, at most {@link #MAX_HEAD} bytes; {@link HeadParser} parses it, the headers staying bytes until
 * asked for) and reads the body as its framing says: {@code Content-Length}, {@code chunked} (trailers read
 * and ignored) or up to the end of the connection.
 *
 * <p>Every call blocks the calling task only: it waits on the loop's selector, or the JDK parks it in a
 * socket read or write. A cancel ends the wait (on a socket, the JDK closes the socket);
 * {@link SocketTransport} then throws the connection away.
 *
 * <h2>States</h2>
 * <pre>
 *  open() ──▶ IN USE ──body read to its end, keep-alive, nothing left over──▶ IDLE (in the pool)
 *  (one task)   ▲ │                                                            │
 *               │ └──failure, cancel, early close, Connection: close──▶ CLOSED ◀┤ idle 15 s, found closed,
 *               └────────────────────── checkout (one task) ───────────────────┘ session closed
 * </pre>
 *
 * <p>Thread-safety: none needed. A connection belongs to one task from checkout to release; the pool hands
 * it over on the loop thread. Only {@link #close()} may be called from any thread (the session's close).
 */
final class HttpConnection implements BodySource {
    /* Implementation overview
     *
     * buf[pos, lim) holds bytes read from the socket and not consumed yet. readHead() has HeadParser parse
     * what the first read brought in one pass that also finds the head's end (a head and a small body mostly
     * come in one read); a head that came in pieces is read until buf holds a blank line (growing buf up to
     * MAX_HEAD + one read), searching only the new bytes each time, then parsed in place
     * (ResponseHeaders keeps a copy of its bytes). It leaves pos
     * on the first body byte. The framing fields (mode, remaining, chunkState) then drive read(), which
     * hands out raw body bytes (still content-encoded) until the framing says the body ended, and sets
     * `bodyEnded`. A connection is reusable when its body ended, the response allows keep-alive and no
     * byte is left over in buf.
     */

    /** The longest response head accepted (status line and headers), as OkHttp: 256 KiB. */
    static final int MAX_HEAD = 256 * 1024;
    // how the body is delimited
    private static final int NONE = 0, LENGTH = 1, CHUNKED = 2, UNTIL_CLOSE = 3;
    // the steps of a chunked body
    private static final int CHUNK_SIZE = 0, CHUNK_DATA = 1, CHUNK_CRLF = 2, TRAILERS = 3;
    // the read buffer's first size: a typical head and a small body in one read; 10,000 connections hold 40 MB
    private static final int BUFFER = 4 * 1024;

    /** The pool key: origin, and the proxy when there is one. */
    final String key;
    // the byte stream: a JDK socket, or a channel on the loop's selector; what the transport's set of open ones holds
    private final Wire wire;
    private final InputStream in;
    private final OutputStream out;
    private final SocketTransport owner;
    // read buffer and the unconsumed range; the using task only
    private byte[] buf = new byte[BUFFER];
    private int pos;
    private int lim;
    // the request head being written (reused); the using task only
    private byte[] head = new byte[256];
    private int headLen;
    // writeRequest's header writer (made once: a method reference per request would be an object each time) and
    // whether the headers it wrote named a user-agent; the using task only
    private final BiConsumer<String, String> appendHeader = this::appendHeader;
    private boolean userAgent;
    // the header map of the last request and, once a second request in a row brought the same map (a session's
    // default headers), its lines as written and whether they named a user-agent: later requests with that map
    // copy them instead of writing each header again. A Request's map is never written after it is made (it is
    // immutable), so the same map means the same lines. The using task only
    private Map<String, String> linesOf;
    private byte[] lines;
    private boolean linesUserAgent;
    // whether a byte of the current response arrived; the using task only
    private boolean received;
    // body framing of the current response; the using task only
    private int mode;
    private long remaining;
    private long declared;
    private int chunkState;
    private boolean bodyEnded;
    private boolean keepAlive;
    // exchanges whose response was read to its end on this connection; the using task only
    int exchanges;
    // System.nanoTime() when the connection went back to the pool; loop thread only
    long idleSince;

    HttpConnection(String key, Wire wire, SocketTransport owner) {
        this.key = key;
        this.wire = wire;
        this.owner = owner;
        this.in = wire.in();
        this.out = wire.out();
    }

    // ---- request ----------------------------------------------------------------------------------------

    /**
     * Writes the request: {@code method target HTTP/1.1}, {@code Host}, the headers, {@code extra} (name,
     * value pairs, may be null), {@code Content-Length} when there is a body or the method carries one, then
     * the body, in one write when it all fits in 64 KiB.
     */
    void writeRequest(String method, String target, String host, Map<String, String> headers, List<String> extra,
                      byte[] body) throws IOException {
        received = false;
        headLen = 0;
        append(method).append(" ").append(target).append(" HTTP/1.1\r\nhost: ").append(host).append("\r\n");
        appendHeaders(headers);
        if (!userAgent) {
            append("user-agent: asyncio4j\r\n");
        }
        if (extra != null) {
            for (int i = 0; i < extra.size(); i += 2) {
                append(extra.get(i)).append(": ").append(extra.get(i + 1)).append("\r\n");
            }
        }
        if (body != null) {
            append("content-length: ").append(Integer.toString(body.length)).append("\r\n");
        } else if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            append("content-length: 0\r\n");
        }
        append("\r\n");
        if (body != null && body.length > 0) {
            if (headLen + body.length <= 64 * 1024) {
                ensureHead(body.length);
                System.arraycopy(body, 0, head, headLen, body.length);
                headLen += body.length;
            } else {
                out.write(head, 0, headLen);
                headLen = 0;
                out.write(body);
                return;
            }
        }
        out.write(head, 0, headLen);
    }

    /** Appends the lines of {@code headers}, from the copy of the last request's when it is the same map. */
    private void appendHeaders(Map<String, String> headers) {
        if (headers == linesOf && lines != null) {
            ensureHead(lines.length);
            System.arraycopy(lines, 0, head, headLen, lines.length);
            headLen += lines.length;
            userAgent = linesUserAgent;
            return;
        }
        int from = headLen;
        userAgent = false;
        headers.forEach(appendHeader); // not a for loop over entrySet(): its iterators would be objects per request
        if (headers == linesOf) { // the second request in a row with this map: keep its lines
            lines = java.util.Arrays.copyOfRange(head, from, headLen);
            linesUserAgent = userAgent;
        } else {
            linesOf = headers;
            lines = null;
        }
    }

    private void appendHeader(String name, String value) {
        userAgent |= name.equals("user-agent");
        append(name).append(": ").append(value).append("\r\n");
    }

    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low byte of each char, as wanted
    private HttpConnection append(String s) {
        ensureHead(s.length());
        s.getBytes(0, s.length(), head, headLen);
        headLen += s.length();
        return this;
    }

    private void ensureHead(int more) {
        if (headLen + more > head.length) {
            head = java.util.Arrays.copyOf(head, Math.max(head.length * 2, headLen + more));
        }
    }

    // ---- response head ----------------------------------------------------------------------------------

    /** A parsed response head; {@code end}: the index just past its blank line in the buffer it was parsed from. */
    record Head(int status, boolean http10, ResponseHeaders headers, long contentLength,
                boolean chunked, boolean close, String contentEncoding, int end) {
    }

    /**
     * Reads a response head, skipping interim 1xx responses (100 Continue, 102, 103), and sets up the body
     * framing for it ({@code noBody}: the request was HEAD, so no body whatever the headers say).
     *
     * @throws ProtocolException for a malformed status line or header, a head over {@link #MAX_HEAD} bytes,
     *                           an invalid Content-Length or a 101 nobody asked for
     * @throws EOFException      when the connection ends before a whole head arrived
     */
    Head readResponse(boolean noBody) throws IOException {
        Head h;
        do {
            h = readHead();
            if (h.status == 101) {
                throw new ProtocolException("unexpected 101 Switching Protocols: no upgrade was asked for");
            }
        } while (h.status >= 100 && h.status < 200);
        bodyEnded = false;
        keepAlive = !h.close;
        declared = -1;
        if (noBody || h.status == 204 || h.status == 304) {
            mode = NONE;
            bodyEnded = true;
        } else if (h.chunked) {
            mode = CHUNKED;
            chunkState = CHUNK_SIZE;
        } else if (h.contentLength >= 0) {
            mode = LENGTH;
            remaining = h.contentLength;
            declared = remaining;
            bodyEnded = remaining == 0;
        } else {
            mode = UNTIL_CLOSE;
            keepAlive = false;
        }
        return h;
    }

    private Head readHead() throws IOException {
        if (pos == lim) {
            pos = 0;
            lim = 0;
        }
        int start = pos;
        int scan = pos;
        boolean tried = false; // whether the one-pass parse of what arrived first was tried
        while (true) {
            if (lim > start) {
                if (!tried) { // the common case: the whole head came in one read, parsed as its end is found
                    tried = true;
                    Head h = HeadParser.parseIfWhole(buf, start, lim);
                    if (h != null) {
                        pos = h.end();
                        return h;
                    }
                } else { // a head in pieces: its end is searched in each new piece only, then it is parsed
                    int end = headEnd(scan, lim);
                    if (end >= 0) {
                        pos = end;
                        return HeadParser.parse(buf, start, end);
                    }
                    scan = Math.max(start, lim - 3);
                }
            }
            if (lim - start > MAX_HEAD) {
                throw new ProtocolException("response head exceeds " + MAX_HEAD + " bytes");
            }
            if (lim == buf.length) {
                if (start > 0) { // move the partial head to the front
                    System.arraycopy(buf, start, buf, 0, lim - start);
                    scan -= start;
                    lim -= start;
                    start = 0;
                } else {
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                }
            }
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) {
                throw new EOFException(lim == start && !received
                        ? "connection closed by the server before any response"
                        : "connection closed by the server in the middle of the response head");
            }
            received = true;
            lim += n;
        }
    }

    /** The index past the first blank line (CRLF CRLF or LF LF) in buf[from, to), or -1. */
    private int headEnd(int from, int to) {
        byte[] b = buf;
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                if (i + 1 < to && b[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < to && b[i + 1] == '\r' && b[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    // ---- response body ----------------------------------------------------------------------------------

    /** Whether the body has been read to its end. */
    boolean bodyEnded() {
        return bodyEnded;
    }

    /** Whether the connection may carry another exchange: body read to its end, keep-alive, nothing left over. */
    boolean reusable() {
        return bodyEnded && keepAlive && pos == lim;
    }

    /** Whether a byte of the current response arrived (a reused connection that fails before is stale). */
    boolean receivedAny() {
        return received;
    }

    /** The response's {@code Content-Length} when its body is framed by it, else -1; see {@link BodySource}. */
    @Override
    public long declaredLength() {
        return declared;
    }

    /**
     * Back to the transport's pool when {@code reuse}, the body was read to its end and the response allows
     * keep-alive (and the caller is a task of the session's loop: checked unless {@code inRequestTask}), else
     * closed; see {@link BodySource}.
     */
    @Override
    public void release(boolean reuse, boolean inRequestTask) {
        if (reuse && owner != null) {
            owner.release(this, inRequestTask);
        } else {
            close();
        }
    }

    /** The body in one copy out of the buffer when it is all there and unread; see {@link BodySource}. */
    @Override
    public byte[] takeWhole(int declared) {
        if (mode != LENGTH || remaining != declared || lim - pos < declared) {
            return null;
        }
        byte[] body = java.util.Arrays.copyOfRange(buf, pos, pos + declared); // no zeroing: the copy fills it
        pos += declared;
        remaining = 0;
        bodyEnded = true;
        return body;
    }

    /**
     * Reads up to {@code len} raw body bytes (as sent, still content-encoded) into {@code dst}; -1 once the
     * body ended.
     *
     * @throws EOFException      when the connection ends before the body does
     * @throws ProtocolException for a malformed chunk
     */
    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        while (true) {
            if (bodyEnded) {
                return -1;
            }
            switch (mode) {
                case LENGTH -> {
                    int n = readRaw(dst, off, (int) Math.min(len, remaining));
                    if (n < 0) {
                        throw new EOFException("connection closed with " + remaining + " bytes of the body (Content-Length) missing");
                    }
                    remaining -= n;
                    bodyEnded = remaining == 0;
                    return n;
                }
                case UNTIL_CLOSE -> {
                    int n = readRaw(dst, off, len);
                    if (n < 0) {
                        bodyEnded = true;
                        return -1;
                    }
                    return n;
                }
                case CHUNKED -> {
                    if (chunkState == CHUNK_DATA) {
                        int n = readRaw(dst, off, (int) Math.min(len, remaining));
                        if (n < 0) {
                            throw new EOFException("connection closed in the middle of a chunk");
                        }
                        remaining -= n;
                        if (remaining == 0) {
                            chunkState = CHUNK_CRLF;
                        }
                        return n;
                    }
                    advanceChunk();
                }
                default -> {
                    bodyEnded = true;
                    return -1;
                }
            }
        }
    }

    /** Reads the chunk line (size), the CRLF after a chunk, or the trailers, moving chunkState on. */
    private void advanceChunk() throws IOException {
        String line = readLine();
        switch (chunkState) {
            case CHUNK_CRLF -> {
                if (!line.isEmpty()) {
                    throw new ProtocolException("malformed chunked body: no CRLF after a chunk");
                }
                chunkState = CHUNK_SIZE;
            }
            case CHUNK_SIZE -> {
                int semi = line.indexOf(';');
                String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
                long size = 0;
                if (hex.isEmpty() || hex.length() > 15) {
                    throw new ProtocolException("malformed chunk size '" + line + "'");
                }
                for (int i = 0; i < hex.length(); i++) {
                    int d = Character.digit(hex.charAt(i), 16);
                    if (d < 0) {
                        throw new ProtocolException("malformed chunk size '" + line + "'");
                    }
                    size = size * 16 + d;
                }
                if (size == 0) {
                    chunkState = TRAILERS;
                } else {
                    remaining = size;
                    chunkState = CHUNK_DATA;
                }
            }
            case TRAILERS -> {
                if (line.isEmpty()) {
                    bodyEnded = true; // trailers ignored
                }
            }
            default -> throw new IllegalStateException("chunk state " + chunkState);
        }
    }

    /** A line of the chunked framing (at most 8 KiB), without its CRLF. */
    private String readLine() throws IOException {
        StringBuilder sb = null;
        while (true) {
            for (int i = pos; i < lim; i++) {
                if (buf[i] == '\n') {
                    int e = HeadParser.trimCr(buf, pos, i);
                    String part = HeadParser.latin1(buf, pos, e);
                    pos = i + 1;
                    if (sb == null) {
                        return part;
                    }
                    sb.append(part);
                    int n = sb.length();
                    return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
                }
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            sb.append(HeadParser.latin1(buf, pos, lim));
            pos = lim;
            if (sb.length() > 8192) {
                throw new ProtocolException("malformed chunked body: a line over 8192 bytes");
            }
            if (fill() < 0) {
                throw new EOFException("connection closed in the middle of the chunked framing");
            }
        }
    }

    /** Copies buffered bytes, or reads the socket (straight into dst for large reads); -1 at its end. */
    private int readRaw(byte[] dst, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos == lim) {
            if (len >= buf.length) {
                int n = in.read(dst, off, len);
                if (n > 0) {
                    received = true;
                }
                return n;
            }
            if (fill() < 0) {
                return -1;
            }
        }
        int n = Math.min(len, lim - pos);
        System.arraycopy(buf, pos, dst, off, n);
        pos += n;
        return n;
    }

    /** Reads into the empty buffer; the count, or -1 at the end of the connection. */
    private int fill() throws IOException {
        pos = 0;
        lim = 0;
        int n = in.read(buf, 0, buf.length);
        if (n > 0) {
            received = true;
            lim = n;
        }
        return n;
    }

    // ---- life ---------------------------------------------------------------------------------------------

    /**
     * Whether the idle connection is still open and quiet: nothing to read and not at its end (see
     * {@link Wire#stillOpen}; a blocking socket waits up to {@code millis} to tell, then gets its read
     * timeout {@code readMillis} back).
     */
    boolean stillOpen(int millis, int readMillis) {
        return wire.stillOpen(buf, millis, readMillis);
    }

    /** Sets the read timeout ({@code sockRead}; 0: none). */
    void readTimeout(int millis) throws IOException {
        wire.readTimeout(millis);
    }

    /** Closes the connection and forgets it; idempotent, any thread. */
    void close() {
        if (owner != null) { // null: a connection over in-memory streams, outside any transport
            owner.forget(wire);
        }
        wire.close();
    }

    @Override
    public String toString() {
        return "HttpConnection[" + key + ", exchanges=" + exchanges + "]";
    }
}
