/**
 * The asyncio tutorials' examples, ported to asyncio4j: one small runnable main class each. They use only
 * the public API of {@code io.asyncio4j}. Run one with {@code bin/run-example NAME}.
 */
module io.asyncio4j.examples {
    requires io.asyncio4j;

    exports io.asyncio4j.examples;
}
