package io.asyncio4j.cli;

import io.asyncio4j.AsyncGenerator;
import io.asyncio4j.Asyncio;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.Yielder;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The child JVM that {@link PsCommandTest} inspects: {@code main(scenario)} sets up a known structure of
 * tasks, prints {@code ready} (with the ids of its loops' threads) once its loops' MBeans answer with every
 * task waiting, and runs until the test kills it. Line numbers the tests expect are found by the
 * {@code // L:name} markers at the ends of lines.
 */
public final class PsScenarios {
    private static Task<Void> a;
    private static Task<Void> b;

    private PsScenarios() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "structure" -> readyWhen(12, 1, () -> Asyncio.run(PsScenarios::structure));
            case "cycle" -> readyWhen(3, 1, () -> Asyncio.run(PsScenarios::cycle));
            case "many" -> readyWhen(10_001, 1, () -> Asyncio.run(PsScenarios::many));
            case "twoLoops" -> twoLoops();
            case "blocked" -> Asyncio.run(PsScenarios::blocked);
            case "introspectionOff" -> {
                try (Runner r = Runner.builder().introspection(false).build()) {
                    r.run(() -> {
                        System.out.println("ready");
                        worker();
                    });
                }
            }
            case "noLoops" -> {
                System.out.println("ready");
                Thread.sleep(600_000);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    // ---- the known structure: a TaskGroup with named workers, a gather, a chain down to a future, a
    // shielded task and an async generator

    static void structure() {
        Asyncio.taskGroup(tg -> { // L:group
            tg.createTask(PsScenarios::worker, "worker-1");
            tg.createTask(PsScenarios::worker, "worker-2");
            tg.createTask(PsScenarios::gathering, "gatherer");
            tg.createTask(PsScenarios::outer, "outer");
            tg.createTask(PsScenarios::shielding, "shielder");
            tg.createTask(PsScenarios::consuming, "consumer");
            return null;
        });
    }

    static void worker() {
        Asyncio.sleep(3600); // L:worker
    }

    static Void sleeper() {
        Asyncio.sleep(3600); // L:sleeper
        return null;
    }

    static void gathering() {
        Asyncio.gather(PsScenarios::sleeper, PsScenarios::sleeper); // L:gather
    }

    static void outer() {
        Asyncio.createTask(PsScenarios::inner, "inner").await(); // L:outer
    }

    static void inner() {
        Asyncio.getRunningLoop().createFuture().await(); // L:inner
    }

    static void shielding() {
        Asyncio.shield(Asyncio.createTask(PsScenarios::worker, "shielded")); // L:shield
    }

    static void consuming() {
        try (AsyncGenerator<Integer> numbers = Asyncio.generator(PsScenarios::produce)) {
            for (int n : numbers) { // L:consume
                System.out.println("consumed " + n);
            }
        }
    }

    static void produce(Yielder<Integer> out) {
        out.yield(1);
        Asyncio.sleep(3600); // L:produce
    }

    // ---- two tasks awaiting each other

    static void cycle() {
        a = Asyncio.createTask(PsScenarios::awaitB, "a");
        b = Asyncio.createTask(PsScenarios::awaitA, "b");
        a.await(); // L:main-awaits-a
    }

    static void awaitB() {
        b.await(); // L:a-awaits-b
    }

    static void awaitA() {
        a.await(); // L:b-awaits-a
    }

    // ---- 10,000 sleeping tasks

    static void many() {
        for (int i = 0; i < 10_000; i++) {
            Asyncio.createTask(PsScenarios::worker);
        }
        Asyncio.sleep(3600); // L:many
    }

    // ---- a task that holds the loop: a read of the process's stdin, which the JDK cannot unmount

    static void blocked() throws Exception {
        Asyncio.createTask(PsScenarios::hog, "hog").await();
    }

    static void hog() throws Exception {
        System.out.println("ready");
        System.in.read(); // L:hog
    }

    // ---- two loops, each on its own thread, with a task each

    static void twoLoops() throws Exception {
        CountDownLatch firstLoopRuns = new CountDownLatch(1);
        Thread first = Thread.ofPlatform().name("loop-a").start(() -> Asyncio.run(() -> {
            Asyncio.createTask(PsScenarios::worker, "a-worker");
            firstLoopRuns.countDown(); // so that this loop is EventLoop-1, the one of main EventLoop-2
            Asyncio.sleep(3600); // L:loop-a
        }));
        firstLoopRuns.await();
        readyWhen(4, 2, () -> Asyncio.run(() -> {
            Asyncio.createTask(PsScenarios::worker, "b-worker");
            Asyncio.sleep(3600); // L:loop-b
        }));
        first.join();
    }

    // ---- readiness

    /**
     * Runs {@code body} on this thread and prints {@code ready tid...} once {@code loops} loop MBeans
     * answer {@code tasks} tasks in all, every one waiting ({@code pending}).
     */
    private static void readyWhen(int tasks, int loops, ThrowingBody body) throws Exception {
        Thread.ofPlatform().daemon(true).name("readiness").start(() -> {
            try {
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                Pattern pending = Pattern.compile("\"state\":\"pending\"");
                Pattern tid = Pattern.compile("^\\{\"loop\":\"[^\"]*\",\"threadId\":(\\d+)");
                while (true) {
                    var names = server.queryNames(new ObjectName("io.asyncio4j:type=EventLoop,*"), null);
                    int count = 0;
                    StringBuilder tids = new StringBuilder();
                    for (ObjectName n : names.stream().sorted().toList()) {
                        String json = (String) server.invoke(n, "snapshot", null, null);
                        Matcher m = pending.matcher(json);
                        while (m.find()) {
                            count++;
                        }
                        Matcher t = tid.matcher(json);
                        if (t.find()) {
                            tids.append(' ').append(t.group(1));
                        }
                    }
                    if (names.size() == loops && count == tasks) {
                        System.out.println("ready" + tids);
                        return;
                    }
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                e.printStackTrace();
                System.exit(3);
            }
        });
        body.run();
    }

    private interface ThrowingBody {
        void run() throws Exception;
    }
}
