/**
 * JUnit 5 support for tests of asyncio4j code: {@link io.asyncio4j.testing.AsyncioExtension} fails tests
 * that leave event loops or unobserved exceptions behind, and {@link io.asyncio4j.testing.Ordering} asserts
 * the order of events across tasks, and {@link io.asyncio4j.testing.TestServer} is the scriptable HTTP/1.1
 * server that every module's tests use.
 */
module io.asyncio4j.testing {
    requires transitive io.asyncio4j;
    requires transitive org.junit.jupiter.api;
    exports io.asyncio4j.testing;
}
