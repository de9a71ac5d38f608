package io.asyncio4j;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Work that runs outside the loop and reports back to it: {@code runInExecutor}/{@code toThread} and
 * {@link Future#wrap}. One per loop.
 */
final class ExecutorBridge {
    /*
     * Implementation overview. Each piece of outside work is counted in `inFlight` (loop thread only) from
     * submission until its completion callback runs on the loop; virtual time never jumps while the count is
     * positive, because that work can wake a task at any real moment. Completions come back through
     * callSoonThreadsafeInternal, which drops them once the loop is closed (the work outlived its loop).
     */
    private final EventLoop loop;
    private final Executor configured;
    // loop thread only
    private ExecutorService owned;
    private int inFlight;

    ExecutorBridge(EventLoop loop, Executor configured) {
        this.loop = loop;
        this.configured = configured;
    }

    boolean nothingInFlight() {
        return inFlight == 0;
    }

    <T> Future<T> submit(Executor executor, Callable<T> fn) {
        Executor ex = executor != null ? executor : defaultExecutor();
        Future<T> f = new Future<>(loop);
        Context ctx = Context.copyContext();
        inFlight++;
        try {
            ex.execute(() -> runOutside(f, ctx, fn));
        } catch (RejectedExecutionException e) {
            inFlight--;
            throw e;
        }
        return f;
    }

    private <T> void runOutside(Future<T> f, Context ctx, Callable<T> fn) {
        if (f.done()) {
            // cancelled before a worker picked it up: skip the work (asyncio cancels the pending future)
            loop.callSoonThreadsafeInternal(() -> inFlight--);
            return;
        }
        T value = null;
        Throwable failure = null;
        Context previous = Context.swapCurrent(ctx);
        try {
            value = fn.call();
        } catch (Throwable e) {
            failure = e;
        } finally {
            Context.swapCurrent(previous);
        }
        settle(f, value, failure, false);
    }

    <T> Future<T> wrap(CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "stage");
        Future<T> f = new Future<>(loop);
        CompletableFuture<T> cf = stage.toCompletableFuture();
        inFlight++;
        cf.whenComplete((v, e) -> settle(f, v, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e,
                cf.isCancelled()));
        f.addElement(new Future.DoneCallback<>(f, x -> {
            if (x.cancelled()) {
                cf.cancel(false);
            }
        }, null));
        return f;
    }

    /** Hands an outcome produced on another thread to the loop. */
    private <T> void settle(Future<T> f, T value, Throwable failure, boolean cancelled) {
        loop.callSoonThreadsafeInternal(() -> {
            inFlight--;
            if (f.done()) {
                return;
            }
            if (cancelled) {
                f.cancelNow((String) null);
            } else if (failure != null) {
                f.fail(failure);
            } else {
                f.complete(value);
            }
        });
    }

    private Executor defaultExecutor() {
        if (configured != null) {
            return configured;
        }
        if (owned == null) {
            int max = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
            ThreadPoolExecutor pool = new ThreadPoolExecutor(max, max, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    Thread.ofPlatform().daemon(true).name("asyncio4j-worker-" + loop.id + "-", 1).factory());
            pool.allowCoreThreadTimeOut(true);
            owned = pool;
        }
        return owned;
    }

    /** Shuts down the default executor if this loop created it, waiting for its work (asyncio waits 300 s). */
    void shutdown() {
        ExecutorService pool = owned;
        if (pool == null) {
            return;
        }
        owned = null;
        pool.shutdown();
        try {
            if (!pool.awaitTermination(300, TimeUnit.SECONDS)) {
                EventLoop.LOG.log(System.Logger.Level.WARNING,
                        "The default executor did not finish its work within 300 seconds");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
