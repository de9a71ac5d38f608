package io.asyncio4j;

/**
 * The body of a scope ({@link TaskGroup}, {@link Timeout}): it receives the scope object and returns the
 * scope's value. Scopes are lambdas rather than try-with-resources because {@code close()} cannot see the
 * body's exception, and a scope must react to it (a task group cancels its children when its body fails).
 *
 * <p>It extends {@link ScopeStatements} only so that overloads taking both forms resolve a lambda that
 * returns a value to this one (a subtype is the more specific parameter).
 *
 * @param <S> the scope type
 * @param <T> the value the body returns
 */
@FunctionalInterface
public interface ScopeBody<S, T> extends ScopeStatements<S> {
    /**
     * Runs the body with the open scope.
     *
     * @param scope the scope, valid only while this method runs
     * @return the scope's value
     * @throws Exception whatever the body throws; the scope reacts to it
     */
    T run(S scope) throws Exception;

    /** Runs {@link #run} and drops its value. */
    @Override
    default void runStatements(S scope) throws Exception {
        run(scope);
    }
}
