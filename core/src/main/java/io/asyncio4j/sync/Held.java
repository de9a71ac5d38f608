package io.asyncio4j.sync;

/**
 * A held lock, permit or condition, released by {@link #close()}: the {@code async with} of asyncio.
 * <pre>{@code
 * try (var held = lock.hold()) {
 *     ... // the lock is held here
 * }         // released here, also when the block throws or the task is cancelled
 * }</pre>
 */
@FunctionalInterface
public interface Held extends AutoCloseable {
    /** Releases what was acquired. Call it once; closing twice releases twice. */
    @Override
    void close();
}
