package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.asyncio4j.Asyncio;

/**
 * {@code serve}'s {@link LocalServer} on loopback, serving on an event loop of its own thread, for the tests
 * that run a command against what {@code serve} emulates: the LLM API ({@code batch}: rate limits with their
 * headers, 429 storms, echoed answers) or a generated site ({@code --site}, for a crawler). They test the
 * commands together, as a user tries them. Tests that only need HTTP answers use the testing module's
 * {@code TestServer} instead.
 */
final class ServeThread implements AutoCloseable {
    private final CompletableFuture<LocalServer> bound = new CompletableFuture<>();
    private final Thread thread;
    final String url;

    /** {@code serve --latency LATENCY}. */
    ServeThread(Duration latency) throws Exception {
        this(LocalServer.builder().latency(latency));
    }

    /** The server {@code builder} binds, served until {@link #close()}. */
    ServeThread(LocalServer.Builder builder) throws Exception {
        thread = Thread.ofPlatform().name("serve-thread").daemon().start(() -> {
            try {
                Asyncio.run(() -> {
                    LocalServer s = builder.bind();
                    bound.complete(s);
                    s.serveForever();
                });
            } catch (Throwable e) {
                bound.completeExceptionally(e);
            }
        });
        url = bound.get(30, TimeUnit.SECONDS).url();
    }

    /** The server (to read its rate limits' arrivals). */
    LocalServer server() throws Exception {
        return bound.get();
    }

    @Override
    public void close() throws Exception {
        bound.get().stop();
        thread.join(10_000);
        assertFalse(thread.isAlive(), "the server did not stop");
    }
}
