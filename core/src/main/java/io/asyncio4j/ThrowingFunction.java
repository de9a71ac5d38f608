package io.asyncio4j;

/** A function that may throw, for {@link Asyncio#gather(java.util.Collection, ThrowingFunction)}. */
@FunctionalInterface
public interface ThrowingFunction<A, T> {
    T apply(A a) throws Exception;
}
