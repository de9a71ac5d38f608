package io.asyncio4j.benchmarks;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.TimerHandle;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH micro-benchmarks of the loop's timers: many tasks sleeping for random delays (the shape of the
 * comparison harness's workload W5), and a timer scheduled and cancelled before it fires (what every
 * {@code timeout} that does not expire costs). Every figure is the average time of one timer in nanoseconds.
 *
 * <h2>Usage</h2>
 * <pre>
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar TimerBenchmark
 * </pre>
 * {@link #sleepersVirtualTime()} runs on virtual time ({@link Runner.Builder#virtualTime}): the clock jumps to
 * the next timer when every task waits, which is how the project's tests run timers.
 */
public class TimerBenchmark extends LoopBenchmark {
    static final int SLEEPERS = 10_000;
    static final int HANDLES = 100_000;

    private final SplittableRandom random = new SplittableRandom(42);
    private Runner virtualTime;

    @Setup(Level.Trial)
    public void openVirtualTimeRunner() {
        virtualTime = Runner.builder().virtualTime(true).build();
    }

    @TearDown(Level.Trial)
    public void closeVirtualTimeRunner() {
        virtualTime.close();
    }

    /**
     * One task sleeping for a random delay of 0 to 1 ms on the real clock, among {@value #SLEEPERS}: a timer
     * pushed, fired, and a wake-up. The delays are short so that the figure is the loop's work, not the wait
     * (10,000 timers take longer to handle than the last delay).
     */
    @Benchmark
    @OperationsPerInvocation(SLEEPERS)
    public int sleepers() {
        return sleepers(runner, 0.001);
    }

    /** As {@link #sleepers()} with delays of 0 to 1 s on a loop with virtual time: the clock jumps from timer to timer. */
    @Benchmark
    @OperationsPerInvocation(SLEEPERS)
    public int sleepersVirtualTime() {
        return sleepers(virtualTime, 1);
    }

    private int sleepers(Runner on, double maxDelay) {
        double[] delays = random.doubles(SLEEPERS, 0, maxDelay).toArray();
        return on.run(() -> {
            List<Task<Void>> tasks = new ArrayList<>(SLEEPERS);
            for (double d : delays) {
                tasks.add(Asyncio.createTask(() -> Asyncio.sleep(d)));
            }
            for (Task<Void> t : tasks) {
                t.await();
            }
            return tasks.size();
        });
    }

    /** One {@code callLater} whose handle is cancelled before it fires, among {@value #HANDLES} pending ones. */
    @Benchmark
    @OperationsPerInvocation(HANDLES)
    public int callLaterThenCancel() {
        return runner.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            TimerHandle[] handles = new TimerHandle[HANDLES];
            Runnable never = () -> {
                throw new IllegalStateException("a cancelled timer fired");
            };
            for (int i = 0; i < HANDLES; i++) {
                handles[i] = loop.callLater(0.001 + i * 1e-9, never);
            }
            for (TimerHandle h : handles) {
                h.cancel();
            }
            Asyncio.sleep(0.002); // lets the loop drop the cancelled timers
            return handles.length;
        });
    }
}
