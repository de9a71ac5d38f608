package io.asyncio4j.http;

import io.asyncio4j.Asyncio;
import io.asyncio4j.ScopeBody;
import io.asyncio4j.Timeout;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.sync.RateLimiter;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The {@link Interceptor.Chain} of one {@link ClientSession} call, and the session's own steps: retries,
 * redirects and the rate limit, which are interceptors of the same chain as the user's (see
 * {@link Interceptor} for the order). The last step is {@link SessionExchange}: the connection slots,
 * the transport and the body.
 *
 * <p>Thread-safety: a chain and its {@link Call} belong to the requesting task; the steps are immutable and
 * shared by every call of the session.
 */
final class CallChain implements Interceptor.Chain, ScopeBody<Timeout, Response> {
    /* Implementation overview
     *
     * The steps are one immutable list per session (user interceptors, Retrying, Redirecting, RateLimiting,
     * network interceptors); a chain is a position in it, the request at that position, and the Call. proceed()
     * runs the step at the position with a fresh chain one further on, or the exchange past the last one; it may
     * be called again (a retry, a redirect hop), each time from the same position.
     *
     * The attempt timeout must not count the waits for a rate-limiter token and for the connection slots, which
     * come after Retrying in the chain. So Retrying opens an Asyncio.timeout scope without a deadline and leaves
     * it in the Call; the exchange, once it holds its slots, gives it its deadline (if it has none yet: later
     * redirect hops of the same attempt do not move it).
     */

    /** The state of one call shared by its steps: task-confined. */
    static final class Call {
        // whether the final response is streamed; set once
        final boolean streaming;
        // the attempt in progress, 1-based; written by Retrying, read by attempt()
        int attempt = 1;
        // the scope of the attempt in progress, without deadline until its first exchange holds its slots, and
        // that attempt timeout; written by Retrying, read by the exchange; null without an attempt timeout
        Timeout attemptScope;
        Duration attemptTimeout;
        // how often the transport sent a request again on a fresh connection (a stale pooled one); written by
        // the exchange, read by Retrying
        int resends;

        Call(boolean streaming) {
            this.streaming = streaming;
        }

        /** Starts the attempt's clock if it has one and it has not started: called when the slots are held. */
        void startAttemptClock() {
            Timeout t = attemptScope;
            if (t != null && t.when().isEmpty()) {
                t.reschedule(OptionalDouble.of(Asyncio.getRunningLoop().time() + attemptTimeout.toNanos() / 1e9));
            }
        }
    }

    private final SessionExchange exchange;
    private final List<Interceptor> steps;
    private final int index;
    private final Request request;
    private final Call call;
    // the call's attempt when this chain was made: 1 for the steps outside Retrying
    private final int attempt;

    CallChain(SessionExchange exchange, List<Interceptor> steps, int index, Request request, Call call) {
        this.attempt = call.attempt;
        this.exchange = exchange;
        this.steps = steps;
        this.index = index;
        this.request = request;
        this.call = call;
    }

    @Override
    public Request request() {
        return request;
    }

    @Override
    public Response proceed(Request request) {
        if (index == steps.size()) {
            return exchange.exchange(request, call);
        }
        return steps.get(index).intercept(new CallChain(exchange, steps, index + 1, request, call));
    }

    @Override
    public int attempt() {
        return attempt;
    }

    /**
     * The chain from this position with its own request: the body of the session's total-timeout scope (the
     * chain itself, so a call makes no lambda for it).
     */
    @Override
    public Response run(Timeout total) {
        return proceed(request);
    }

    /** The steps of a session, outermost first. */
    static List<Interceptor> steps(List<Interceptor> application, Retry retry, int maxRedirects,
                                   RateLimiter limiter, List<Interceptor> network) {
        List<Interceptor> steps = new ArrayList<>(application);
        if (retry != null) {
            steps.add(new Retrying(retry));
        }
        steps.add(new Redirecting(maxRedirects));
        if (limiter != null) {
            steps.add(chain -> {
                limiter.acquire();
                return chain.proceed(chain.request());
            });
        }
        steps.addAll(network);
        return List.copyOf(steps);
    }

    /** {@link Retry}: attempts, backoff sleeps, attempt timeouts. */
    private record Retrying(Retry retry) implements Interceptor {
        @Override
        public Response intercept(Interceptor.Chain c) {
            CallChain chain = (CallChain) c;
            Call call = chain.call;
            Request req = chain.request();
            int attempts = retry.allows(req.method()) ? retry.attempts() : 1;
            List<Throwable> earlier = new ArrayList<>();
            for (int attempt = 1; ; attempt++) {
                call.attempt = attempt;
                Response r;
                try {
                    r = attempt(chain, req);
                } catch (ClientConnectionError | ClientTimeoutError e) {
                    if (attempt == attempts) {
                        earlier.forEach(e::addSuppressed);
                        throw e;
                    }
                    earlier.add(e);
                    Asyncio.sleep(retry.backoff(attempt));
                    continue;
                }
                if (attempt == attempts || !retry.retriesStatus(r.status())) {
                    return r.withAttempts(attempt + call.resends);
                }
                String retryAfter = r.header("Retry-After");
                Duration delay = retryAfter == null ? null : retry.retryAfter(retryAfter, System.currentTimeMillis());
                r.close();
                Asyncio.sleep(delay != null ? delay : retry.backoff(attempt));
            }
        }

        /** One attempt, within its attempt timeout if the policy has one. */
        private Response attempt(CallChain chain, Request req) {
            Duration limit = retry.attemptTimeout();
            if (limit == null) {
                return chain.proceed(req);
            }
            Call call = chain.call;
            Timeout[] scope = {null};
            try {
                return Asyncio.timeout((Duration) null, (Timeout t) -> {
                    scope[0] = t;
                    call.attemptScope = t;
                    call.attemptTimeout = limit;
                    try {
                        return chain.proceed(req);
                    } finally {
                        call.attemptScope = null;
                    }
                });
            } catch (ClientTimeoutError e) {
                throw e;
            } catch (TimeoutError e) {
                if (scope[0] == null || !scope[0].expired()) {
                    throw e;
                }
                throw new ClientTimeoutError("attempt timeout " + limit + " passed: " + req, e);
            }
        }
    }

    /** Follows 3xx answers; see the class comment of {@link ClientSession}, "Redirects". */
    private record Redirecting(int maxRedirects) implements Interceptor {
        @Override
        public Response intercept(Interceptor.Chain chain) {
            Request req = chain.request();
            for (int hops = 0; ; hops++) {
                Response r = chain.proceed(req);
                int status = r.status();
                boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
                String location = redirect ? r.header("Location") : null;
                if (!redirect || location == null || maxRedirects == 0) {
                    return r;
                }
                r.close();
                URI uri = req.uri();
                if (hops == maxRedirects) {
                    throw new TooManyRedirects("too many redirects: followed " + hops + ", then " + uri
                            + " answered " + status + " to " + location);
                }
                URI next;
                try {
                    next = uri.resolve(new URI(location));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new InvalidUrl("invalid redirect Location '" + Request.escape(location) + "' from " + uri
                            + ": " + e.getMessage(), e);
                }
                Request.checkHttp(next, location);
                String method = req.method();
                byte[] body = req.body();
                Map<String, String> headers = req.headers();
                if (status != 307 && status != 308 && !method.equalsIgnoreCase("HEAD")) {
                    method = "GET";
                    body = null;
                    headers = new LinkedHashMap<>(headers);
                    headers.remove("content-type");
                    headers.remove("content-length");
                }
                String origin = Request.originOf(next);
                if (!origin.equals(req.origin())) {
                    headers = new LinkedHashMap<>(headers);
                    headers.remove("authorization");
                    headers.remove("cookie");
                }
                req = new Request(method, next, origin, headers, body);
            }
        }
    }
}
