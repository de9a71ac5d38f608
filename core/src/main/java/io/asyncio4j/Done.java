package io.asyncio4j;

import java.util.Set;

/**
 * What {@link Asyncio#wait} returns: the futures that are done and those still pending (asyncio's
 * {@code done, pending} pair).
 */
public record Done<T>(Set<Future<T>> done, Set<Future<T>> pending) {
    public Done {
        done = Set.copyOf(done);
        pending = Set.copyOf(pending);
    }
}
