package io.asyncio4j.http;

/**
 * A step every request of a {@link ClientSession} passes through (OkHttp's {@code Interceptor}, aiohttp 3.12's
 * client middlewares): it sees the request, may change it, calls the next step with
 * {@link Chain#proceed(Request)}, and sees the response or the error that comes back, which it may return,
 * replace, or answer by calling {@code proceed} again.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Interceptor log = chain -> {
 *     Request r = chain.request();
 *     long start = System.nanoTime();
 *     try {
 *         Response resp = chain.proceed(r);
 *         System.err.println(r + " -> " + resp.status() + " in " + (System.nanoTime() - start) / 1000 + " us");
 *         return resp;
 *     } catch (ClientError | ClientTimeoutError e) {
 *         System.err.println(r + " failed: " + e.getMessage());
 *         throw e;
 *     }
 * };
 * ClientSession session = ClientSession.builder().interceptor(log).build();
 * }</pre>
 *
 * <h2>The chain</h2>
 * A session's chain, outermost first:
 * <pre>
 *   interceptor(...)          once per call, in the order added: sees the final response, after retries
 *     retry                   Retry: attempts, backoff, attempt timeout         (builder().retry)
 *       redirects             3xx hops, method and header rewriting             (builder().followRedirects)
 *         rate limit          one token per request put on the wire             (builder().rateLimit)
 *           networkInterceptor(...)   once per request on the wire: each attempt, each redirect hop
 *             connection slots, transport
 * </pre>
 * So an {@code interceptor} is the place for what concerns the call as the caller sees it (logging one line
 * per call, metrics, refreshing a token on a 401 and calling {@code proceed} again), and a
 * {@code networkInterceptor} the place for what concerns each request that goes out (a signature over the
 * exact URL of a redirect hop, counting the requests a server got).
 *
 * <h2>Rules</h2>
 * An interceptor runs in the requesting task, on the session's loop, and may wait (sleep, take a lock,
 * make another request with the same session: beware of recursion). It must either return the response
 * {@code proceed} gave (or another it got from {@code proceed}), or close every response it drops and
 * throw; a streamed response it drops without closing keeps its connection slots. It may call
 * {@code proceed} more than once (a retry of its own); each call goes through the rest of the chain again.
 *
 * <h2>Cancellation</h2>
 * A cancel of the requesting task or the session's total timeout reaches the interceptor as
 * {@link io.asyncio4j.CancelledError} out of {@code proceed} (or out of any wait of its own); let it propagate.
 *
 * <h2>Thread-safety</h2>
 * One interceptor serves every task of the session at the same time (one at a time on the loop thread, but
 * interleaved at every wait): keep per-request state in local variables, not in fields.
 */
@FunctionalInterface
public interface Interceptor {

    /**
     * Handles {@code chain.request()}: usually returns {@code chain.proceed(chain.request())}, or that with a
     * changed request or a look at the response.
     */
    Response intercept(Chain chain);

    /** The request at this step and the way to the next one. */
    interface Chain {
        /** The request as the previous step passed it on. */
        Request request();

        /**
         * Sends {@code request} through the rest of the chain and returns its response.
         *
         * <p>It raises what {@link ClientSession#request} raises: {@link InvalidUrl}, {@link TooManyRedirects},
         * {@link ClientConnectionError}, {@link ClientTimeoutError}, {@link BodyTooLarge}; and
         * {@link io.asyncio4j.CancelledError} on a cancel.
         */
        Response proceed(Request request);

        /**
         * The attempt this request belongs to: 1 for the first, 2 for the first retry of the session's
         * {@link Retry}, ...; always 1 outside the retry step (an {@code interceptor}) or without a retry policy.
         */
        int attempt();
    }
}
