package io.asyncio4j.benchmarks.compare;

import io.asyncio4j.benchmarks.SwitchBenchmark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * The JDK's own floor under asyncio4j's tasks (system {@code jdk-floor} of {@code benchmarks/compare/run}):
 * bare virtual threads made by the JDK factory asyncio4j's loop uses, on a one-thread scheduler that only
 * pushes a runnable thread on an {@code ArrayDeque} drained by the main thread. No event loop, no task, no
 * HTTP client. The protocol is {@link WorkloadProgram}'s; it needs {@code --add-opens
 * java.base/java.lang=ALL-UNNAMED}, as asyncio4j does.
 * <ul>
 * <li>W2: {@code --size} threads each calling {@code Thread.yield()} {@value #YIELDS} times: the gap between
 * this and asyncio4j's W2 is what the kernel adds to the JDK's unmount, freeze, thaw and mount
 * ({@link SwitchBenchmark#yieldInBareThreads}).</li>
 * <li>W6: {@code --concurrency} threads, one per keep-alive connection, each writing a GET, parking until the
 * main thread's {@link Selector} finds its channel readable, and reading the answer as {@code nio-floor}
 * does (head up to the blank line, then {@code Content-Length} bytes), until {@code --size} answers came.
 * That is {@code nio-floor} plus one virtual-thread park and wake per request, which any client whose
 * requests run in virtual threads on one carrier pays (asyncio4j's tasks are such threads): the floor of
 * W6 for asyncio4j's design.</li>
 * </ul>
 * <pre>
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar io.asyncio4j.benchmarks.compare.JdkFloorWorkloads W6 --url URL
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
    protected Map<String, Object> run(String workload) throws IOException {
        return switch (workload) {
            case "W2" -> {
                long t0 = System.nanoTime();
                long yields = SwitchBenchmark.yieldInBareThreads(size, YIELDS);
                Map<String, Object> f = wall(System.nanoTime() - t0);
                check(yields == (long) size * YIELDS, "W2: " + yields + " yields");
                f.put("switches", yields);
                yield f;
            }
            case "W6" -> keepAliveInThreads();
            default -> null;
        };
    }

    /** W6: a virtual thread per keep-alive connection, parked while its answer is on the way. */
    private Map<String, Object> keepAliveInThreads() throws IOException {
        URI u = URI.create(url);
        InetSocketAddress address = new InetSocketAddress(u.getHost(), u.getPort());
        byte[] request = ("GET " + u.getRawPath() + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort()
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ArrayDeque<Runnable> ready = new ArrayDeque<>();
        Executor scheduler = ready::addLast; // called on this thread only: a thread's start or its wake-up
        int[] counts = new int[2]; // requests sent, answers in; the threads run on this thread only
        IOException[] failed = new IOException[1];
        int threads = Math.min(concurrency, size);
        try (Selector selector = Selector.open()) {
            long t0 = System.nanoTime();
            for (int c = 0; c < threads; c++) {
                SocketChannel channel = SocketChannel.open(address); // blocking connect, then non-blocking
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Thread thread = SwitchBenchmark.newVirtualThread(scheduler, () -> {
                    NioFloorWorkloads.Connection conn = new NioFloorWorkloads.Connection();
                    try {
                        while (counts[0] < size) {
                            counts[0]++;
                            channel.write(ByteBuffer.wrap(request)); // 60-odd bytes: a socket takes them at once
                            do {
                                LockSupport.park(); // until the selector finds the channel readable
                                if (channel.read(conn.in) < 0) {
                                    throw new IOException("the server closed a keep-alive connection");
                                }
                            } while (!conn.answered());
                            counts[1]++;
                        }
                    } catch (IOException e) {
                        failed[0] = e;
                    }
                });
                channel.register(selector, SelectionKey.OP_READ, thread);
                thread.start();
            }
            while (counts[1] < size && failed[0] == null) {
                for (Runnable r; (r = ready.pollFirst()) != null; ) {
                    r.run(); // a thread runs until it parks again or ends
                }
                if (counts[1] < size) {
                    selector.select(key -> LockSupport.unpark((Thread) key.attachment()));
                }
            }
            long elapsed = System.nanoTime() - t0;
            for (SelectionKey key : selector.keys()) {
                key.channel().close(); // every thread has ended: each sees counts[0] == size after its answer
            }
            if (failed[0] != null) {
                throw failed[0];
            }
            return httpFigures(elapsed);
        }
    }
}
