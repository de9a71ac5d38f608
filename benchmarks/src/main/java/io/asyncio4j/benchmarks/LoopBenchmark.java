package io.asyncio4j.benchmarks;

import io.asyncio4j.Runner;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The base of the JMH benchmarks that run on one event loop kept for the whole trial
 * ({@link TaskSpawnBenchmark}, {@link SwitchBenchmark}, {@link TimerBenchmark}, {@link GatherBenchmark}).
 * Each invocation is one {@link Runner#run} doing a batch of operations, so entering and leaving the loop
 * costs a few nanoseconds per operation.
 */
public abstract class LoopBenchmark extends AvgTimeBenchmark {
    /** The loop of the trial; open between {@link #openRunner()} and {@link #closeRunner()}. */
    protected Runner runner;

    @Setup(Level.Trial)
    public void openRunner() {
        runner = new Runner();
    }

    @TearDown(Level.Trial)
    public void closeRunner() {
        runner.close();
    }
}
