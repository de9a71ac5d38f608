package io.asyncio4j;

import java.util.Objects;

/**
 * How one awaited thing ended, as {@code gatherSettled} (asyncio's {@code gather(..., return_exceptions=True)})
 * reports it: a {@link Success} with the value, or a {@link Failure} with the exception (a cancelled child is a
 * failure with a {@link CancelledError}).
 */
public sealed interface Outcome<T> {
    /** The thing returned {@code value}. */
    record Success<T>(T value) implements Outcome<T> {
        /** The value as {@code String.valueOf} prints it, as Python prints a gathered result: {@code 1}. */
        @Override
        public String toString() {
            return String.valueOf(value);
        }
    }

    /** The thing failed with {@code exception} (a {@link CancelledError} when it was cancelled). */
    record Failure<T>(Throwable exception) implements Outcome<T> {
        public Failure {
            Objects.requireNonNull(exception, "exception");
        }

        /** The exception as Python's {@code repr}: {@code IllegalArgumentException("Error!")}. */
        @Override
        public String toString() {
            return ExceptionGroup.describe(exception);
        }
    }

    /** Whether this is a {@link Success}. */
    default boolean isSuccess() {
        return this instanceof Success<T>;
    }

    /** The value of a success; a failure's exception is thrown as {@link Future#result()} would. */
    default T getOrThrow() {
        return switch (this) {
            case Success<T> s -> s.value();
            case Failure<T> f -> throw Future.surface(f.exception());
        };
    }
}
