package io.asyncio4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EventLoop#sockConnect}, {@link EventLoop#sockSendAll} and {@link EventLoop#sockRecvInto}: asyncio's
 * {@code sock_connect}, {@code sock_sendall} and {@code sock_recv_into} on the loop's own selector
 * (CPython's test_asyncio/test_sock_lowlevel.py), on real loopback sockets.
 */
class SocketIoTest {
    private ServerSocketChannel server;
    private InetSocketAddress address;

    @BeforeEach
    void listen() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        address = (InetSocketAddress) server.getLocalAddress();
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    /** A connected pair on the loop: the client connected with sockConnect, the server side accepted. */
    private record Pair(SocketChannel client, SocketChannel accepted) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            client.close();
            accepted.close();
        }
    }

    private Pair connect() throws IOException {
        SocketChannel client = SocketChannel.open();
        client.configureBlocking(false);
        Asyncio.getRunningLoop().sockConnect(client, address);
        SocketChannel accepted = server.accept(); // the connection is queued already: no wait
        accepted.configureBlocking(false);
        return new Pair(client, accepted);
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aTaskConnectsSendsAndReceivesOnTheLoopsSelector() {
        String got = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (Pair p = connect()) {
                loop.sockSendAll(p.client(), ascii("hello"));
                ByteBuffer dst = ByteBuffer.allocate(16);
                while (dst.position() < 5) {
                    loop.sockRecvInto(p.accepted(), dst);
                }
                return new String(dst.array(), 0, dst.position(), StandardCharsets.US_ASCII);
            }
        });
        assertEquals("hello", got);
    }

    @Test
    void aReaderWaitsWhileOtherTasksRunAndWakesWhenBytesArrive() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (Pair p = connect()) {
                Task<Integer> reader = Asyncio.createTask(() -> {
                    events.add("reader waits");
                    int n = loop.sockRecvInto(p.accepted(), ByteBuffer.allocate(64));
                    events.add("reader got " + n + " bytes");
                    return n;
                });
                Asyncio.sleep(0); // the reader starts and waits
                Asyncio.sleep(0);
                events.add("writer sends");
                loop.sockSendAll(p.client(), ascii("12345"));
                reader.await();
            }
            return null;
        });
        assertEquals(List.of("reader waits", "writer sends", "reader got 5 bytes"), events);
    }

    /**
     * 4,000 bytes already in the socket, read 100 at a time: every read finds bytes, so the reader never
     * waits; before, it held the loop for all 40 reads, and a fast stream stalled every other task.
     */
    @Test
    void aReaderThatKeepsFindingBytesLetsTheOtherTasksRunAfterSixteenReadsInOneStep() {
        List<String> events = new ArrayList<>();
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (Pair p = connect()) {
                loop.sockSendAll(p.client(), ByteBuffer.wrap(new byte[4_000]));
                int[] reads = {0};
                Task<Void> other = Asyncio.createTask(() -> {
                    events.add("other task runs after " + reads[0] + " reads");
                }, "other");
                ByteBuffer dst = ByteBuffer.allocate(100);
                for (int got = 0; got < 4_000; reads[0]++) {
                    dst.clear();
                    got += loop.sockRecvInto(p.accepted(), dst);
                }
                events.add("reader done after " + reads[0] + " reads");
                other.await();
            }
            return null;
        });
        assertEquals(2, events.size(), events::toString);
        int before = Integer.parseInt(events.get(0).replaceAll("\\D", ""));
        assertTrue(before <= EventLoop.READS_BEFORE_YIELD - 1, events::toString);
        assertEquals("reader done after 40 reads", events.get(1));
    }

    @Test
    void recvIntoReturnsMinusOneAtTheEndOfTheStreamAndZeroForAFullBuffer() {
        int[] got = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (Pair p = connect()) {
                int full = loop.sockRecvInto(p.accepted(), ByteBuffer.allocate(0));
                p.client().close();
                return new int[] {full, loop.sockRecvInto(p.accepted(), ByteBuffer.allocate(8))};
            }
        });
        assertArrayEquals(new int[] {0, -1}, got);
    }

    @Test
    void aCancelEndsTheWaitWithCancelledErrorAndAnotherTaskCanThenWaitOnTheChannel() {
        String got = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (Pair p = connect()) {
                Task<Integer> first = Asyncio.createTask(() -> loop.sockRecvInto(p.accepted(), ByteBuffer.allocate(8)));
                Asyncio.sleep(0);
                first.cancel();
                assertThrows(CancelledError.class, first::await);
                ByteBuffer dst = ByteBuffer.allocate(8);
                Task<Integer> second = Asyncio.createTask(() -> loop.sockRecvInto(p.accepted(), dst));
                Asyncio.sleep(0);
                loop.sockSendAll(p.client(), ascii("ok"));
                assertEquals(2, second.await());
                return new String(dst.array(), 0, 2, StandardCharsets.US_ASCII);
            }
        });
        assertEquals("ok", got);
    }

    @Test
    void waitsOfAlternatingTasksOnOneChannelEachWakeTheirOwnTaskAlsoAfterACancelledWait() {
        // a channel's next wait reuses the registration of its last one: it must never wake or end another's wait
        List<String> got = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<String> seen = new ArrayList<>();
            try (Pair p = connect()) {
                for (int i = 0; i < 20; i++) {
                    int n = i;
                    if (n % 5 == 4) { // a wait ended by a cancel, then the next task's wait on the same channel
                        Task<Integer> cancelled = Asyncio.createTask(() -> loop.sockRecvInto(p.accepted(), ByteBuffer.allocate(4)));
                        Asyncio.sleep(0);
                        cancelled.cancel();
                        assertThrows(CancelledError.class, cancelled::await);
                    }
                    ByteBuffer dst = ByteBuffer.allocate(4);
                    Task<Integer> reader = Asyncio.createTask(() -> loop.sockRecvInto(p.accepted(), dst));
                    Asyncio.sleep(0);
                    loop.sockSendAll(p.client(), ascii(Integer.toString(n % 10)));
                    assertEquals(1, reader.await());
                    seen.add(new String(dst.array(), 0, 1, StandardCharsets.US_ASCII));
                }
            }
            return seen;
        });
        assertEquals("01234567890123456789", String.join("", got));
    }

    @Test
    void anIdleChannelDoesNotKeepTheTaskThatLastReadFromItAlive() {
        // the channel keeps its last read registration for its next wait; that must not hold the finished task,
        // whose result (a response body, say) would then live as long as a pooled connection
        boolean collected = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (Pair p = connect()) {
                WeakReference<Task<byte[]>> last = readOnce(loop, p);
                for (int i = 0; i < 50 && last.get() != null; i++) {
                    System.gc();
                    Asyncio.sleep(0.001);
                }
                return last.get() == null;
            }
        });
        assertTrue(collected, "the finished reader task is still reachable");
    }

    /** A task that waits to read from {@code p}'s accepted side and returns 1 MB; done when this returns. */
    private static WeakReference<Task<byte[]>> readOnce(EventLoop loop, Pair p) throws IOException {
        Task<byte[]> reader = Asyncio.createTask(() -> {
            loop.sockRecvInto(p.accepted(), ByteBuffer.allocate(4));
            return new byte[1 << 20];
        });
        Asyncio.sleep(0); // the reader waits
        loop.sockSendAll(p.client(), ascii("x"));
        reader.await();
        return new WeakReference<>(reader);
    }

    @Test
    void shuttingDownTheInputWakesAWaitingReaderWithTheEndOfTheStream() {
        int got = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (Pair p = connect()) {
                Task<Integer> reader = Asyncio.createTask(() -> loop.sockRecvInto(p.accepted(), ByteBuffer.allocate(8)));
                Asyncio.sleep(0);
                p.accepted().shutdownInput(); // how a channel a task waits on is closed: wake it, then close
                return reader.await();
            }
        });
        assertEquals(-1, got);
    }

    @Test
    void aTimeoutAroundAWaitingReadRaisesTimeoutError() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (Pair p = connect()) {
                assertThrows(TimeoutError.class, () -> Asyncio.timeout(Duration.ofMillis(20),
                        () -> loop.sockRecvInto(p.accepted(), ByteBuffer.allocate(8))));
            }
            return null;
        });
    }

    @Test
    void sendAllWaitsWhileTheSendBufferIsFullAndEveryByteArrivesInOrder() {
        int size = 8 * 1024 * 1024; // far more than the socket buffers hold
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + (i >>> 11));
        }
        byte[] received = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (Pair p = connect()) {
                Task<Void> sender = Asyncio.createTask(() -> {
                    loop.sockSendAll(p.client(), ByteBuffer.wrap(data));
                    p.client().shutdownOutput();
                });
                ByteBuffer all = ByteBuffer.allocate(size);
                ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
                while (true) {
                    chunk.clear();
                    if (loop.sockRecvInto(p.accepted(), chunk) < 0) {
                        break;
                    }
                    all.put(chunk.flip());
                }
                sender.await();
                return all.array();
            }
        });
        assertArrayEquals(data, received);
    }

    @Test
    void aSendInSlicesSmallerThanTheLoopsIoBufferAlsoWaitsWhenFullAndEveryByteArrivesInOrder() {
        // each slice goes through the loop's direct buffer; the socket takes only part of many of them
        int size = 4 * 1024 * 1024;
        int slice = LoopSelector.IO_BUFFER_BYTES - 1000;
        byte[] data = new byte[size + 7];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 17 + (i >>> 9));
        }
        byte[] received = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (Pair p = connect()) {
                Task<Void> sender = Asyncio.createTask(() -> {
                    for (int at = 7; at < data.length; at += slice) { // a buffer whose array starts 7 bytes in
                        ByteBuffer b = ByteBuffer.wrap(data, 7, size).slice().position(at - 7)
                                .limit(Math.min(at - 7 + slice, size));
                        loop.sockSendAll(p.client(), b);
                        assertEquals(b.limit(), b.position(), "all of the slice was sent");
                    }
                    p.client().shutdownOutput();
                });
                ByteBuffer all = ByteBuffer.allocate(size);
                while (loop.sockRecvInto(p.accepted(), all) >= 0 && all.hasRemaining()) {
                    // reads of up to 4 MiB: the JDK's way; the end of the stream is read below
                }
                assertEquals(-1, loop.sockRecvInto(p.accepted(), ByteBuffer.allocate(1)));
                sender.await();
                return all.array();
            }
        });
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 7, data.length), received);
    }

    @Test
    void aReceiveFillsOnlyTheRoomOfItsBufferWhateverKindOfBufferItIs() {
        List<String> got = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            List<String> out = new ArrayList<>();
            try (Pair p = connect()) {
                loop.sockSendAll(p.client(), ascii("abcdefghij"));
                // a heap buffer that is a slice of a larger array, filled from position 2 up to its limit
                byte[] backing = "##########".getBytes(StandardCharsets.US_ASCII);
                ByteBuffer heap = ByteBuffer.wrap(backing, 1, 8).slice().position(2).limit(6);
                while (heap.hasRemaining()) {
                    loop.sockRecvInto(p.accepted(), heap);
                }
                out.add(new String(backing, StandardCharsets.US_ASCII) + " position=" + heap.position());
                ByteBuffer direct = ByteBuffer.allocateDirect(16);
                while (direct.position() < 6) {
                    loop.sockRecvInto(p.accepted(), direct);
                }
                byte[] rest = new byte[direct.flip().remaining()];
                direct.get(rest);
                out.add(new String(rest, StandardCharsets.US_ASCII));
                ByteBuffer readOnly = ByteBuffer.allocate(4).asReadOnlyBuffer();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> loop.sockRecvInto(p.accepted(), readOnly));
                out.add(e.getMessage());
            }
            return out;
        });
        assertEquals(List.of("###abcd### position=6", "efghij", "Read-only buffer"), got);
    }

    @Test
    void aBlockingChannelIsRefusedWithTheCallToMake() throws IOException {
        try (SocketChannel blocking = SocketChannel.open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Asyncio.run(() ->
                    Asyncio.getRunningLoop().sockRecvInto(blocking, ByteBuffer.allocate(1))));
            assertTrue(e.getMessage().contains("configureBlocking(false)"), e.getMessage());
        }
    }

    @Test
    void callingOutsideATaskIsAnError() throws IOException {
        try (Runner runner = new Runner(); SocketChannel ch = SocketChannel.open()) {
            ch.configureBlocking(false);
            EventLoop loop = runner.getLoop();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> loop.sockRecvInto(ch, ByteBuffer.allocate(1)));
            assertTrue(e.getMessage().contains("must be called inside a task"), e.getMessage());
        }
    }

    @Test
    void twoTasksWaitingToReadOneChannelIsAnError() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (Pair p = connect()) {
                Task<Integer> first = Asyncio.createTask(() -> loop.sockRecvInto(p.accepted(), ByteBuffer.allocate(8)));
                Asyncio.sleep(0);
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> loop.sockRecvInto(p.accepted(), ByteBuffer.allocate(8)));
                assertTrue(e.getMessage().contains("is already waiting to read"), e.getMessage());
                first.cancel();
            }
            return null;
        });
    }

    @Test
    void connectingToAPortNobodyListensOnRaisesConnectException() throws IOException {
        InetSocketAddress closed = address;
        server.close();
        Asyncio.run(() -> {
            try (SocketChannel ch = SocketChannel.open()) {
                ch.configureBlocking(false);
                assertThrows(ConnectException.class, () -> Asyncio.getRunningLoop().sockConnect(ch, closed));
            }
            return null;
        });
    }

    @Test
    void aChannelKeepsItsReadInterestAfterAReadWaitSoItsNextWaitChangesNoInterest() {
        int[] interest = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (Pair p = connect()) {
                int before = loop.io.interestOps(p.accepted());
                Task<Integer> reader = Asyncio.createTask(() -> loop.sockRecvInto(p.accepted(), ByteBuffer.allocate(8)));
                Asyncio.sleep(0); // the reader waits
                loop.sockSendAll(p.client(), ascii("one"));
                assertEquals(3, reader.await());
                int after = loop.io.interestOps(p.accepted()); // nobody waits now, the interest stays
                Task<Integer> again = Asyncio.createTask(() -> loop.sockRecvInto(p.accepted(), ByteBuffer.allocate(8)));
                Asyncio.sleep(0);
                loop.sockSendAll(p.client(), ascii("two!"));
                assertEquals(4, again.await());
                return new int[] {before, after};
            }
        });
        assertArrayEquals(new int[] {0, SelectionKey.OP_READ}, interest);
    }

    @Test
    void bytesArrivingWithNobodyReadingDropTheReadInterestOnceInsteadOfSpinningTheLoop() {
        long[] got = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (Pair idle = connect(); Pair other = connect()) {
                Task<Integer> first = Asyncio.createTask(() -> loop.sockRecvInto(idle.accepted(), ByteBuffer.allocate(8)));
                Asyncio.sleep(0);
                loop.sockSendAll(idle.client(), ascii("a"));
                first.await(); // idle.accepted() keeps OP_READ, and nobody reads it from here on
                Task<Integer> waiter = Asyncio.createTask(() -> loop.sockRecvInto(other.accepted(), ByteBuffer.allocate(8)));
                Asyncio.sleep(0); // a task waits on the selector: every loop iteration polls it
                loop.sockSendAll(idle.client(), ascii("unread")); // loopback: in idle's receive buffer on return
                long before = loop.io.dispatched;
                for (int i = 0; i < 100; i++) {
                    Asyncio.sleep(0); // 100 polls of the selector with idle.accepted() readable
                }
                long readyReports = loop.io.dispatched - before;
                long interest = loop.io.interestOps(idle.accepted());
                loop.sockSendAll(other.client(), ascii("b"));
                waiter.await();
                return new long[] {readyReports, interest};
            }
        });
        assertEquals(1, got[0], "the unread channel was reported once, then no more");
        assertEquals(0, got[1], "its read interest was dropped");
    }

    @Test
    void closingAChannelDropsItsKeyAndItsReadInterest() {
        int interest = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (Pair p = connect()) {
                Task<Integer> reader = Asyncio.createTask(() -> loop.sockRecvInto(p.accepted(), ByteBuffer.allocate(8)));
                Asyncio.sleep(0);
                loop.sockSendAll(p.client(), ascii("x"));
                reader.await();
                p.accepted().close();
                return loop.io.interestOps(p.accepted());
            }
        });
        assertEquals(0, interest);
    }

    /**
     * What a second read of a channel does when its bytes are there already, after a first read that had to wait
     * and read {@code firstBytes} into a buffer of 4: the events in order (does another ready task run before it returns).
     */
    private List<String> secondReadAfterAFirstOf(String firstBytes) {
        List<String> events = new ArrayList<>();
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            try (Pair p = connect()) {
                Task<Integer> first = Asyncio.createTask(() -> loop.sockRecvInto(p.accepted(), ByteBuffer.allocate(4)));
                Asyncio.sleep(0); // it finds nothing and waits
                loop.sockSendAll(p.client(), ascii(firstBytes));
                first.await();
                loop.sockSendAll(p.client(), ascii("next")); // there before the second read starts
                Asyncio.createTask(() -> events.add("another task ran"));
                int n = loop.sockRecvInto(p.accepted(), ByteBuffer.allocate(4));
                events.add("second read got " + n);
                Asyncio.sleep(0); // the other task runs by now in any case
            }
            return null;
        });
        return events;
    }

    @Test
    void aReadAfterOneThatHadToWaitWaitsForReadinessFirstAndStillGetsTheBytesAlreadyThere() {
        // a request/response exchange: no read that finds nothing, the bytes come one loop iteration later
        assertEquals(List.of("another task ran", "second read got 4"), secondReadAfterAFirstOf("ab"));
    }

    @Test
    void aReadAfterOneThatFilledItsBufferReadsAtOnce() {
        // a stream that keeps up: the bytes are likely there, read them without a loop iteration
        assertEquals(List.of("second read got 4", "another task ran"), secondReadAfterAFirstOf("abcd"));
    }

    @Test
    void virtualTimeDoesNotJumpWhileATaskWaitsForASocket() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                try (Pair p = connect()) {
                    Task<Void> sleeper = Asyncio.createTask(() -> {
                        Asyncio.sleep(3600);
                        events.add("slept an hour");
                    });
                    Task<Void> reader = Asyncio.createTask(() -> {
                        loop.sockRecvInto(p.accepted(), ByteBuffer.allocate(8));
                        events.add("read");
                    });
                    Asyncio.sleep(0); // both wait now: the reader on its socket, the sleeper on the clock
                    // the bytes come from outside the loop; whether they land before or after the loop runs out
                    // of ready work, the clock must not jump to the sleeper's timer while the reader waits
                    Thread.ofPlatform().start(() -> {
                        try {
                            p.client().write(ascii("x"));
                        } catch (IOException e) {
                            events.add("writer failed: " + e);
                        }
                    });
                    reader.await();
                    sleeper.await(); // nothing waits for a socket now: the clock jumps
                }
                return null;
            });
        }
        assertEquals(List.of("read", "slept an hour"), events);
    }
}
