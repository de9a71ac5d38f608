package io.asyncio4j.http;

import io.asyncio4j.Future;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link Transport} on the JDK {@link HttpClient}: HTTP/1.1 (no h2c upgrade on plain http), redirects not
 * followed, its own small pool of daemon platform threads {@code asyncio4j-http-N} for the client's
 * callbacks (not the common pool), and one daemon timer thread {@code asyncio4j-http-timer} when a
 * {@code sockRead} limit is set. One instance per {@link ClientSession}; {@link #close()} stops them all.
 * Selected with {@code ClientSession.Builder.jdkHttpClient()}; cookies and the proxy are the JDK client's.
 *
 * <p>The calling task awaits the JDK's future through {@link Future#wrap}, so it parks in one of the loop's
 * own waits (virtual time does not jump past a request in flight).
 *
 * <p>Cancellation: cancelling the awaiting task cancels the wrapped future, which cancels the JDK's future with
 * {@code cancel(true)} (which aborts an exchange still waiting for its headers) and aborts the body
 * subscriber (which closes the connection while the body is read).
 */
final class JdkTransport implements Transport {
    private static final AtomicInteger THREADS = new AtomicInteger();

    // the client's executor: a few daemon platform threads
    private final ExecutorService executor;
    // the sockRead timer thread, or null
    private final ScheduledExecutorService timers;
    // the JDK client
    private final HttpClient client;
    // the longest wait for data, or null
    private final Duration sockRead;

    JdkTransport(Duration connect, Duration sockRead, java.net.CookieHandler cookies, java.net.ProxySelector proxy,
                 javax.net.ssl.SSLContext sslContext) {
        this.sockRead = sockRead;
        boolean readTimer = sockRead != null;
        executor = Executors.newFixedThreadPool(2, daemon("asyncio4j-http-"));
        if (readTimer) {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemon("asyncio4j-http-timer-"));
            t.setRemoveOnCancelPolicy(true);
            timers = t;
        } else {
            timers = null;
        }
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor);
        if (connect != null) {
            b.connectTimeout(connect);
        }
        if (cookies != null) {
            b.cookieHandler(cookies);
        }
        if (proxy != null) {
            b.proxy(proxy);
        }
        if (sslContext != null) {
            b.sslContext(sslContext);
        }
        client = b.build();
    }

    @Override
    public Reply<byte[]> send(Request request, long maxBodySize) {
        HttpResponse<byte[]> r = Future.wrap(sendAsync(toJdk(request), maxBodySize)).await();
        return new Reply<>(r.statusCode(), new ResponseHeaders(r.headers()), r.body());
    }

    @Override
    public Reply<InputStream> stream(Request request) {
        HttpResponse<StreamingBody> r = Future.wrap(streamAsync(toJdk(request))).await();
        return new Reply<>(r.statusCode(), new ResponseHeaders(r.headers()), r.body());
    }

    private HttpRequest toJdk(Request r) {
        HttpRequest.Builder b = HttpRequest.newBuilder(r.uri()).method(r.method(), r.body() == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body()));
        r.headers().forEach(b::header);
        if (sockRead != null) {
            b.timeout(sockRead);
        }
        return b.build();
    }

    private CompletableFuture<HttpResponse<byte[]>> sendAsync(HttpRequest request, long maxBodySize) {
        CompletableFuture<HttpResponse<byte[]>> outer = new CompletableFuture<>();
        AtomicReference<CappedBody> body = new AtomicReference<>();
        HttpResponse.BodyHandler<byte[]> handler = info -> {
            CappedBody b = new CappedBody(info, maxBodySize, sockRead, timers);
            body.set(b);
            if (outer.isCancelled()) {
                b.abort();
            }
            return b;
        };
        CompletableFuture<HttpResponse<byte[]>> jdk = client.sendAsync(request, handler);
        jdk.whenComplete((r, e) -> {
            if (e == null) {
                outer.complete(r);
            } else {
                CappedBody b = body.get();
                Throwable own = b == null ? null : b.ownFailure();
                outer.completeExceptionally(own != null ? own
                        : e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
        });
        outer.whenComplete((r, e) -> {
            if (outer.isCancelled()) {
                jdk.cancel(true);
                CappedBody b = body.get();
                if (b != null) {
                    b.abort();
                }
            }
        });
        return outer;
    }

    private CompletableFuture<HttpResponse<StreamingBody>> streamAsync(HttpRequest request) {
        CompletableFuture<HttpResponse<StreamingBody>> outer = new CompletableFuture<>();
        AtomicReference<StreamingBody> body = new AtomicReference<>();
        HttpResponse.BodyHandler<StreamingBody> handler = info -> {
            StreamingBody b = new StreamingBody(info, sockRead);
            body.set(b);
            if (outer.isCancelled()) {
                b.close();
            }
            return b;
        };
        CompletableFuture<HttpResponse<StreamingBody>> jdk = client.sendAsync(request, handler);
        jdk.whenComplete((r, e) -> {
            if (e == null) {
                if (!outer.complete(r)) {
                    r.body().close(); // cancelled meanwhile: nobody will read it
                }
            } else {
                outer.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
        });
        outer.whenComplete((r, e) -> {
            if (outer.isCancelled()) {
                jdk.cancel(true);
                StreamingBody b = body.get();
                if (b != null) {
                    b.close();
                }
            }
        });
        return outer;
    }

    @Override
    public void close() {
        client.shutdownNow();
        // the client may still hand callbacks to the executor while it aborts its exchanges: stop the
        // threads once it has terminated, from a short-lived daemon thread so that close() never blocks
        Thread.ofPlatform().daemon().name("asyncio4j-http-close").start(() -> {
            try {
                client.awaitTermination(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                executor.shutdown();
                if (timers != null) {
                    timers.shutdownNow();
                }
            }
        });
    }

    private static ThreadFactory daemon(String prefix) {
        return r -> {
            Thread t = new Thread(r, prefix + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
