/**
 * The asyncio tutorials' examples, ported to asyncio4j: one small runnable main class each. They use only
 * the public API of {@code io.asyncio4j}, {@code io.asyncio4j.files}, {@code io.asyncio4j.sqlite} and
 * {@code io.asyncio4j.http}; the HTTP
 * examples talk to the {@code io.asyncio4j.cli.LocalServer} they start. Run one with {@code bin/run-example NAME}.
 */
module io.asyncio4j.examples {
    requires io.asyncio4j;
    requires io.asyncio4j.files;
    requires io.asyncio4j.sqlite;
    requires io.asyncio4j.http;
    requires io.asyncio4j.cli;

    exports io.asyncio4j.examples;
}
