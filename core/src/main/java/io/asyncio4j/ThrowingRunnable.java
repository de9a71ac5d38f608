package io.asyncio4j;

/**
 * A body that returns nothing and may throw: the void counterpart of {@link java.util.concurrent.Callable}
 * taken by the void overloads ({@code Asyncio.run(() -> { ... })}, {@code createTask}, {@code toThread}).
 */
@FunctionalInterface
public interface ThrowingRunnable {
    void run() throws Exception;

    /** This body as a {@code Callable<Void>} that returns null. */
    default java.util.concurrent.Callable<Void> asCallable() {
        return () -> {
            run();
            return null;
        };
    }
}
