/**
 * JUnit support for tests of asyncio4j code: {@link io.asyncio4j.testing.AsyncioTest} runs a test with a
 * virtual-time {@link io.asyncio4j.Runner} and fails it when it leaves an open loop, a live task or an
 * unretrieved failure behind; {@link io.asyncio4j.testing.Ordering} asserts the order of events.
 */
package io.asyncio4j.testing;
