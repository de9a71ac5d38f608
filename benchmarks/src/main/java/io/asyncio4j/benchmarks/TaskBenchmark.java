package io.asyncio4j.benchmarks;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH micro-benchmarks of {@link Task}: the cost of a task switch and of creating and awaiting a task.
 * Every figure is the average time of one operation in nanoseconds (JMH's {@code avgt} mode).
 *
 * <h2>Usage</h2>
 * <pre>
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar TaskBenchmark
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar TaskBenchmark.sleepZeroPingPong -f 1 -wi 2 -i 3
 * </pre>
 * Each invocation is one {@link Runner#run} on a loop kept for the whole trial, doing {@value #BATCH}
 * operations, so the cost of entering and leaving the loop is spread over the batch (a few ns per operation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Xmx2g"})
public class TaskBenchmark {
    static final int BATCH = 10_000;

    private Runner runner;

    @Setup(Level.Trial)
    public void openRunner() {
        runner = new Runner();
    }

    @TearDown(Level.Trial)
    public void closeRunner() {
        runner.close();
    }

    /** One task switch: two tasks alternate with {@code sleep(0)}; each call is one switch. */
    @Benchmark
    @OperationsPerInvocation(2 * BATCH)
    public long sleepZeroPingPong() {
        return runner.run(() -> {
            Callable<Long> pinger = () -> {
                long n = 0;
                for (int i = 0; i < BATCH; i++) {
                    Asyncio.sleep(0);
                    n++;
                }
                return n;
            };
            Task<Long> a = Asyncio.createTask(pinger);
            Task<Long> b = Asyncio.createTask(pinger);
            return a.await() + b.await();
        });
    }

    /** Creating one task and awaiting it at once: a task's whole life, with two switches. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long createAndAwait() {
        return runner.run(() -> {
            Callable<Long> one = () -> 1L;
            long sum = 0;
            for (int i = 0; i < BATCH; i++) {
                sum += Asyncio.createTask(one).await();
            }
            return sum;
        });
    }

    /** Creating {@value #BATCH} tasks, then awaiting them all: tasks run back to back, as in a fan-out. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long createBatchThenAwait() {
        return runner.run(() -> {
            Callable<Long> one = () -> 1L;
            List<Task<Long>> tasks = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                tasks.add(Asyncio.createTask(one));
            }
            long sum = 0;
            for (Task<Long> t : tasks) {
                sum += t.await();
            }
            return sum;
        });
    }
}
