package io.asyncio4j.benchmarks;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;
import io.asyncio4j.TaskGroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * JMH micro-benchmarks of waiting for many tasks at once: {@code Asyncio.gather} of callables (each
 * becomes a task), {@code gather} of tasks already created, and a {@link TaskGroup}. Every figure is the
 * average time per task in nanoseconds, creating the task included; the bodies take a single step, so the
 * figures are the cost of the combinator and the task, next to {@link TaskSpawnBenchmark#createBatchThenAwait}.
 *
 * <h2>Usage</h2>
 * <pre>
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar GatherBenchmark
 * </pre>
 */
public class GatherBenchmark extends LoopBenchmark {
    static final int TASKS = 10_000;

    private static final Callable<Integer> ONE = () -> 1;

    /** {@code gather(coro, coro, ...)}: every callable becomes a task; results in input order. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int gatherCallables() {
        @SuppressWarnings("unchecked")
        Callable<Integer>[] coros = new Callable[TASKS];
        Arrays.fill(coros, ONE);
        return runner.run(() -> sum(Asyncio.gather(coros)));
    }

    /** {@code gather(tasks)} of tasks created first. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int gatherTasks() {
        return runner.run(() -> {
            List<Task<Integer>> tasks = new ArrayList<>(TASKS);
            for (int i = 0; i < TASKS; i++) {
                tasks.add(Asyncio.createTask(ONE));
            }
            return sum(Asyncio.gather(tasks));
        });
    }

    /** A {@link TaskGroup} whose body creates every task; the group's end waits for them. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int taskGroup() {
        return runner.run(() -> TaskGroup.run(tg -> {
            List<Task<Integer>> tasks = new ArrayList<>(TASKS);
            for (int i = 0; i < TASKS; i++) {
                tasks.add(tg.createTask(ONE));
            }
            return tasks;
        }).size());
    }

    private static int sum(List<Integer> values) {
        int s = 0;
        for (int v : values) {
            s += v;
        }
        if (s != TASKS) {
            throw new IllegalStateException("gather returned " + s + " of " + TASKS);
        }
        return s;
    }
}
