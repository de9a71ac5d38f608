package io.asyncio4j;

import io.asyncio4j.internal.diag.Diagnostics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Helpers shared by the kernel's tests: runners on virtual time, awaiting an expected cancellation,
 * and recording what reaches a loop's exception handler or the default one.
 */
final class TestLoops {
    private TestLoops() {
    }

    /** A runner on virtual time: sleeps and timers cost no real time and the clock starts at 0. */
    static Runner virtualRunner() {
        return Runner.builder().virtualTime(true).build();
    }

    /** Runs {@code main} on a fresh virtual-time runner, closes the runner, and returns the result. */
    static <T> T runVirtual(Callable<T> main) {
        try (Runner runner = virtualRunner()) {
            return runner.run(main);
        }
    }

    /** Runs a void body on a fresh virtual-time runner and closes the runner. */
    static void runVirtual(ThrowingRunnable main) {
        runVirtual(main.asCallable());
    }

    /** An async generator yielding 0..n-1, sleeping 0.01 s before each value (asyncio tests' {@code arange}). */
    static AsyncGenerator<Integer> arange(int n) {
        return Asyncio.generator(out -> {
            for (int i = 0; i < n; i++) {
                Asyncio.sleep(0.01);
                out.yield(i);
            }
        });
    }

    /** The running loop's clock, for exact assertions on virtual time. */
    static double now() {
        return Asyncio.getRunningLoop().time();
    }

    /** Awaits {@code f}, which must raise {@link CancelledError}; returns that error. */
    static CancelledError awaitCancelled(Future<?> f) {
        return assertThrows(CancelledError.class, f::await);
    }

    /** Replaces {@code loop}'s exception handler with one that records every context it receives. */
    /** Runs {@code body} on a virtual runner and returns what reached the exception handler by close. */
    static List<ExceptionContext> reportsAfter(ThrowingRunnable body) {
        List<ExceptionContext> seen;
        try (Runner runner = virtualRunner()) {
            seen = recordExceptions(runner.getLoop());
            runner.run(body);
        }
        return seen;
    }

    static List<ExceptionContext> recordExceptions(EventLoop loop) {
        List<ExceptionContext> seen = Collections.synchronizedList(new ArrayList<>());
        loop.setExceptionHandler((l, ctx) -> seen.add(ctx));
        return seen;
    }

    /**
     * Records what reaches the default exception handler of any loop while open (the default handler logs
     * it on the {@code io.asyncio4j} logger and tells the kernel's diagnostics listeners).
     */
    static final class DefaultHandlerCapture implements AutoCloseable {
        private final List<ExceptionContext> seen = Collections.synchronizedList(new ArrayList<>());
        private final Diagnostics.Listener listener = (loop, ctx) -> seen.add(ctx);

        DefaultHandlerCapture() {
            Diagnostics.addListener(listener);
        }

        List<ExceptionContext> seen() {
            synchronized (seen) {
                return List.copyOf(seen);
            }
        }

        @Override
        public void close() {
            Diagnostics.removeListener(listener);
        }
    }
}
