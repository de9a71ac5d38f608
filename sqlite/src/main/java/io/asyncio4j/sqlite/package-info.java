/**
 * aiosqlite-style SQLite for asyncio4j tasks: {@link io.asyncio4j.sqlite.Database} runs each connection's
 * statements on its own thread while the calling task waits, with transactions that other tasks' statements
 * cannot interleave with, cancellation that interrupts the running statement, and streaming of big results.
 */
package io.asyncio4j.sqlite;
