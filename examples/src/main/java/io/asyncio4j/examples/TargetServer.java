package io.asyncio4j.examples;

import io.asyncio4j.cli.LocalServer;

import java.io.IOException;
import java.time.Duration;

/**
 * Where an HTTP example sends its requests instead of the internet: a {@link LocalServer} it starts on the
 * running loop, or a server already running elsewhere (e.g. {@code asyncio4j serve}) given by its base URL.
 *
 * <pre>{@code
 * try (TargetServer server = TargetServer.start(baseUrl, latency)) {
 *     session.get(server.url() + "/json");
 * }
 * }</pre>
 */
final class TargetServer implements AutoCloseable {
    private final LocalServer local; // null when the example was given a base URL
    private final String url;

    private TargetServer(LocalServer local, String url) {
        this.local = local;
        this.url = url;
    }

    /**
     * Starts a {@link LocalServer} that waits {@code latency} before each answer, or, when {@code baseUrl}
     * is not null, uses that server. Call on a task.
     */
    static TargetServer start(String baseUrl, Duration latency) throws IOException {
        if (baseUrl != null) {
            return new TargetServer(null, baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        }
        LocalServer local = LocalServer.builder().latency(latency).start();
        return new TargetServer(local, local.url());
    }

    /** The optional base URL argument of an HTTP example's {@code main}: the first argument, or null. */
    static String baseUrl(String[] args) {
        return args.length > 0 ? args[0] : null;
    }

    /** {@code http://HOST:PORT}, without a trailing slash. */
    String url() {
        return url;
    }

    /** Stops the server this started, if any. */
    @Override
    public void close() {
        if (local != null) {
            local.close();
        }
    }
}
