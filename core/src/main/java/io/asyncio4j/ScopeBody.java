package io.asyncio4j;

/**
 * The body of a scope ({@link TaskGroup}, {@link Timeout}): it receives the scope object and returns the
 * scope's value. Scopes are lambdas rather than try-with-resources because {@code close()} cannot see the
 * body's exception, and a scope must react to it (a task group cancels its children when its body fails).
 */
@FunctionalInterface
public interface ScopeBody<S, T> {
    T run(S scope) throws Exception;
}
