package io.asyncio4j;

import java.util.Objects;

/**
 * What the loop's {@link ExceptionHandler} is told (asyncio's context dict).
 *
 * @param message   what happened, e.g. {@code "Task exception was never retrieved"}; never null
 * @param exception the failure, or null
 * @param future    the future or task concerned, or null
 * @param task      the task concerned (when {@code future} is a task, the same object), or null
 */
public record ExceptionContext(String message, Throwable exception, Future<?> future, Task<?> task) {
    public ExceptionContext {
        Objects.requireNonNull(message, "message");
    }

    /** A context with only a message and an exception. */
    public static ExceptionContext of(String message, Throwable exception) {
        return new ExceptionContext(message, exception, null, null);
    }
}
