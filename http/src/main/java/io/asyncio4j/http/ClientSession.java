package io.asyncio4j.http;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.sync.RateLimiter;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP client shared by the tasks of one event loop (aiohttp's {@code ClientSession}, httpx's
 * {@code AsyncClient}): a base URL, default headers, time limits, and caps on concurrent requests, in total
 * and per host, that it enforces itself.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * try (ClientSession session = ClientSession.builder()
 *         .baseUrl("https://api.example.com/v1/")
 *         .header("Authorization", "Bearer " + token)
 *         .timeout(new ClientTimeout(Duration.ofSeconds(30), Duration.ofSeconds(5), null))
 *         .limitPerHost(10)
 *         .build()) {
 *     List<Task<String>> fetches = ids.stream()
 *             .map(id -> Asyncio.createTask(() -> session.get("items/" + id).text()))
 *             .toList();
 *     ...
 * }
 * }</pre>
 * Each request waits for a slot of the total {@code limit} (default 100), then for a slot of its host's
 * {@code limitPerHost} (default none), in that order, sends, reads the whole body (at most
 * {@code maxBodySize}, default 64 MiB) and gives both slots back. Every request ends with a {@link Response}
 * or one of {@link ClientConnectionError}, {@link ClientTimeoutError}, {@link InvalidUrl},
 * {@link BodyTooLarge}, {@link TooManyRedirects} (a {@link ClientResponseError} comes only from
 * {@link Response#raiseForStatus()}). A response too large to hold in memory is read with
 * {@link #stream(String)} / {@link #requestStreaming} and {@link Response#stream()}; such a response holds its
 * slots until it is closed. {@code maxBodySize} caps a streamed body as well (see
 * {@link #requestStreaming}): a download of any size needs {@code maxBodySize(Long.MAX_VALUE)}. Cookies are
 * kept only with {@code cookieJar(true)} or {@code cookies(handler)}; an HTTP proxy is set with
 * {@code proxy(address)}.
 *
 * <h2>Compression</h2>
 * Requests carry {@code Accept-Encoding: gzip, deflate} unless the request or the default headers set
 * {@code Accept-Encoding}. A response with {@code Content-Encoding: gzip} or {@code deflate} is decoded as it
 * arrives, buffered or streamed, and {@code maxBodySize} caps the decoded size too: a small body that would
 * inflate past it (a "gzip bomb") raises {@link BodyTooLarge} once the cap is passed, without being inflated further. A body
 * that is not valid for its coding raises {@link ClientConnectionError}. Any other coding (such as
 * {@code br}) is returned as sent.
 *
 * <h2>JSON</h2>
 * {@link #postJson} and {@link Response#json} go through the session's {@link JsonCodec}, by default
 * {@link JsonCodec#jackson()}.
 *
 * <h2>Redirects</h2>
 * The session follows redirects itself (the JDK client never does), at most {@code followRedirects(max)}
 * of them (default 10; 0 returns the 3xx as it is), then raises {@link TooManyRedirects}. 301, 302 and 303
 * turn the request into a GET without body (a HEAD stays a HEAD); 307 and 308 repeat the method and body.
 * {@code Location} is resolved against the URL that answered; a scheme other than http(s) raises
 * {@link InvalidUrl}. When the origin (scheme, host, port) changes, {@code Authorization} and {@code Cookie}
 * are dropped for the rest of the chain. Each hop takes the slots of its own host (after giving back those of
 * the previous hop), and the total timeout covers the whole chain. {@link Response#url()} is the final URL.
 *
 * <h2>Retries</h2>
 * With {@code retry(Retry)} (default: none) a request that fails with {@link ClientConnectionError}, passes
 * its attempt timeout, connect or read limit ({@link ClientTimeoutError}), or ends (after its redirects) with
 * a retryable status (408, 429, 500, 502, 503, 504 unless the policy says otherwise) is sent again after a
 * backoff, as {@link Retry} describes; the sleeps are on the loop clock inside the total timeout, and no slot
 * is held while sleeping. {@link Response#attempts()} counts every time the request went out, the
 * transport's own resend on a fresh connection (below) included.
 *
 * <h2>Rate limit</h2>
 * With {@code rateLimit(RateLimiter)} (default: none) every request put on the wire, each redirect hop and
 * each retry included, first takes one token of the limiter, before waiting for its slots (so a request
 * waiting for a token holds no slot). The limiter may be shared with other sessions and code of the loop.
 * {@link RateLimitHeaders} reads what a server says of its own limits.
 *
 * <h2>Interceptors</h2>
 * Retries, redirects and the rate limit are steps of one chain of {@link Interceptor}s that every call goes
 * down, outermost first: {@code interceptor(...)}s (once per call), retries, redirects, the rate limit,
 * {@code networkInterceptor(...)}s (once per request on the wire), then the connection slots and the
 * transport. An interceptor sees the {@link Request}, may change it, calls the rest of the chain and sees
 * the response or the error: the place for logging, metrics, authentication or a token refresh.
 *
 * <h2>TLS</h2>
 * https verifies the server's certificate against the JDK's trusted CAs and its name against the URL's host.
 * {@code sslContext(context)} or {@code trustStore(keyStore)} trust other certificates (a private CA); the
 * name check stays on. A refused certificate raises {@link ClientConnectionError} whose message says why
 * (not issued by a trusted CA, outside its validity period, not for this host). The handshake is bounded
 * by {@link ClientTimeout#connect()}.
 *
 * <h2>Cancellation</h2>
 * A request is a wait of the calling task. Cancelling the task while it waits for a slot removes it from the
 * queue; cancelling it during the exchange (TLS handshake included) aborts the exchange and closes its
 * connection (its wait on the loop's selector ends; on a blocking JDK socket its virtual thread is interrupted,
 * which makes the JDK close the socket). Either way its slots are given back before {@code CancelledError}
 * propagates. {@link ClientTimeout#total()} works the same way, raising {@link ClientTimeoutError}.
 *
 * <h2>Connections</h2>
 * The session speaks HTTP/1.1 itself from the requesting task, over a non-blocking channel of the loop's
 * own selector, plain http and https alike (TLS by a JDK {@code SSLEngine} over the channel; the task
 * waits on the loop's selector; no thread of the session's own), and keeps idle keep-alive connections
 * per origin for the next requests: a connection is reused only after its response was read to its end;
 * a pooled connection the server closed meanwhile is replaced transparently for an idempotent request.
 * docs/guide-http.md ("How requests go out") has the details.
 *
 * <h2>Thread-safety</h2>
 * Requests must be made by tasks of one event loop: the first request binds the session to its loop, and a
 * request from a plain thread or from another loop raises {@link IllegalStateException}. {@link #close()}
 * may be called from any thread; requests in flight then fail with {@link ClientConnectionError}.
 */
public final class ClientSession implements AutoCloseable {
    /* Implementation overview
     *
     * request() resolves the URL, checks the method and headers (Request.validate, the JDK client's rules)
     * and runs the chain (CallChain) inside Asyncio.timeout(total), so the deadline is on the loop clock and
     * covers the slot waits and the body. SessionExchange, the end of the chain, takes the total Semaphore,
     * then the host's, calls Transport.send() in the task (SocketTransport parks it on the loop's selector or
     * in a socket call) and reads the body through Body, the one body pipeline (cap, decoding, buffered or
     * streamed).
     *
     * Layers, outermost first: request() (timeout) -> the user's interceptors -> CallChain's Retrying
     * (attempts, backoff sleeps, attempt timeouts) -> Redirecting (hops, method/header rewriting) -> the rate
     * limiter -> the network interceptors -> SessionExchange (slots of the hop's host, the attempt clock) ->
     * Transport.send() -> Body.
     */

    // the base URL relative URLs are resolved against, or null
    private final URI baseUrl;
    // headers sent with every request unless the request sets the same name: the defaults, names in lower
    // case, and accept-encoding unless they set it; immutable
    private final Map<String, String> baseHeaders;
    // the time limits
    private final ClientTimeout timeout;
    // total concurrent requests allowed
    private final int limit;
    // concurrent requests per host allowed; 0 = no per-host cap
    private final int limitPerHost;
    // the steps of every call (interceptors, retries, redirects, rate limit, network interceptors); immutable
    private final List<Interceptor> steps;
    // encodes postJson bodies, decodes Response.json
    private final JsonCodec codec;
    // the end of every chain: the connection slots, the transport and the body
    private final SessionExchange exchange;
    // the loop of the first request, or null
    private volatile EventLoop loop;
    // the session's headers passed Request.validateHeaders (a benign race: at worst they are checked twice)
    private volatile boolean baseHeadersValid;
    // the last URL resolved, with its URI and origin: a job that calls one URL again and again (an LLM API, a
    // health check, a benchmark) parses it once; any thread (one immutable record)
    private volatile Resolved lastResolved;
    // set by close()
    private volatile boolean closed;

    private ClientSession(Builder b) {
        baseUrl = b.baseUrl;
        Map<String, String> base = new LinkedHashMap<>();
        b.headers.forEach((k, v) -> base.put(k.toLowerCase(Locale.ROOT), v));
        base.putIfAbsent("accept-encoding", "gzip, deflate");
        baseHeaders = java.util.Collections.unmodifiableMap(base);
        timeout = b.timeout;
        limit = b.limit;
        limitPerHost = b.limitPerHost;
        steps = CallChain.steps(b.interceptors, b.retry, b.maxRedirects, b.rateLimiter, b.networkInterceptors);
        codec = b.codec;
        Transport t = b.transport == null ? null : b.transport.apply(timeout);
        if (t == null) {
            SocketTransport sockets = new SocketTransport(timeout.connect(), timeout.sockRead(), b.cookies, b.proxy,
                    b.checkIdleAfter);
            if (b.sslContext != null) {
                sockets.sslContext(b.sslContext);
            }
            t = sockets;
        }
        exchange = new SessionExchange(t, limit, limitPerHost, b.maxBodySize, timeout.sockRead(), codec);
    }

    /**
     * A builder with aiohttp's defaults: no base URL, timeout {@link ClientTimeout#DEFAULT}, limit 100, no
     * per-host limit, 64 MiB bodies, at most 10 redirects, no retries, no rate limit, the Jackson JSON codec.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code GET url}, with the default headers; see {@link #request}. */
    public Response get(String url) {
        return request("GET", url, Map.of(), null);
    }

    /** {@code POST url} with {@code body} (null: none) and the default headers; see {@link #request}. */
    public Response post(String url, byte[] body) {
        return request("POST", url, Map.of(), body);
    }

    /**
     * {@code POST url} with {@code value} encoded by the session's {@link JsonCodec} and
     * {@code Content-Type: application/json} (aiohttp's {@code post(url, json=value)}); see {@link #request}.
     *
     * @throws IllegalArgumentException when the codec cannot encode {@code value}
     */
    public Response postJson(String url, Object value) {
        return request("POST", url, Map.of("Content-Type", "application/json"), codec.encode(value));
    }

    /** {@code PUT url} with {@code body} (null: none) and the default headers; see {@link #request}. */
    public Response put(String url, byte[] body) {
        return request("PUT", url, Map.of(), body);
    }

    /** {@code DELETE url} with the default headers; see {@link #request}. */
    public Response delete(String url) {
        return request("DELETE", url, Map.of(), null);
    }

    /** {@code HEAD url} with the default headers; the response has an empty body. See {@link #request}. */
    public Response head(String url) {
        return request("HEAD", url, Map.of(), null);
    }

    /**
     * Sends {@code method url} with the default headers overridden by {@code headers} and {@code body}
     * (null: none) and returns the response with its body read. A relative {@code url} is resolved against
     * the base URL. Waits for the session's slots first, follows redirects and retries as configured (see
     * the class comment).
     *
     * @throws InvalidUrl            when the URL (or a redirect's {@code Location}) is malformed, not
     *                               absolute, has no host or is not http(s)
     * @throws TooManyRedirects      when more redirects come than {@code followRedirects} allows
     * @throws ClientConnectionError when connecting fails or the connection breaks
     * @throws ClientTimeoutError    when a {@link ClientTimeout} limit passes (the slot, token and retry
     *                               waits included)
     * @throws BodyTooLarge          when the body is longer than {@code maxBodySize}
     * @throws IllegalArgumentException for a method or header the JDK client refuses (such as {@code Host})
     * @throws IllegalStateException outside a task, in a task of another loop, or after {@link #close()}
     */
    public Response request(String method, String url, Map<String, String> headers, byte[] body) {
        return request(method, url, headers, body, false);
    }

    /**
     * Sends {@code request} (made with {@link Request#of} and its {@code with...} methods) as
     * {@link #request(String, String, Map, byte[])} does: the session's default headers are added for the
     * names it does not set, and a relative URL cannot occur.
     */
    public Response request(Request request) {
        Objects.requireNonNull(request, "request");
        return request(request.method(), request.uri().toString(), request.headers(), request.body(), false);
    }

    /**
     * {@code GET url} whose body is not read up front: read it with {@link Response#stream()} and close the
     * response (try-with-resources); see {@link #requestStreaming}.
     */
    public Response stream(String url) {
        return requestStreaming("GET", url, Map.of(), null);
    }

    /**
     * Like {@link #request}, but returns as soon as the final response's headers arrived, with its body
     * left on the connection to be read with {@link Response#stream()} (aiohttp's default, reading
     * {@code resp.content}; httpx's {@code client.stream(...)}). The response holds its session slots (total
     * and per host) until {@link Response#close()}: close every streamed response, with try-with-resources.
     * The total timeout covers the request up to the headers; each read of the body waits at most
     * {@code sockRead}. Redirect and retried responses are closed by the session.
     *
     * <p>{@code maxBodySize} caps a stream as it caps a buffered body, on the decoded bytes: a
     * {@code Content-Length} over it raises {@link BodyTooLarge} here, before the body is read; otherwise the
     * read of {@link Response#stream()} that passes the cap raises it and closes the connection. A stream
     * is how a large body is read without holding it, not a way around the cap: the same session setting
     * guards both against a server that sends without end (a "gzip bomb" included), so a download of any size
     * asks for it with {@code maxBodySize(Long.MAX_VALUE)}.
     * Raises what {@link #request} raises.
     */
    public Response requestStreaming(String method, String url, Map<String, String> headers, byte[] body) {
        return request(method, url, headers, body, true);
    }

    private Response request(String method, String url, Map<String, String> headers, byte[] body, boolean streaming) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(headers, "headers");
        bindToLoop();
        Resolved target = resolve(url);
        URI uri = target.uri;
        Map<String, String> all;
        if (headers.isEmpty()) {
            all = baseHeaders;
            Request.validateMethod(method);
            if (!baseHeadersValid) {
                Request.validateHeaders(all); // once: they do not change
                baseHeadersValid = true;
            }
        } else {
            Request.validate(method, headers); // fail fast on a method or header the JDK client refuses, named as given
            if (!baseHeadersValid) {
                Request.validateHeaders(baseHeaders);
                baseHeadersValid = true;
            }
            all = new LinkedHashMap<>(baseHeaders);
            headers.forEach((k, v) -> all.put(k.toLowerCase(Locale.ROOT), v));
        }
        try {
            Request first = new Request(method, uri, target.origin, all, body);
            CallChain chain = new CallChain(exchange, steps, 0, first, new CallChain.Call(streaming));
            return Asyncio.timeout(timeout.total(), chain); // the chain from its first step
        } catch (ClientTimeoutError e) {
            throw e;
        } catch (TimeoutError e) {
            throw new ClientTimeoutError("total timeout " + timeout.total() + " passed: " + method + " " + uri, e);
        }
    }

    /** Aborts the requests in flight and stops the session's threads. Idempotent; any thread. */
    @Override
    public void close() {
        closed = true;
        exchange.close();
    }

    /** Whether {@link #close()} was called. */
    public boolean closed() {
        return closed;
    }

    private void bindToLoop() {
        if (Asyncio.currentTask() == null) {
            throw new IllegalStateException("ClientSession requests must be made inside a task of an asyncio4j "
                    + "event loop (Asyncio.run / Runner), not from a plain thread");
        }
        EventLoop running = Asyncio.getRunningLoop();
        EventLoop bound = loop;
        if (bound == null) {
            synchronized (this) {
                if (loop == null) {
                    loop = running;
                }
                bound = loop;
            }
        }
        if (bound != running) {
            throw new IllegalStateException("ClientSession is bound to the event loop of its first request; "
                    + "make one session per loop");
        }
        if (closed) {
            throw new IllegalStateException("ClientSession is closed");
        }
    }

    /** A URL string, its resolved URI and that URI's origin. */
    private record Resolved(String url, URI uri, String origin) {
    }

    private Resolved resolve(String url) {
        Resolved last = lastResolved;
        if (last != null && last.url.equals(url)) {
            return last;
        }
        URI uri = parse(url);
        Resolved r = new Resolved(url, uri, Request.originOf(uri));
        lastResolved = r;
        return r;
    }

    private URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
            if (baseUrl != null) {
                uri = baseUrl.resolve(uri);
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new InvalidUrl("invalid URL '" + Request.escape(url) + "': " + Request.escape(e.getMessage()), e);
        }
        Request.checkHttp(uri, url);
        return uri;
    }

    @Override
    public String toString() {
        return "ClientSession[" + (closed ? "closed" : "open") + ", baseUrl=" + baseUrl + ", limit=" + limit
                + ", limitPerHost=" + limitPerHost + "]";
    }

    /** Configures a {@link ClientSession}; not thread-safe. */
    public static final class Builder {
        private URI baseUrl;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private ClientTimeout timeout = ClientTimeout.DEFAULT;
        private int limit = 100;
        private int limitPerHost;
        private long maxBodySize = 64L * 1024 * 1024;
        private int maxRedirects = 10;
        private Retry retry;
        private RateLimiter rateLimiter;
        private JsonCodec codec = JsonCodec.jackson();
        private java.net.CookieHandler cookies;
        private java.net.InetSocketAddress proxy;
        private java.util.function.Function<ClientTimeout, Transport> transport;
        private Duration checkIdleAfter = SocketTransport.CHECK_IDLE_AFTER;
        private final List<Interceptor> interceptors = new ArrayList<>();
        private final List<Interceptor> networkInterceptors = new ArrayList<>();
        private javax.net.ssl.SSLContext sslContext;

        private Builder() {
        }

        /** The absolute http(s) URL relative request URLs are resolved against (RFC 3986, like aiohttp's {@code base_url}). */
        public Builder baseUrl(String url) {
            Objects.requireNonNull(url, "url");
            try {
                URI uri = new URI(url);
                Request.checkHttp(uri, url);
                baseUrl = uri;
            } catch (URISyntaxException e) {
                throw new InvalidUrl("invalid base URL '" + Request.escape(url) + "': " + Request.escape(e.getMessage()), e);
            }
            return this;
        }

        /**
         * A header sent with every request (replaced by a request header of the same name, in any case).
         *
         * @throws IllegalArgumentException naming the header when the name is not a token, is one the client
         *                                  sets itself ({@code Host}, ...), or the value holds a CR, LF or NUL
         */
        public Builder header(String name, String value) {
            Request.validateHeaders(Map.of(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
            headers.put(name, value);
            return this;
        }

        /** The time limits; default {@link ClientTimeout#DEFAULT}. */
        public Builder timeout(ClientTimeout timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Total concurrent requests, default 100. */
        public Builder limit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be >= 1, got " + limit);
            }
            this.limit = limit;
            return this;
        }

        /** Concurrent requests per scheme, host and port; default 0 = no per-host limit. */
        public Builder limitPerHost(int limitPerHost) {
            if (limitPerHost < 0) {
                throw new IllegalArgumentException("limitPerHost must be >= 0, got " + limitPerHost);
            }
            this.limitPerHost = limitPerHost;
            return this;
        }

        /**
         * The largest body a response may have, in bytes, counted once decoded (and as received): default 64 MiB;
         * {@code Long.MAX_VALUE} for no cap. It applies to buffered and streamed responses alike
         * ({@link ClientSession#requestStreaming}); a buffered body is also held to what one array holds (2 GiB).
         */
        public Builder maxBodySize(long maxBodySize) {
            if (maxBodySize < 0) {
                throw new IllegalArgumentException("maxBodySize must be >= 0, got " + maxBodySize);
            }
            this.maxBodySize = maxBodySize;
            return this;
        }

        /** The most redirects followed for one request, default 10; 0 returns a 3xx as it is. */
        public Builder followRedirects(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("followRedirects must be >= 0, got " + max);
            }
            this.maxRedirects = max;
            return this;
        }

        /** Retries failed requests as {@code retry} says; default none (null also means none). */
        public Builder retry(Retry retry) {
            this.retry = retry;
            return this;
        }

        /**
         * Takes one token of {@code limiter} before every request sent (redirect hops and retries included);
         * default none (null also means none). The limiter must belong to the loop the session is used on.
         */
        public Builder rateLimit(RateLimiter limiter) {
            this.rateLimiter = limiter;
            return this;
        }

        /**
         * Adds {@code interceptor} to the outer end of the chain (after the ones added before): it sees each call
         * once, as the caller does, with the final response after retries and redirects. See {@link Interceptor}.
         */
        public Builder interceptor(Interceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Adds {@code interceptor} to the inner end of the chain (after the ones added before): it sees every
         * request put on the wire, each retry attempt and each redirect hop, after the rate limiter's token and
         * before the connection slots. See {@link Interceptor}.
         */
        public Builder networkInterceptor(Interceptor interceptor) {
            networkInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * The TLS setup of https requests: whose certificates are trusted, which client certificate is shown
         * (default: the JDK's default context, which trusts the JDK's CA certificates). Hostname verification
         * stays on whatever the context: the certificate must name the URL's host.
         */
        public Builder sslContext(javax.net.ssl.SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Trusts the CA certificates of {@code trustStore} (a private CA, a self-signed test certificate) instead
         * of the JDK's: a shortcut for {@link #sslContext} with a context of that trust store. Hostname
         * verification stays on.
         *
         * @throws IllegalArgumentException when the store cannot be used as a trust store
         */
        public Builder trustStore(java.security.KeyStore trustStore) {
            Objects.requireNonNull(trustStore, "trustStore");
            try {
                javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trustStore);
                javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
                context.init(null, tmf.getTrustManagers(), null);
                return sslContext(context);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot trust the given key store: " + e.getMessage(), e);
            }
        }

        /** The codec of {@link ClientSession#postJson} and {@link Response#json}; default {@link JsonCodec#jackson()}. */
        public Builder jsonCodec(JsonCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * With {@code true}, keeps cookies in an in-memory jar of this session (a JDK {@link java.net.CookieManager}
         * with its default policy, accepting cookies from the origin server only): a {@code Set-Cookie} is
         * sent back to the hosts and paths its domain and path allow (RFC 6265; a host-only cookie of
         * {@code localhost} is not sent to {@code 127.0.0.1}). Default: no jar, {@code Set-Cookie} is ignored.
         */
        public Builder cookieJar(boolean enabled) {
            this.cookies = enabled ? new java.net.CookieManager() : null;
            return this;
        }

        /** Keeps cookies in {@code handler} (may be shared by sessions; null: no jar); see {@link #cookieJar}. */
        public Builder cookies(java.net.CookieHandler handler) {
            this.cookies = handler;
            return this;
        }

        /**
         * Sends every request through the HTTP proxy at {@code address} (plain http requests in absolute form,
         * https ones through {@code CONNECT}); null: direct, the default. The session's limits still count
         * the target hosts, not the proxy.
         */
        public Builder proxy(java.net.InetSocketAddress address) {
            this.proxy = address;
            return this;
        }

        /** Sends through the transport {@code factory} makes for the session's time limits instead of sockets; tests. */
        Builder transport(java.util.function.Function<ClientTimeout, Transport> factory) {
            this.transport = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** How long a pooled connection idles before a non-idempotent request checks it first; tests. */
        Builder checkIdleAfter(Duration d) {
            this.checkIdleAfter = d;
            return this;
        }

        /** A new session; it starts no thread. */
        public ClientSession build() {
            return new ClientSession(this);
        }
    }
}
