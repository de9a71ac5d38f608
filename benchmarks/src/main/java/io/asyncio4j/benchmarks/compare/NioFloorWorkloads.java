package io.asyncio4j.benchmarks.compare;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * W7's floor (system {@code nio-floor} of {@code benchmarks/compare/run}): what one thread of this JVM can do
 * at all, as wrk is W6's. One {@link Selector} on the main thread opens every connection at once
 * (non-blocking {@code connect}), writes each request when its connection is up and reads until the server
 * closes it; no HTTP client, no tasks, no parsing beyond counting the answers that start with
 * {@code HTTP/1.1 200}. asyncio4j's W7 runs on one loop thread too, so the difference between the two is
 * what its tasks, the session and the JDK's socket layer cost. The protocol is {@link WorkloadProgram}'s;
 * only W7 is run. The server must close each connection after its answer (both W7 servers of the harness
 * do).
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.asyncio4j.benchmarks.compare.NioFloorWorkloads W7 --url URL
 * </pre>
 */
public final class NioFloorWorkloads extends WorkloadProgram {
    private static final byte[] OK = "HTTP/1.1 200".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        new NioFloorWorkloads().runMain(args);
    }

    @Override
    protected String system() {
        return "nio-floor";
    }

    @Override
    protected Map<String, Object> run(String workload) throws IOException {
        return workload.equals("W7") ? slowUrls() : null;
    }

    /** One connection's state: its request, then the first bytes of its answer. */
    private static final class Exchange {
        final ByteBuffer request;
        final ByteBuffer head = ByteBuffer.allocate(OK.length);

        Exchange(ByteBuffer request) {
            this.request = request;
        }

        boolean ok() {
            return head.position() == OK.length && Arrays.equals(head.array(), OK);
        }
    }

    /** W7: {@code size} GETs of {@code url + i}, every connection opened at once. */
    private Map<String, Object> slowUrls() throws IOException {
        URI base = URI.create(url);
        InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
        String hostHeader = base.getHost() + ":" + base.getPort();
        int ok = 0;
        int done = 0;
        ByteBuffer sink = ByteBuffer.allocateDirect(16 * 1024);
        try (Selector selector = Selector.open()) {
            long t0 = System.nanoTime();
            for (int i = 0; i < size; i++) {
                String target = base.getRawPath() + (base.getRawQuery() == null ? "" : "?" + base.getRawQuery()) + i;
                ByteBuffer request = ByteBuffer.wrap(("GET " + target + " HTTP/1.1\r\nHost: " + hostHeader
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Exchange exchange = new Exchange(request);
                if (channel.connect(address)) {
                    channel.write(request);
                    channel.register(selector, SelectionKey.OP_READ, exchange);
                } else {
                    channel.register(selector, SelectionKey.OP_CONNECT, exchange);
                }
            }
            while (done < size) {
                selector.select();
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    SocketChannel channel = (SocketChannel) key.channel();
                    Exchange exchange = (Exchange) key.attachment();
                    if (key.isConnectable()) {
                        channel.finishConnect();
                        channel.write(exchange.request);
                        key.interestOps(SelectionKey.OP_READ);
                    } else if (key.isReadable() && read(channel, exchange, sink) < 0) {
                        key.cancel();
                        channel.close();
                        done++;
                        ok += exchange.ok() ? 1 : 0;
                    }
                }
            }
            Map<String, Object> f = wall(System.nanoTime() - t0);
            check(ok == size, "W7: " + ok + " of " + size + " answers were 200");
            f.put("requests", size);
            return f;
        }
    }

    /** Reads what is there: the first bytes into the exchange's head, the rest into the sink. */
    private static int read(SocketChannel channel, Exchange exchange, ByteBuffer sink) throws IOException {
        if (exchange.head.hasRemaining()) {
            return channel.read(exchange.head);
        }
        sink.clear();
        return channel.read(sink);
    }
}
