package io.asyncio4j.benchmarks;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * JMH micro-benchmarks of a task switch ({@code sleep(0)}: the task goes to the back of the ready queue and
 * the next one runs), between two tasks and among many (the shape of the comparison harness's workload W2,
 * 1,000 tasks × 1,000 yields). Every figure is the average time of one switch in nanoseconds.
 *
 * <h2>Usage</h2>
 * <pre>
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar SwitchBenchmark
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar SwitchBenchmark.sleepZeroPingPong -f 1 -wi 2 -i 3
 * </pre>
 * Each invocation is one {@link io.asyncio4j.Runner#run} doing {@value #SWITCHES} switches (see {@link LoopBenchmark}).
 */
public class SwitchBenchmark extends LoopBenchmark {
    static final int SWITCHES = 20_000;
    static final int MANY_TASKS = 1_000;

    /** One switch between two tasks that alternate with {@code sleep(0)}. */
    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public long sleepZeroPingPong() {
        return runner.run(() -> yieldInTasks(2, SWITCHES / 2));
    }

    /**
     * One switch among {@value #MANY_TASKS} tasks that each call {@code sleep(0)} in turn: every task's stack
     * is cold again when its turn comes, as in W2.
     */
    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public long sleepZeroManyTasks() {
        return runner.run(() -> yieldInTasks(MANY_TASKS, SWITCHES / MANY_TASKS));
    }

    /** Creates {@code tasks} tasks that each call {@code sleep(0)} {@code yields} times, and awaits them. */
    public static long yieldInTasks(int tasks, int yields) {
        Callable<Long> yielder = () -> {
            long n = 0;
            for (int i = 0; i < yields; i++) {
                Asyncio.sleep(0);
                n++;
            }
            return n;
        };
        List<Task<Long>> all = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            all.add(Asyncio.createTask(yielder));
        }
        long n = 0;
        for (Task<Long> t : all) {
            n += t.await();
        }
        return n;
    }
}
