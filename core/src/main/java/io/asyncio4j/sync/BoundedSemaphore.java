package io.asyncio4j.sync;

/**
 * A {@link Semaphore} that cannot be released more often than it was acquired (asyncio's
 * {@code asyncio.BoundedSemaphore}): a {@link #release()} that would raise the number of free permits above
 * the initial value throws {@link IllegalStateException} (asyncio raises {@code ValueError}), which catches
 * a release in the wrong place early. Fairness and cancellation are those of {@link Semaphore}.
 *
 * <pre>{@code
 * BoundedSemaphore pool = new BoundedSemaphore(3);
 * try (var held = pool.hold()) {
 *     useConnection();
 * }
 * pool.release();   // IllegalStateException: released too many times
 * }</pre>
 */
public final class BoundedSemaphore extends Semaphore {
    /** A bounded semaphore with one permit. */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * A bounded semaphore with {@code value} permits, which is also its bound.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(value, true);
    }
}
