package io.asyncio4j;

import io.asyncio4j.internal.graph.AwaitEdges;

import java.util.List;

/**
 * The kernel's side of {@link AwaitEdges}: hands the package-private records of who awaits a future
 * ({@link Future#awaitedBy()}) to {@code io.asyncio4j.graph}, without making them public API.
 */
final class AwaitEdgesAccess implements AwaitEdges.Access {
    static {
        AwaitEdges.setAccess(new AwaitEdgesAccess());
    }

    private AwaitEdgesAccess() {
    }

    @Override
    public List<Future<?>> awaitedBy(Future<?> future) {
        return future.awaitedBy();
    }

    @Override
    public void ensureOnLoopThread(Future<?> future, String api) {
        future.loop.ensureOnLoopThread(api);
    }
}
