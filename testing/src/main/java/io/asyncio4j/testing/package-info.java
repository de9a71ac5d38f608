/** JUnit 5 support for asyncio4j tests: leak checks and an ordering helper. */
package io.asyncio4j.testing;
