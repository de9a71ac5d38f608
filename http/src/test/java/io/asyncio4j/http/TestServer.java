package io.asyncio4j.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK {@link HttpServer} on 127.0.0.1 with an ephemeral port and a thread per exchange, for the tests.
 * {@link #release} ends every stalled handler; {@link #close()} stops the server.
 */
final class TestServer implements AutoCloseable {
    final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-http-server");
        t.setDaemon(true);
        return t;
    });
    /** Counted down when a stalled handler should finish. */
    final CountDownLatch release = new CountDownLatch(1);
    /** Exchanges in a handler made with {@link #counting}, now and at most. */
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();

    TestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.start();
    }

    /** The base URL, such as {@code http://127.0.0.1:41234}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    TestServer handle(String path, HttpHandler handler) {
        server.createContext(path, handler);
        return this;
    }

    /** Answers {@code status} with {@code body} and {@code contentType} (null: no header). */
    static HttpHandler answer(int status, String contentType, byte[] body) {
        return ex -> {
            if (contentType != null) {
                ex.getResponseHeaders().set("Content-Type", contentType);
            }
            send(ex, status, body);
        };
    }

    static HttpHandler answer(String body) {
        return answer(200, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    /** Counts the exchange in {@link #inFlight}, holds it {@code millis}, then answers "ok". */
    HttpHandler counting(long millis) {
        return ex -> {
            holdCounted(millis);
            send(ex, 200, "ok".getBytes(StandardCharsets.UTF_8));
        };
    }

    /**
     * For a handler: counts the calling exchange in {@link #inFlight} (and {@link #maxInFlight}) while it holds
     * the server thread {@code millis}, so that a client's concurrency limit shows.
     */
    void holdCounted(long millis) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Sends headers announcing 100 bytes and 10 of them, then waits for {@link #release} (at most 5 s). */
    HttpHandler stallMidBody(CountDownLatch arrived) {
        return ex -> {
            arrived.countDown();
            ex.sendResponseHeaders(200, 100);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(new byte[10]);
                out.flush();
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client closed the connection: expected
            }
        };
    }

    static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
