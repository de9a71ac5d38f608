package io.asyncio4j.benchmarks.compare;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.TaskGroup;
import io.asyncio4j.benchmarks.KernelBenchmark;
import io.asyncio4j.benchmarks.SwitchBenchmark;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.Response;
import io.asyncio4j.sync.Queue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The comparison workloads W1-W7 on asyncio4j ({@code benchmarks/compare/run}, docs/benchmarks.md), one per
 * process; the protocol is {@link WorkloadProgram}'s. Each workload runs in one {@link Runner} with a fresh
 * loop whose watchdog threshold is a minute (creating a million tasks holds the loop on purpose); the time
 * is measured inside the main task, from the first task created to the last one joined.
 * <pre>
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *        io.asyncio4j.benchmarks.compare.Asyncio4jWorkloads W1 [--size N]
 * </pre>
 * With {@code -Dasyncio4j.bench.histogram=true}, W4 also prints the heap's top classes per parked task to
 * standard error (as {@code KernelBenchmark parked1m --histogram}), for the warm-up and the measured run.
 */
public final class Asyncio4jWorkloads extends WorkloadProgram {

    public static void main(String[] args) throws Exception {
        new Asyncio4jWorkloads().runMain(args);
    }

    /** {@code asyncio4j}, or {@code asyncio4j-nointro} with {@code -Dasyncio4j.introspection=false} (no loop MBeans). */
    @Override
    protected String system() {
        return "false".equals(System.getProperty("asyncio4j.introspection")) ? "asyncio4j-nointro" : "asyncio4j";
    }

    @Override
    protected Map<String, Object> run(String workload) throws Exception {
        return switch (workload) {
            case "W1" -> onLoop(this::spawnJoin);
            case "W2" -> onLoop(() -> {
                long t0 = System.nanoTime();
                long yields = SwitchBenchmark.yieldInTasks(size, YIELDS);
                Map<String, Object> f = wall(System.nanoTime() - t0);
                check(yields == (long) size * YIELDS, "W2: " + yields + " yields");
                f.put("switches", yields);
                return f;
            });
            case "W3" -> onLoop(this::producerConsumer);
            case "W4" -> {
                Map<String, Double> k = KernelBenchmark.parked1m(size, Boolean.getBoolean("asyncio4j.bench.histogram"));
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("bytes_per_task", k.get("heap_bytes_per_task"));
                f.put("heap_used_mb", k.get("heap_used_mb"));
                f.put("tasks", size);
                yield f;
            }
            case "W5" -> onLoop(this::sleepers);
            case "W6" -> onLoop(() -> getFile(ClientSession.builder()));
            case "W8" -> onLoop(() -> getFile(ClientSession.builder().trustStore(trusting(ca))));
            case "W7" -> onLoop(this::slowUrls);
            default -> null;
        };
    }

    private static Map<String, Object> onLoop(Callable<Map<String, Object>> main) {
        try (Runner runner = Runner.builder().slowCallbackDuration(Duration.ofMinutes(1)).build()) {
            return runner.run(main);
        }
    }

    /** W1: creates {@code size} tasks that return at once, then awaits each. */
    private Map<String, Object> spawnJoin() {
        Callable<Integer> one = () -> 1;
        long t0 = System.nanoTime();
        @SuppressWarnings("unchecked")
        Task<Integer>[] tasks = new Task[size];
        for (int i = 0; i < size; i++) {
            tasks[i] = Asyncio.createTask(one);
        }
        long sum = 0;
        for (Task<Integer> t : tasks) {
            sum += t.await();
        }
        Map<String, Object> f = wall(System.nanoTime() - t0);
        check(sum == size, "W1: " + sum + " of " + size + " tasks");
        f.put("tasks", size);
        return f;
    }

    /** W3: one producer puts {@code size} items into a {@code Queue(QUEUE_SIZE)}, one consumer gets them. */
    private Map<String, Object> producerConsumer() {
        Queue<Integer> q = new Queue<>(QUEUE_SIZE);
        int n = size;
        long t0 = System.nanoTime();
        Task<Void> producer = Asyncio.createTask(() -> {
            for (int i = 0; i < n; i++) {
                q.put(i);
            }
        });
        Task<Long> consumer = Asyncio.createTask(() -> {
            long sum = 0;
            for (int i = 0; i < n; i++) {
                sum += q.get();
            }
            return sum;
        });
        producer.await();
        long sum = consumer.await();
        Map<String, Object> f = wall(System.nanoTime() - t0);
        check(sum == (long) n * (n - 1) / 2, "W3: wrong items arrived");
        f.put("items", n);
        f.put("queue_size", QUEUE_SIZE);
        return f;
    }

    /** W5: {@code size} tasks each sleep a random delay; the lateness of each wake-up on the real clock. */
    private Map<String, Object> sleepers() {
        double[] delays = sleeperDelays(size, seed);
        long[] late = new long[size];
        long t0 = System.nanoTime();
        @SuppressWarnings("unchecked")
        Task<Void>[] tasks = new Task[size];
        for (int i = 0; i < size; i++) {
            int k = i;
            tasks[i] = Asyncio.createTask(() -> {
                long due = System.nanoTime() + (long) (delays[k] * 1e9);
                Asyncio.sleep(delays[k]);
                late[k] = System.nanoTime() - due;
            });
        }
        for (Task<Void> t : tasks) {
            t.await();
        }
        return latenessFigures(late, System.nanoTime() - t0);
    }

    /**
     * W6 (and W8 over https, {@code builder} trusting the server's certificate): {@code concurrency} tasks GET
     * {@code url} until {@code size} requests are done.
     */
    private Map<String, Object> getFile(ClientSession.Builder builder) {
        AtomicInteger next = new AtomicInteger();
        long[] bytes = {0}; // tasks run one at a time on the loop thread
        try (ClientSession session = builder.limit(concurrency).limitPerHost(concurrency).build()) {
            long t0 = System.nanoTime();
            TaskGroup.run(tg -> {
                for (int c = 0; c < concurrency; c++) {
                    tg.createTask(() -> {
                        while (next.getAndIncrement() < size) {
                            int n = ok(session.get(url)).bytes().length; // not bytes[0] += ...: it reads before the await
                            bytes[0] += n;
                        }
                    });
                }
                return null;
            });
            long elapsed = System.nanoTime() - t0;
            check(bytes[0] == 1024L * size, "W6/W8: " + bytes[0] + " body bytes for " + size + " requests");
            return httpFigures(elapsed);
        }
    }

    /** A trust store of the one certificate in the PEM file {@code pem} (W8's self-signed server certificate). */
    private static KeyStore trusting(String pem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(pem))) {
            trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        return trust;
    }

    /** W7: {@code size} GETs of {@code url + i} started at once, session {@code limit(size)}. */
    private Map<String, Object> slowUrls() {
        try (ClientSession session = ClientSession.builder().limit(size).build()) {
            long t0 = System.nanoTime();
            TaskGroup.run(tg -> {
                for (int i = 0; i < size; i++) {
                    String u = url + i;
                    tg.createTask(() -> ok(session.get(u)).bytes().length);
                }
                return null;
            });
            Map<String, Object> f = wall(System.nanoTime() - t0);
            f.put("requests", size);
            return f;
        }
    }

    private static Response ok(Response r) {
        r.raiseForStatus();
        return r;
    }
}
