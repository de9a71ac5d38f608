package io.asyncio4j.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletionException;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.TimeoutError;

/**
 * The byte stream under one {@link HttpConnection}: a non-blocking {@link SocketChannel} on the loop's own
 * selector (plain HTTP: {@link EventLoop#sockRecvInto} and {@link EventLoop#sockSendAll}, no poller thread
 * between the socket and the loop), TLS over such a channel ({@link TlsChannel}: https), or a blocking JDK
 * {@link Socket} (a session used from another loop, or {@code -Dasyncio4j.http.blockingSockets=true}: the
 * JDK's poller wakes the task). All three read with an optional timeout that raises
 * {@link SocketTimeoutException}. A fourth, {@link OfStreams}, is a pair of in-memory streams: the parser's tests and its fuzz test feed it bytes.
 *
 * <p>Thread-safety: one task at a time, except {@link #close()} (any thread, idempotent).
 */
sealed interface Wire permits Wire.OfSocket, Wire.OnChannel, Wire.OfStreams {

    InputStream in();

    OutputStream out();

    /** The timeout of each read; 0: none. */
    void readTimeout(int millis) throws IOException;

    /**
     * Whether the idle connection is still open and quiet: nothing arrives within {@code millis} and it is
     * not at its end (a close the server sent just now is seen); restores the read timeout {@code readMillis}.
     * One read with the short timeout, whatever waits under it (a socket's {@code SO_TIMEOUT}, a timeout scope
     * around the wait on the selector): it waits as a read does, since the server's close may be on its way.
     */
    default boolean stillOpen(byte[] scratch, int millis, int readMillis) {
        try {
            readTimeout(millis);
            try {
                in().read(scratch, 0, scratch.length); // bytes of nobody's answer, or the end: not usable
                return false;
            } catch (SocketTimeoutException quiet) {
                return true;
            } finally {
                readTimeout(readMillis);
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Closes the connection; idempotent, any thread. */
    void close();

    /** {@link InputStream#read()} of a stream that reads arrays: one byte, or -1 at the end. */
    static int readOne(InputStream in) throws IOException {
        byte[] one = new byte[1];
        int n = in.read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    /** Socket work that may fail with an {@link IOException}. */
    @FunctionalInterface
    interface IoCall<T> {
        T call() throws IOException;
    }

    /**
     * {@code Asyncio.timeout(limit, call)} that lets {@code call}'s {@link IOException} through as itself
     * (the scope wraps checked exceptions in {@link CompletionException}).
     *
     * @throws TimeoutError when {@code limit} passes first
     */
    static <T> T within(Duration limit, IoCall<T> call) throws IOException {
        try {
            return Asyncio.timeout(limit, call::call);
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    /** A connected JDK socket ({@code socket}, over the TCP socket {@code tcp} for TLS, else the same). */
    record OfSocket(Socket socket, Socket tcp, InputStream in, OutputStream out) implements Wire {
        static OfSocket of(Socket socket, Socket tcp) throws IOException {
            return new OfSocket(socket, tcp, socket.getInputStream(), socket.getOutputStream());
        }

        @Override
        public void readTimeout(int millis) throws IOException {
            socket.setSoTimeout(millis);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** In-memory streams (no timeout, never idle-checked): what the parser's tests feed bytes through. */
    record OfStreams(InputStream in, OutputStream out) implements Wire {
        @Override
        public void readTimeout(int millis) {
            // reads of memory never wait
        }

        @Override
        public boolean stillOpen(byte[] scratch, int millis, int readMillis) {
            return true;
        }

        @Override
        public void close() {
            try {
                in.close();
                out.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /**
     * A connected non-blocking channel driven by {@code loop}'s selector, plain ({@link OfChannel}) or under TLS
     * ({@link TlsChannel}): what both do alike, the streams over {@link #read} and {@link #write}, the read
     * timeout of {@link #receive}, and the close. A close from outside the task that waits on the channel (the
     * session's close) only shuts the socket down, which wakes that task with the end of the stream; the
     * task's own failure path then closes it.
     */
    abstract sealed class OnChannel implements Wire permits OfChannel, TlsChannel {
        final SocketChannel channel;
        final EventLoop loop;
        private final InputStream in = new In();
        private final OutputStream out = new Out();
        // read timeout in milliseconds, 0: none; the using task only
        private int readMillis;
        // a task is in a read, a write or a TLS handshake now; written by it, read by close() on any thread
        volatile boolean busy;
        // the last array written from, and a buffer over it, reused while the caller passes the same array (the
        // connection's request head: every exchange); the using task only
        private byte[] writeArray;
        private ByteBuffer writeBuffer;

        OnChannel(SocketChannel channel, EventLoop loop) {
            this.channel = channel;
            this.loop = loop;
        }

        @Override
        public final InputStream in() {
            return in;
        }

        @Override
        public final OutputStream out() {
            return out;
        }

        @Override
        public final void readTimeout(int millis) {
            readMillis = millis;
        }

        /** Up to {@code len} (at least 1) bytes of the stream into {@code b}; -1 at its end. */
        abstract int read(byte[] b, int off, int len) throws IOException;

        /** Sends all of {@code src}. */
        abstract void write(ByteBuffer src) throws IOException;

        /**
         * Reads what the channel has into {@code dst}, waiting for at least a byte within the read timeout; -1
         * at the end of the stream. A cancel of the waiting task ends the wait with
         * {@link io.asyncio4j.CancelledError}.
         *
         * @throws SocketTimeoutException when the read timeout passes first
         */
        final int receive(ByteBuffer dst) throws IOException {
            if (readMillis == 0) {
                return loop.sockRecvInto(channel, dst);
            }
            try {
                return within(Duration.ofMillis(readMillis), () -> loop.sockRecvInto(channel, dst));
            } catch (TimeoutError e) {
                throw new SocketTimeoutException("Read timed out");
            }
        }

        /**
         * The first half of {@link #close()}: when a task waits on the channel now, shuts it down (the task
         * wakes with the end of the stream and closes it) and returns true; else false: the caller closes.
         */
        final boolean shutDownUnderTask() {
            if (!busy) {
                return false;
            }
            try {
                channel.shutdownInput();
                channel.shutdownOutput();
            } catch (IOException ignored) {
                // not connected or already closed
            }
            return true;
        }

        private int readArray(byte[] b, int off, int len) throws IOException {
            busy = true;
            try {
                return read(b, off, len);
            } finally {
                busy = false;
            }
        }

        private void writeArray(byte[] b, int off, int len) throws IOException {
            busy = true;
            try {
                if (b != writeArray) {
                    writeArray = b;
                    writeBuffer = ByteBuffer.wrap(b);
                }
                write(writeBuffer.limit(off + len).position(off));
            } finally {
                busy = false;
            }
        }

        private final class In extends InputStream {
            @Override
            public int read() throws IOException {
                return readOne(this);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : readArray(b, off, len);
            }
        }

        private final class Out extends OutputStream {
            @Override
            public void write(int b) throws IOException {
                writeArray(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writeArray(b, off, len);
            }
        }
    }

    /** Plain bytes on a connected non-blocking channel of {@code loop}'s selector; see {@link OnChannel}. */
    final class OfChannel extends OnChannel {
        // the last array read into, and a buffer over it, reused while the caller passes the same array (the
        // connection's read buffer: every exchange); the using task only
        private byte[] readArray;
        private ByteBuffer readBuffer;

        OfChannel(SocketChannel channel, EventLoop loop) {
            super(channel, loop);
        }

        @Override
        public void close() {
            if (shutDownUnderTask()) {
                return;
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        @Override
        int read(byte[] b, int off, int len) throws IOException {
            if (b != readArray) {
                readArray = b;
                readBuffer = ByteBuffer.wrap(b);
            }
            return receive(readBuffer.limit(off + len).position(off));
        }

        @Override
        void write(ByteBuffer src) throws IOException {
            loop.sockSendAll(channel, src);
        }
    }
}
