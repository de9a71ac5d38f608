package io.asyncio4j.benchmarks;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * JMH micro-benchmarks of a task switch ({@code sleep(0)}: the task goes to the back of the ready queue and
 * the next one runs), between two tasks and among many (the shape of the comparison harness's workload W2,
 * 1,000 tasks × 1,000 yields). Every figure is the average time of one switch in nanoseconds.
 *
 * <p>The {@code jdkFloor*} benchmarks are the same shapes with no asyncio4j code at all: virtual threads made
 * by the same hidden JDK factory the kernel uses ({@code ThreadBuilders.newVirtualThread(Executor, String, int,
 * Runnable)}, called the same way, through a method handle in a static final field), whose scheduler pushes the thread's
 * continuation on an {@link ArrayDeque} that the benchmark's thread drains in a loop, each thread calling
 * {@code Thread.yield()}. That is what the JDK itself costs per switch (unmount, freeze, the scheduler call,
 * thaw, mount): the floor under the kernel's figure.
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

    /** The JDK's own cost of the switch of {@link #sleepZeroPingPong}: two bare virtual threads yielding. */
    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public long jdkFloorPingPong() {
        return yieldInBareThreads(2, SWITCHES / 2);
    }

    /** The JDK's own cost of the switch of {@link #sleepZeroManyTasks}. */
    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public long jdkFloorManyThreads() {
        return yieldInBareThreads(MANY_TASKS, SWITCHES / MANY_TASKS);
    }

    /**
     * Runs {@code threads} virtual threads that each call {@code Thread.yield()} {@code yields} times on a
     * one-thread scheduler: the calling (platform) thread runs their continuations in FIFO order until none
     * is left. Returns the number of yields made.
     */
    public static long yieldInBareThreads(int threads, int yields) {
        ArrayDeque<Runnable> ready = new ArrayDeque<>();
        Executor scheduler = ready::addLast; // called on this thread only: a thread's start, or a yield
        long[] counts = new long[threads];
        for (int t = 0; t < threads; t++) {
            int k = t;
            newVirtualThread(scheduler, () -> {
                long n = 0;
                for (int i = 0; i < yields; i++) {
                    Thread.yield();
                    n++;
                }
                counts[k] = n;
            }).start();
        }
        Runnable r;
        while ((r = ready.pollFirst()) != null) {
            r.run();
        }
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    // (Executor scheduler, String name, int characteristics, Runnable task) -> Thread: the JDK's hidden factory
    private static final MethodHandle NEW_VIRTUAL_THREAD;

    static {
        try {
            Method m = Class.forName("java.lang.ThreadBuilders").getDeclaredMethod("newVirtualThread",
                    Executor.class, String.class, int.class, Runnable.class);
            m.setAccessible(true); // needs --add-opens java.base/java.lang=ALL-UNNAMED, as asyncio4j does
            NEW_VIRTUAL_THREAD = MethodHandles.lookup().unreflect(m);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** An unnamed, unstarted virtual thread whose scheduler is {@code scheduler}. */
    public static Thread newVirtualThread(Executor scheduler, Runnable body) {
        try {
            return (Thread) NEW_VIRTUAL_THREAD.invokeExact(scheduler, (String) null, 0, body);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
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
