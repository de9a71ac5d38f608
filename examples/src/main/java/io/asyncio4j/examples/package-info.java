/**
 * The asyncio tutorials' examples, ported: each class is one tutorial example with a {@code main} to run it
 * ({@code bin/run-example NAME}, where NAME is the class name without {@code Example}, in lower case).
 *
 * <h2>How the examples are written</h2>
 * Each example keeps the tutorial's shape: the coroutines are plain methods (no {@code async}, no
 * {@code await} keyword: a task that sleeps or waits simply blocks, and the loop runs the next task), and
 * an instance method {@code main()} is the tutorial's {@code async def main()}. {@code main(String[])} runs
 * it on a real clock with {@link io.asyncio4j.Asyncio#run}, so the example takes as long as the tutorial
 * says; the smoke tests run the same {@code main()} on a virtual-time {@link io.asyncio4j.Runner}, where
 * it finishes at once with exactly the same output. Examples print to {@code System.out}, as the tutorials
 * print (the smoke tests capture it), and timings are taken on the loop clock ({@code loop.time()}), so
 * both are deterministic in tests. The examples about blocking calls ({@code ToThreadExample},
 * {@code RunInExecutorExample}, {@code AsyncLibrariesExample}) are the exception: they run on the real
 * clock, because what they show is what really blocks.
 */
package io.asyncio4j.examples;
