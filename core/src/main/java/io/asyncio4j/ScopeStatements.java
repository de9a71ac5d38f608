package io.asyncio4j;

/**
 * The body of a scope that returns nothing: {@code TaskGroup.run(g -> { g.createTask(a); g.createTask(b); })},
 * asyncio's {@code async with TaskGroup() as tg:} block with no value to hand out.
 *
 * <p>{@link ScopeBody}, the form that returns a value, extends this interface, so the compiler picks it
 * whenever a lambda can return something: {@code g -> List.of(g.createTask(a))} still returns the list, and
 * only a block lambda without {@code return} ({@code g -> { ... }}) or a method reference to a {@code void}
 * method comes here.
 *
 * @param <S> the scope type ({@link TaskGroup})
 */
@FunctionalInterface
public interface ScopeStatements<S> {
    /**
     * Runs the statements with the open scope.
     *
     * @param scope the scope, valid only while this method runs
     * @throws Exception whatever the statements throw; the scope reacts to it as to any body failure
     */
    void runStatements(S scope) throws Exception;
}
