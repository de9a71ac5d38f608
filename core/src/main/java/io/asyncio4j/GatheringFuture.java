package io.asyncio4j;

import java.util.List;

/**
 * The outer future of {@code gather}: cancelling it cancels its children (asyncio's {@code _GatheringFuture}).
 * The gather logic itself lives in {@link Gather}.
 */
final class GatheringFuture<T> extends Future<T> {
    private final List<? extends Future<?>> children;
    // set when a cancel of this future reached a child; loop thread only
    boolean cancelRequested;

    GatheringFuture(EventLoop loop, List<? extends Future<?>> children) {
        super(loop);
        this.children = children;
    }

    @Override
    public boolean cancel(String msg) {
        loop.ensureOnLoopThread("Future.cancel()");
        if (done()) {
            return false;
        }
        boolean any = false;
        for (Future<?> child : children) {
            if (child.cancel(msg)) {
                any = true;
            }
        }
        if (any) {
            cancelRequested = true;
        }
        return any;
    }
}
