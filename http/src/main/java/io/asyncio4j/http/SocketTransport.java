package io.asyncio4j.http;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.sync.Event;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

/**
 * The default {@link Transport}: HTTP/1.1 driven by the requesting task itself. Plain http and https go over a
 * non-blocking {@link SocketChannel} on the loop's own selector ({@link EventLoop#sockConnect},
 * {@link EventLoop#sockSendAll}, {@link EventLoop#sockRecvInto}; https through a JDK {@link SSLEngine} over
 * it, {@link TlsChannel}): a task waiting for bytes is woken by the loop thread itself when the selector
 * reports them, with no poller thread in between. A session used from a task of another loop than its
 * first one (and every request with {@code -Dasyncio4j.http.blockingSockets=true}) goes over JDK blocking
 * sockets ({@link Socket}, {@link SSLSocket}) instead: a task blocked in a read parks only its own virtual
 * thread and the JDK's poller makes it runnable again through its loop. No thread of its own, no future,
 * no hand-off: a request costs a write, a read or two, and the parsing. ({@link Wire} is the one place that
 * differs.)
 *
 * <h2>Connections</h2>
 * A per-origin pool of idle keep-alive connections (key: scheme, host, port; through the session's proxy,
 * if any, the connections go to the proxy but are still kept per target origin). A
 * connection goes back to the pool only when its response body was read to its end and the response allows
 * keep-alive (HTTP/1.1 without {@code Connection: close}, or HTTP/1.0 with {@code Connection: keep-alive});
 * any failure, cancel or early close of a streamed body closes it instead. Idle connections older than 15 s
 * (aiohttp's {@code keepalive_timeout}) are closed rather than reused. How many exchanges run at once is
 * the session's business ({@code limit}, {@code limitPerHost}); the pool keeps whatever comes back. The
 * https connections opened while another one to the same origin shakes hands wait for its end, then resume
 * its TLS session ({@code firstHandshakeThen}).
 *
 * <p>A pooled connection the server closed meanwhile fails on its first write or read without a byte of
 * answer: an idempotent request (GET, HEAD, PUT, DELETE, OPTIONS, TRACE) is then sent once more on a fresh
 * connection, transparently (aiohttp and OkHttp do the same). A request that may not be repeated (POST,
 * PATCH) checks a connection idle for a second or more first, as OkHttp does: a read that may wait 1 ms sees
 * the server's close (end of stream) or finds the connection quiet; only a quiet one is used. The rare
 * failure left (the server closes it right then) raises.
 *
 * <h2>Timeouts and cancellation</h2>
 * {@code connect} is the connect timeout and bounds the TLS handshake (and a proxy's {@code CONNECT}) too;
 * {@code sockRead} is each read's timeout: on a socket real time ({@code SO_TIMEOUT}), on a channel the loop
 * clock ({@code Asyncio.timeout} around the wait on the selector, so virtual time moves it too). A cancel of the
 * task ends its wait on a channel (in the handshake too) with {@link io.asyncio4j.CancelledError}, or
 * interrupts its virtual thread in a socket read, which the JDK ends
 * by closing the socket; either way the connection is dropped. The session's {@link #close()} shuts down a
 * channel a task waits on (the task wakes with the end of the stream and drops it) and closes the others.
 *
 * <h2>Thread-safety</h2>
 * The pool ({@link #idle}) is loop-confined: it is touched only by tasks of the session's loop, which run
 * one at a time (docs/concurrency.md), so it has no lock. {@link #open} (every connection, for
 * {@link #close()}) is a concurrent set because {@link #close()} may run on any thread.
 */
final class SocketTransport implements Transport {
    /* Implementation overview
     *
     * send() -> exchange(): checkout a pooled connection of the request's key or open one (DNS in
     * the task: the loop's resolver provider parks it; connect; CONNECT through the proxy for https; TLS
     * handshake), write the request, read the head (1xx skipped). Before a non-idempotent request uses a
     * connection idle for CHECK_IDLE_AFTER, a 1 ms read checks it is still open. On an IOException from a reused connection
     * with no byte of answer, an idempotent request goes once more on a fresh connection. send() then returns
     * the head with the connection as the body's source: Body reads it and releases it (to the pool after
     * the body's end, else closed).
     *
     * Failure path, in order: close the connection (never pooled); if the thread is interrupted, a cancel is
     * pending: Asyncio.sleep(0) delivers it as CancelledError and clears the interrupt; a SocketTimeoutException
     * becomes HttpTimeoutException (ClientSession: ClientTimeoutError); anything else propagates.
     */

    // idle connections older than this are closed instead of reused (aiohttp's keepalive_timeout)
    private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);
    /** A pooled connection idle this long is checked before a non-idempotent request uses it. */
    static final Duration CHECK_IDLE_AFTER = Duration.ofSeconds(1);
    // the longest wait of the check, in ms: a live idle connection costs this much once
    private static final int CHECK_MILLIS = 1;

    // CHECK_IDLE_AFTER in ns (tests make it shorter)
    private final long checkIdleNanos;
    // connect and TLS handshake limit in ms (0: none), and as given for messages
    private final int connectMillis;
    private final Duration connect;
    // read limit in ms (0: none), and as given for messages
    private final int readMillis;
    private final Duration sockRead;
    // the cookie jar, or null
    private final CookieHandler cookies;
    // the HTTP proxy, or null
    private final InetSocketAddress proxy;
    // key -> idle connections, most recently released last; loop thread only (see Thread-safety)
    private final Map<String, ArrayDeque<HttpConnection>> idle = new HashMap<>();
    // the last key looked up in idle and its queue (null: none), so that a session calling one origin finds its
    // queue without a map lookup per checkout and release; cleared when that queue leaves idle; loop thread only
    private String lastKey;
    private ArrayDeque<HttpConnection> lastQueue;
    // every connection open, pooled or in use or connecting (its Wire; a TLS socket closes with the one below it); any thread
    private final Set<Wire> open = ConcurrentHashMap.newKeySet();
    // origin -> the first TLS handshake to it now in progress, which the connections opened meanwhile wait for
    // (see firstHandshakeThen); an entry lives as long as that handshake; loop thread only
    private final Map<String, Event> handshaking = new HashMap<>();
    // how https connections set TLS up (context, parameters, what each origin negotiated); see TlsSetup
    private final TlsSetup tls = new TlsSetup();
    // the loop of the first exchange: releases from elsewhere close instead of pooling; loop thread only
    private EventLoop loop;
    // the route of the last request (see Route); loop thread only
    private Route lastRoute;
    // System.nanoTime() of the last sweep of expired idle connections; loop thread only
    private long lastSweep = System.nanoTime();
    // set by close(); read by the tasks (volatile)
    private volatile boolean closed;

    SocketTransport(Duration connect, Duration sockRead, CookieHandler cookies, InetSocketAddress proxy,
                    Duration checkIdleAfter) {
        this.checkIdleNanos = checkIdleAfter.toNanos();
        this.connect = connect;
        this.connectMillis = millis(connect);
        this.sockRead = sockRead;
        this.readMillis = millis(sockRead);
        this.cookies = cookies;
        this.proxy = proxy;
    }

    /** Uses {@code context} for https instead of the JDK's default; before the first request. */
    void sslContext(SSLContext context) {
        tls.context(context);
    }

    private static int millis(Duration d) {
        return d == null ? 0 : (int) Math.clamp(d.toMillis(), 1, Integer.MAX_VALUE);
    }

    @Override
    public Reply send(Request request) throws IOException {
        return exchange(request);
    }

    @Override
    public void close() {
        closed = true;
        for (Wire w : open) {
            w.close();
        }
    }

    // ---- one exchange: connection, request, response head -----------------------------------------------

    /** Where requests to one URI go; the last is kept (a session calling one URL passes the same URI). */
    private record Route(URI uri, String host, int port, boolean https, String requestTarget, String hostHeader) {
    }

    /** Where and how one request goes: computed once, used by the first attempt and the retry. */
    private record Target(Request request, Route route, List<String> extra, boolean noBody) {
    }

    private Route route(URI uri) {
        Route last = lastRoute;
        if (last != null && last.uri == uri) {
            return last;
        }
        boolean https = uri.getScheme().equalsIgnoreCase("https");
        String host = uri.getHost();
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        Route route = new Route(uri, host, port, https, target(uri, proxy != null && !https),
                uri.getPort() == -1 || uri.getPort() == (https ? 443 : 80) ? host : host + ":" + port);
        lastRoute = route;
        return route;
    }

    private Reply exchange(Request r) throws IOException {
        ensureOpen();
        URI uri = r.uri();
        Target t = new Target(r, route(uri), cookies == null ? null : cookieHeaders(uri, r.headers()),
                r.method().equalsIgnoreCase("HEAD"));
        HttpConnection pooled = checkout(r.origin());
        if (pooled != null && !r.idempotent() && System.nanoTime() - pooled.idleSince >= checkIdleNanos
                && !pooled.stillOpen(CHECK_MILLIS, readMillis)) {
            // a request that may not be repeated must not find out the hard way that the server closed it
            pooled.close();
            pooled = null;
        }
        if (pooled != null) {
            try {
                return attempt(pooled, t);
            } catch (IOException e) {
                boolean stale = !(e instanceof SocketTimeoutException) && !(e instanceof ProtocolException)
                        && !pooled.receivedAny();
                if (!stale || !r.idempotent() || closed || Thread.currentThread().isInterrupted()) {
                    throw failure(e);
                }
                // the pooled connection was closed by the server while idle: once more on a fresh one
            } catch (RuntimeException | Error e) {
                throw failure(e);
            }
        }
        try {
            Reply x = attempt(null, t);
            // the resend is counted (Reply.sends)
            return pooled == null ? x : new Reply(x.status(), x.headers(), x.contentEncoding(), x.body(), 2);
        } catch (IOException | RuntimeException | Error e) {
            throw failure(e);
        }
    }

    /**
     * Sends on {@code c} (null: a new connection) and reads the head: the reply with {@code c} as the body's
     * source, sent once; on a failure closes {@code c} and rethrows.
     */
    private Reply attempt(HttpConnection c, Target t) throws IOException {
        Request r = t.request;
        try {
            if (c == null) {
                c = open(r.origin(), t.route.host, t.route.port, t.route.https);
            }
            c.writeRequest(r.method(), t.route.requestTarget, t.route.hostHeader, r.headers(), t.extra, r.body());
            HttpConnection.Head head = c.readResponse(t.noBody);
            if (cookies != null) {
                cookies.put(r.uri(), head.headers().map());
            }
            return new Reply(head.status(), head.headers(), head.contentEncoding(), c, 1);
        } catch (IOException | RuntimeException | Error e) {
            if (c != null) {
                c.close();
            }
            throw e;
        }
    }

    /** The request target: origin-form ({@code /path?query}), or absolute-form for a plain-http proxy. */
    private static String target(URI uri, boolean absolute) {
        String path = uri.getRawPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        String query = uri.getRawQuery();
        String originForm = query == null ? path : path + "?" + query;
        if (!absolute) {
            return originForm;
        }
        String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + port + originForm;
    }

    /** The Cookie header the jar has for {@code uri} (joined with the request's own), as name, value pairs. */
    private List<String> cookieHeaders(URI uri, Map<String, String> headers) throws IOException {
        Map<String, List<String>> request = new HashMap<>();
        headers.forEach((k, v) -> request.put(k, List.of(v)));
        Map<String, List<String>> got = cookies.get(uri, request);
        List<String> extra = null;
        for (Map.Entry<String, List<String>> e : got.entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if ((name.equals("cookie") || name.equals("cookie2")) && !e.getValue().isEmpty()) {
                if (extra == null) {
                    extra = new ArrayList<>(2);
                }
                extra.add(name);
                extra.add(String.join("; ", e.getValue()));
            }
        }
        return extra;
    }

    // ---- the pool (loop thread only) ---------------------------------------------------------------------

    private HttpConnection checkout(String key) {
        if (loop == null) {
            loop = Asyncio.getRunningLoop();
        }
        ArrayDeque<HttpConnection> q = queue(key, false);
        if (q == null) {
            return null;
        }
        long now = System.nanoTime();
        for (HttpConnection c; (c = q.pollLast()) != null; ) {
            if (now - c.idleSince < KEEP_ALIVE_NANOS) {
                return c; // an emptied queue stays for the release that follows (the sweep removes it)
            }
            c.close(); // idle too long: the server has probably closed it; the older ones too
            q.forEach(HttpConnection::close);
            q.clear();
        }
        forgetQueue(key);
        return null;
    }

    /** The idle queue of {@code key}: the last one used if it is that key's, else from the map (made if {@code make}). */
    private ArrayDeque<HttpConnection> queue(String key, boolean make) {
        if (key.equals(lastKey)) {
            return lastQueue;
        }
        ArrayDeque<HttpConnection> q = idle.get(key);
        if (q == null) {
            if (!make) {
                return null;
            }
            q = new ArrayDeque<>();
            idle.put(key, q);
        }
        lastKey = key;
        lastQueue = q;
        return q;
    }

    /** Removes the queue of {@code key} from the pool. */
    private void forgetQueue(String key) {
        if (idle.remove(key) == lastQueue) {
            lastKey = null;
            lastQueue = null;
        }
    }

    /**
     * After a body read to its end: back to the pool if reusable and on the loop ({@code inRequestTask}: the
     * caller is the task that made the request, on the session's loop, so that need not be checked), else closed.
     */
    void release(HttpConnection c, boolean inRequestTask) {
        if (!c.reusable() || closed || loop == null
                || !inRequestTask && (Asyncio.currentTask() == null || Asyncio.getRunningLoop() != loop)) {
            c.close();
            return;
        }
        c.exchanges++;
        long now = System.nanoTime();
        c.idleSince = now;
        queue(c.key, true).addLast(c);
        if (closed) { // close() ran meanwhile on another thread and may have missed it
            c.close();
        }
        if (now - lastSweep > KEEP_ALIVE_NANOS) {
            lastSweep = now;
            sweep(now);
        }
    }

    /** Closes the connections idle for longer than the keep-alive time, for every key. */
    private void sweep(long now) {
        for (Iterator<ArrayDeque<HttpConnection>> it = idle.values().iterator(); it.hasNext(); ) {
            ArrayDeque<HttpConnection> q = it.next();
            while (!q.isEmpty() && now - q.peekFirst().idleSince >= KEEP_ALIVE_NANOS) {
                q.pollFirst().close();
            }
            if (q.isEmpty()) {
                it.remove();
                if (q == lastQueue) {
                    lastKey = null;
                    lastQueue = null;
                }
            }
        }
    }

    /** Removes a closed connection's wire from the set of open ones; any thread. */
    void forget(Wire wire) {
        open.remove(wire);
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("ClientSession is closed");
        }
    }

    // ---- opening a connection ----------------------------------------------------------------------------

    /** http and https on the loop's selector (true), or on blocking JDK sockets; a system property. */
    private static final boolean CHANNELS = !Boolean.getBoolean("asyncio4j.http.blockingSockets");

    private HttpConnection open(String key, String host, int port, boolean https) throws IOException {
        InetSocketAddress address = proxy != null ? proxy : new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new UnknownHostException(address.getHostString());
        }
        EventLoop running = Asyncio.getRunningLoop();
        if (running == loop && CHANNELS) {
            return openChannel(key, address, running, host, port, https);
        }
        Socket s = new Socket(Proxy.NO_PROXY); // the platform socket itself, without the SOCKS layer's per-connect lookups
        Wire connecting = new Wire.OfSocket(s, s, null, null); // closable by close() while it connects
        open.add(connecting);
        try {
            ensureOpen(); // close() may have run while this was added: then it missed it
            s.setTcpNoDelay(true);
            try {
                s.connect(address, connectMillis);
            } catch (SocketTimeoutException e) {
                throw connectTimeout(host, port, e);
            }
            Socket used = s; // a TLS socket over s closes s with itself
            if (https) {
                if (proxy != null) {
                    tunnel(Wire.OfSocket.of(s, s), host, port);
                }
                used = firstHandshakeThen(key, () -> handshake(s, key, host, port));
            }
            Wire wire = Wire.OfSocket.of(used, s);
            open.add(wire);
            open.remove(connecting);
            HttpConnection c = new HttpConnection(key, wire, this);
            c.readTimeout(readMillis);
            return c;
        } catch (IOException | RuntimeException | Error e) {
            open.remove(connecting);
            s.close();
            throw e;
        }
    }

    /**
     * A connection on a non-blocking channel, driven by the loop's own selector: no poller thread between the
     * socket and the loop (issue 7's W6: about a fifth more requests per second than on blocking sockets;
     * docs/benchmarks.md). https: through the proxy's tunnel if any, then TLS over the channel
     * ({@link TlsChannel}), the handshake within the connect timeout.
     */
    private HttpConnection openChannel(String key, InetSocketAddress address, EventLoop running, String host, int port,
                                       boolean https) throws IOException {
        SocketChannel ch = SocketChannel.open();
        Wire.OfChannel plain = new Wire.OfChannel(ch, running);
        Wire[] wire = {plain}; // then TLS over it for https
        open.add(plain);
        try {
            ensureOpen();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            try {
                if (connect == null) {
                    running.sockConnect(ch, address);
                } else {
                    Wire.within(connect, () -> {
                        running.sockConnect(ch, address);
                        return null;
                    });
                }
            } catch (TimeoutError e) {
                throw connectTimeout(host, port, e);
            }
            if (https) {
                if (proxy != null) {
                    tunnel(plain, host, port);
                }
                Wire.IoCall<Void> handshake = () -> firstHandshakeThen(key, () -> {
                    // made once the origin's first handshake ended: the engine's offer follows what it negotiated
                    TlsChannel tlsChannel = new TlsChannel(ch, running, tls.engine(key, host, port));
                    open.add(tlsChannel); // closable by close() while it shakes hands
                    open.remove(plain);
                    wire[0] = tlsChannel;
                    ensureOpen();
                    try {
                        tls.handshaken(key, tlsChannel.handshake(host, port));
                    } catch (IOException e) {
                        tls.handshaken(key, null);
                        throw e;
                    }
                    return null;
                });
                try {
                    if (connect == null) {
                        handshake.call();
                    } else {
                        Wire.within(connect, handshake);
                    }
                } catch (TimeoutError e) {
                    throw connectTimeout(host, port, e);
                }
            }
            HttpConnection c = new HttpConnection(key, wire[0], this);
            c.readTimeout(readMillis);
            return c;
        } catch (IOException | RuntimeException | Error e) {
            open.remove(wire[0]);
            wire[0].close();
            ch.close();
            throw e;
        }
    }

    /**
     * Runs {@code channel}'s handshake, after the one to the same origin in progress, if any: the connections
     * a burst of requests opens at once to one https origin (a crawl of one site, 256 tasks of a benchmark)
     * then do one full handshake, and the others resume its TLS session (an abbreviated handshake: no
     * certificate to check, no key exchange to sign), as a browser does. The first handshake's end lets the
     * others go, whether it succeeded or not (they then try on their own); a TLS 1.3 server sends its session
     * ticket only after the handshake, so against one they mostly still shake hands in full. The wait is
     * bounded as the handshake is (the connect timeout, the session's total) and ends on a cancel.
     */
    private <T> T firstHandshakeThen(String key, Wire.IoCall<T> handshake) throws IOException {
        if (Asyncio.getRunningLoop() != loop) {
            return handshake.call(); // a task of another loop (blocking sockets): the pool's loop has the gates
        }
        Event first = handshaking.get(key);
        if (first != null) {
            first.await();
            return handshake.call();
        }
        Event mine = new Event();
        handshaking.put(key, mine);
        try {
            return handshake.call();
        } finally {
            handshaking.remove(key);
            mine.set();
        }
    }

    private HttpConnectTimeoutException connectTimeout(String host, int port, Exception cause) {
        HttpConnectTimeoutException e = new HttpConnectTimeoutException("connect timeout " + connect + " passed connecting to " + host + ":" + port);
        e.initCause(cause);
        return e;
    }

    /** TLS over the connected {@code s}: hostname verification (HTTPS rules), SNI, within the connect limit. */
    private SSLSocket handshake(Socket s, String key, String host, int port) throws IOException {
        SSLSocket ssl = tls.socket(s, key, host, port);
        ssl.setSoTimeout(connectMillis);
        try {
            ssl.startHandshake();
            tls.handshaken(key, ssl.getSession());
        } catch (SocketTimeoutException e) {
            throw connectTimeout(host, port, e);
        } catch (SSLHandshakeException e) {
            tls.handshaken(key, null);
            throw TlsChannel.explained(e, host, port);
        }
        return ssl;
    }

    /** {@code CONNECT host:port} through the proxy on {@code wire}; returns once the proxy answered 2xx. */
    private void tunnel(Wire wire, String host, int port) throws IOException {
        HttpConnection t = new HttpConnection("tunnel", wire, this);
        t.readTimeout(connectMillis);
        String authority = host + ":" + port;
        t.writeRequest("CONNECT", authority, authority, Map.of(), null, null);
        HttpConnection.Head h;
        try {
            h = t.readResponse(true);
        } catch (SocketTimeoutException e) {
            throw connectTimeout(host, port, e);
        }
        if (h.status() / 100 != 2) {
            throw new IOException("the proxy refused CONNECT " + authority + ": " + h.status());
        }
        if (!t.reusable()) {
            throw new ProtocolException("the proxy sent bytes after its answer to CONNECT " + authority);
        }
    }

    // ---- failures --------------------------------------------------------------------------------------

    /**
     * What to throw for {@code e}, which ended an exchange whose connection is already closed: a pending
     * cancel (the thread was interrupted to reach the socket) is delivered as CancelledError by
     * {@code Asyncio.sleep(0)}, which also clears the interrupt; a read timeout becomes
     * {@link HttpTimeoutException}; an unchecked failure is thrown as it is.
     */
    private IOException failure(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            Asyncio.sleep(0);
        }
        if (e instanceof SocketTimeoutException) {
            HttpTimeoutException t = new HttpTimeoutException("no data from the server for sockRead " + sockRead);
            t.initCause(e);
            return t;
        }
        if (e instanceof IOException io) {
            return io;
        }
        if (e instanceof RuntimeException re) {
            throw re;
        }
        throw (Error) e;
    }
}
