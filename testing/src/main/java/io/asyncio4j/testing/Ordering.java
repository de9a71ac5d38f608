package io.asyncio4j.testing;

/** Placeholder replaced by the testing module's real classes. */
final class Ordering {
}
