package io.asyncio4j;

/**
 * The body of an {@link AsyncGenerator} (what follows {@code async def} in an asyncio async generator
 * function): it produces values by calling {@code out.yield(v)} and ends by returning or throwing.
 * <pre>{@code
 * AsyncGenerator<Integer> ticks = Asyncio.generator(out -> {
 *     for (int i = 0; i < 3; i++) {
 *         Asyncio.sleep(1);
 *         out.yield(i);
 *     }
 * });
 * }</pre>
 * It runs in a task of its own, one stretch per value the consumer asks for; see {@link AsyncGenerator}.
 */
@FunctionalInterface
public interface GeneratorBody<T> {
    /**
     * Produces the generator's values through {@code out}. A checked exception it throws reaches the
     * consumer wrapped in {@link java.util.concurrent.CompletionException}, as {@link Future#await()} does.
     */
    void run(Yielder<T> out) throws Exception;
}
