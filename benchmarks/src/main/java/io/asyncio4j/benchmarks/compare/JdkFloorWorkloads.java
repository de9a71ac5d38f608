package io.asyncio4j.benchmarks.compare;

import io.asyncio4j.benchmarks.SwitchBenchmark;

import java.util.Map;

/**
 * The JDK's own floor for the task switch of W2 (system {@code jdk-floor} of {@code benchmarks/compare/run}):
 * {@code --size} virtual threads made by the JDK factory asyncio4j's loop uses, on a one-thread scheduler
 * that only pushes a runnable thread on an {@code ArrayDeque} drained by the main thread, each calling
 * {@code Thread.yield()} {@value #YIELDS} times. No event loop, no task: the gap between this and
 * asyncio4j's W2 is what the kernel adds to the JDK's unmount, freeze, thaw and mount
 * ({@link SwitchBenchmark#yieldInBareThreads}). The protocol is {@link WorkloadProgram}'s; it needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}, as asyncio4j does.
 * <pre>
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar io.asyncio4j.benchmarks.compare.JdkFloorWorkloads W2
 * </pre>
 */
public final class JdkFloorWorkloads extends WorkloadProgram {

    public static void main(String[] args) throws Exception {
        new JdkFloorWorkloads().runMain(args);
    }

    @Override
    protected String system() {
        return "jdk-floor";
    }

    @Override
    protected Map<String, Object> run(String workload) {
        if (!workload.equals("W2")) {
            return null;
        }
        long t0 = System.nanoTime();
        long yields = SwitchBenchmark.yieldInBareThreads(size, YIELDS);
        Map<String, Object> f = wall(System.nanoTime() - t0);
        check(yields == (long) size * YIELDS, "W2: " + yields + " yields");
        f.put("switches", yields);
        return f;
    }
}
