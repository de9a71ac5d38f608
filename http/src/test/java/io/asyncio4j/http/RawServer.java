package io.asyncio4j.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw TCP server on 127.0.0.1 (ephemeral port) whose behaviour on each connection a test scripts byte by
 * byte, for faults the JDK {@code HttpServer} cannot produce: resets, truncated bodies, malformed status
 * lines, silence. One daemon thread accepts, one daemon thread per connection runs the {@link Script}.
 *
 * <p>Leak accounting: {@link #accepted} counts connections accepted; {@link #closed} counts connections
 * that are over at the server side. When the script closes the socket itself the connection is over then;
 * when the script returns with the socket open, the server reads until the client closes its end (EOF or
 * reset, at most 5 s) and counts it then — so {@code closed == accepted} after a request means the client
 * let go of every connection it opened. {@link #close()} closes the listener and every socket.
 */
final class RawServer implements AutoCloseable {
    /** What the server does on one connection; {@code n} is the 0-based connection number. */
    @FunctionalInterface
    interface Script {
        void serve(Socket socket, InputStream in, OutputStream out, int n) throws Exception;
    }

    private final ServerSocket listener;
    private final Script script;
    private final List<Socket> sockets = new ArrayList<>();
    /** Connections accepted, and connections over at the server side. */
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    // notified after each increment of closed, for allClosedWithin
    private final Object closeSignal = new Object();
    /** System.nanoTime() of each request head read with {@link #readHead}, in order. */
    final List<Long> requestTimes = new ArrayList<>();
    /** Each request line read with {@link #readHead}, in order. */
    final List<String> requestLines = new ArrayList<>();

    RawServer(Script script) throws IOException {
        this.script = script;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "raw-server-accept");
        t.setDaemon(true);
        t.start();
    }

    /** The base URL, such as {@code http://127.0.0.1:41234}. */
    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                return;
            }
            int n = accepted.getAndIncrement();
            synchronized (sockets) {
                sockets.add(s);
            }
            Thread t = new Thread(() -> run(s, n), "raw-server-conn-" + n);
            t.setDaemon(true);
            t.start();
        }
    }

    private void run(Socket s, int n) {
        try {
            script.serve(s, s.getInputStream(), s.getOutputStream(), n);
            if (!s.isClosed()) {
                s.setSoTimeout(5_000);
                InputStream in = s.getInputStream();
                while (in.read() != -1) {
                    // drain until the client closes its end
                }
            }
        } catch (SocketTimeoutException e) {
            // the client kept the connection open for 5 s: counted as closed late, a leak assertion catches it
        } catch (Exception e) {
            // the client reset or closed the connection, or the script ended it: the connection is over
        } finally {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
            closed.incrementAndGet();
            synchronized (closeSignal) {
                closeSignal.notifyAll();
            }
        }
    }

    /** Reads a request head (up to the blank line) and returns it; records its time and request line. */
    String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("EOF in the request head");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        synchronized (requestTimes) {
            requestTimes.add(System.nanoTime());
            requestLines.add(text.substring(0, text.indexOf("\r\n")));
        }
        return text;
    }

    /** The request lines read so far. */
    List<String> requestLines() {
        synchronized (requestTimes) {
            return List.copyOf(requestLines);
        }
    }

    /** The times of the requests read so far. */
    List<Long> requestTimes() {
        synchronized (requestTimes) {
            return List.copyOf(requestTimes);
        }
    }

    /** Writes {@code text} in ISO-8859-1 and flushes. */
    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Closes {@code s} with an RST instead of a FIN (SO_LINGER 0). */
    static void reset(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
    }

    /** Waits (at most {@code millis}) until every accepted connection is over; true if so. */
    boolean allClosedWithin(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (closeSignal) {
            while (closed.get() < accepted.get()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(closeSignal, left);
            }
        }
        return true;
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
        synchronized (sockets) {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }
}
