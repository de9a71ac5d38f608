package io.asyncio4j.benchmarks;

import io.asyncio4j.Runner;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The setting shared by the JMH benchmarks that run on one event loop kept for the whole trial
 * ({@link TaskSpawnBenchmark}, {@link SwitchBenchmark}, {@link TimerBenchmark}, {@link GatherBenchmark}):
 * JMH's {@code avgt} mode in nanoseconds, 3 warm-up and 5 measured iterations of 1 s in one fork with the
 * flag the kernel needs. Each invocation is one {@link Runner#run} doing a batch of operations, so entering
 * and leaving the loop costs a few nanoseconds per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Xmx2g"})
public abstract class LoopBenchmark {
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
