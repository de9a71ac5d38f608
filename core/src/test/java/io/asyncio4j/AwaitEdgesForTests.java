package io.asyncio4j;

/**
 * Lets tests in other packages (the call graph's) record who awaits a future directly, as the kernel's
 * scopes and combinators do, to build shapes that tasks alone cannot reach without deadlocking (a cycle).
 */
public final class AwaitEdgesForTests {
    private AwaitEdgesForTests() {
    }

    /** Records that {@code waiter} waits for {@code future}; loop thread only. */
    public static void addAwaitedBy(Future<?> future, Future<?> waiter) {
        future.addAwaitedBy(waiter);
    }

    /** Forgets one record of {@code waiter} on {@code future}; loop thread only. */
    public static void discardAwaitedBy(Future<?> future, Future<?> waiter) {
        future.discardAwaitedBy(waiter);
    }
}
