package io.asyncio4j;

/**
 * What an {@link AsyncGenerator}'s body hands its values to: {@code out.yield(v)} is Python's
 * {@code yield v} in an async generator. ({@code yield} is a contextual keyword in Java: the call must be
 * qualified, {@code out.yield(v)}, never a bare {@code yield(v)}.)
 */
@FunctionalInterface
public interface Yielder<T> {
    /**
     * Hands {@code value} (null allowed) to the consumer waiting in {@code hasNext()}/{@code next()} and
     * suspends the body until the consumer asks for the next value.
     *
     * <p>Cancellation: if the generator is closed, or its task cancelled, while the body is suspended
     * here, this throws {@link CancelledError}; let it propagate (run clean-up in {@code finally}).
     *
     * @throws IllegalStateException if called anywhere but in the body's own task (another task, a task
     *                               the body created, a plain thread), or when no consumer asked for a
     *                               value because the body caught the cancellation of {@code close()}
     *                               and yields instead of ending (asyncio's "async generator ignored
     *                               GeneratorExit")
     */
    void yield(T value);
}
