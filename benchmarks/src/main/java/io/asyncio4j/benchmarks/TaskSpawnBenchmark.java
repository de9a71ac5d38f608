package io.asyncio4j.benchmarks;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * JMH micro-benchmarks of a task's whole life: creating a {@link Task} and awaiting it, one at a time and
 * in a batch (the shape of the comparison harness's workload W1, spawn and join). Every figure is the
 * average time of one operation in nanoseconds (JMH's {@code avgt} mode). The switch itself:
 * {@link SwitchBenchmark}.
 *
 * <h2>Usage</h2>
 * <pre>
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar TaskSpawnBenchmark
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar TaskSpawnBenchmark.createAndAwait -f 1 -wi 2 -i 3
 * </pre>
 * Each invocation is one {@link io.asyncio4j.Runner#run} doing {@value #BATCH} operations (see {@link LoopBenchmark}).
 */
public class TaskSpawnBenchmark extends LoopBenchmark {
    static final int BATCH = 10_000;

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
