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
 * The floor of one thread of this JVM for the HTTP workloads (system {@code nio-floor} of
 * {@code benchmarks/compare/run}), what any one-thread client could do at all: one {@link Selector} on the
 * main thread, no HTTP client, no tasks. asyncio4j's W6 and W7 run on one loop thread too, so the difference
 * is what its tasks, the session and the JDK's socket layer cost. The protocol is {@link WorkloadProgram}'s.
 * <ul>
 * <li>W6: {@code --concurrency} keep-alive connections, each sending its next GET when the previous answer
 * (head up to the blank line, then {@code Content-Length} bytes) is in, until {@code --size} answers came.</li>
 * <li>W7: every connection opened at once (non-blocking {@code connect}), each request written when its
 * connection is up, each answer read until the server closes the connection (both W7 servers of the harness
 * do), counting the answers that start with {@code HTTP/1.1 200}.</li>
 * </ul>
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
        return switch (workload) {
            case "W6" -> keepAlive();
            case "W7" -> slowUrls();
            default -> null;
        };
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

    /** One keep-alive connection of W6: the answer read so far (also {@link JdkFloorWorkloads}'s W6). */
    static final class Connection {
        final ByteBuffer in = ByteBuffer.allocate(8 * 1024);
        int headEnd = -1; // index after the blank line, once seen
        int length;       // the body's Content-Length

        /** Whether a whole answer is in; if so, drops it (and keeps what follows). */
        boolean answered() throws IOException {
            if (headEnd < 0) {
                headEnd = headEnd(in);
                if (headEnd < 0) {
                    return false;
                }
                length = contentLength(in, headEnd);
            }
            if (in.position() < headEnd + length) {
                return false;
            }
            in.flip().position(headEnd + length);
            in.compact();
            headEnd = -1;
            return true;
        }
    }

    /** W6: {@code concurrency} keep-alive connections GET {@code url} until {@code size} answers came. */
    private Map<String, Object> keepAlive() throws IOException {
        URI u = URI.create(url);
        InetSocketAddress address = new InetSocketAddress(u.getHost(), u.getPort());
        byte[] request = ("GET " + u.getRawPath() + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort()
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        int sent = 0;
        int answered = 0;
        try (Selector selector = Selector.open()) {
            long t0 = System.nanoTime();
            for (int c = 0; c < Math.min(concurrency, size); c++) {
                SocketChannel channel = SocketChannel.open(address); // blocking connect, then non-blocking
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.register(selector, SelectionKey.OP_READ, new Connection());
                channel.write(ByteBuffer.wrap(request));
                sent++;
            }
            while (answered < size) {
                selector.select();
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    SocketChannel channel = (SocketChannel) key.channel();
                    Connection conn = (Connection) key.attachment();
                    if (channel.read(conn.in) < 0) {
                        throw new IOException("the server closed a keep-alive connection");
                    }
                    while (conn.answered()) {
                        answered++;
                        if (sent < size) {
                            channel.write(ByteBuffer.wrap(request));
                            sent++;
                        }
                    }
                }
            }
            long elapsed = System.nanoTime() - t0;
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            return httpFigures(elapsed);
        }
    }

    /** The index after the first blank line ({@code \r\n\r\n}) of the buffer's bytes, or -1. */
    private static int headEnd(ByteBuffer in) {
        byte[] a = in.array();
        for (int i = 3; i < in.position(); i++) {
            if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /** The Content-Length of the head {@code in[0, headEnd)}. */
    private static int contentLength(ByteBuffer in, int headEnd) throws IOException {
        String head = new String(in.array(), 0, headEnd, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        int at = head.indexOf("\r\ncontent-length:");
        if (at < 0) {
            throw new IOException("an answer without Content-Length: " + head);
        }
        int end = head.indexOf('\r', at + 2);
        return Integer.parseInt(head.substring(at + 17, end).trim());
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
