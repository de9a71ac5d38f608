package io.asyncio4j.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.asyncio4j.sync.Semaphore;

/**
 * {@code fetch --per-host N}: at most N attempts in flight per origin (scheme, host and port), taken by
 * {@link Fetcher} before an attempt's timeout starts, so that waiting for a busy host is not counted as the
 * request being slow. (The session's own {@code limitPerHost} waits inside the request, hence inside the
 * timeout; {@code fetch} sets it too, for the hosts that redirects lead to.)
 *
 * <p>One {@link Semaphore} per origin in use, with a count of the attempts holding or waiting for it; it is
 * dropped when the count falls to zero, so 100,000 URLs on 100,000 hosts do not leave 100,000 semaphores.
 *
 * <p>Cancellation: a task cancelled while it waits for a slot leaves the queue and gives up its count.
 *
 * <p>Thread-safety: none; the worker tasks of one loop use it, one at a time.
 */
final class HostLimits {

    /** The slot of one origin; {@link #release()} once per {@link HostLimits#acquire} that returned it. */
    final class Slot {
        private final String origin;
        private final Semaphore semaphore;
        // attempts holding or waiting for the semaphore; loop thread only
        private int users;

        private Slot(String origin) {
            this.origin = origin;
            this.semaphore = new Semaphore(perHost);
        }

        void release() {
            semaphore.release();
            leave();
        }

        private void leave() {
            if (--users == 0) {
                slots.remove(origin);
            }
        }
    }

    private final int perHost;
    // origin -> its slot, while some attempt uses it; loop thread only
    private final Map<String, Slot> slots = new HashMap<>();

    HostLimits(int perHost) {
        this.perHost = perHost;
    }

    /**
     * Waits for a slot of {@code url}'s origin; null, at once, for a URL without one (the request then fails
     * as an invalid URL).
     */
    Slot acquire(String url) {
        String origin = origin(url);
        if (origin == null) {
            return null;
        }
        Slot slot = slots.computeIfAbsent(origin, Slot::new);
        slot.users++;
        boolean acquired = false;
        try {
            slot.semaphore.acquire();
            acquired = true;
            return slot;
        } finally {
            if (!acquired) {
                slot.leave(); // cancelled while waiting
            }
        }
    }

    /** How many origins have a slot now (for tests). */
    int origins() {
        return slots.size();
    }

    /** scheme://host:port in lower case, the default port filled in; null when {@code url} has none. */
    static String origin(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (scheme == null || uri.getHost() == null) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
