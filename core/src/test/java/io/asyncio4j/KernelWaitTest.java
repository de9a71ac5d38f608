package io.asyncio4j;

import io.asyncio4j.sync.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

import static io.asyncio4j.TestLoops.now;
import static io.asyncio4j.TestLoops.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel's one wait ({@link KernelWait}), once per kind of wait that goes through it: a sleep, an await
 * on a future, the sync primitives' wait queue (here {@link Event#await()}) and the loop's selector
 * ({@link EventLoop#sockRecvInto} on a loopback socket). The same rules must hold for each: a cancel ends
 * the wait; a cancel withdrawn by {@code uncancel()} before the task resumed still ends it with
 * {@link CancelledError}; a foreign interrupt counts as one cancel; and virtual time jumps past a waiting task.
 */
@Timeout(30)
class KernelWaitTest {

    /** The kinds of waits; each starts one wait of the calling task and can end it normally. */
    enum Kind {
        SLEEP, FUTURE, PARKING_LOT, SELECTOR
    }

    // a connected loopback pair, made before the loop runs (connecting on the loop would advance its clock by
    // the real time the loop spends in select)
    private SocketChannel client;
    private SocketChannel accepted;
    // System.nanoTime() before the test's loop started; written by connect(), read by assertClock (one thread)
    private long realStart;

    @BeforeEach
    void connect() throws IOException {
        realStart = System.nanoTime();
        try (ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            client = SocketChannel.open(server.getLocalAddress());
            accepted = server.accept();
        }
        client.configureBlocking(false);
        accepted.configureBlocking(false);
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        accepted.close();
    }

    /**
     * The clock, where the selector's waits let real time in (the loop waits in select then): no more than the
     * real time since the test began, whatever the machine's load, rather than a fixed tolerance.
     */
    private void assertClock(Kind kind, double expected) {
        double now = now();
        if (kind != Kind.SELECTOR) {
            assertEquals(expected, now);
            return;
        }
        double realSeconds = (System.nanoTime() - realStart) / 1e9;
        assertTrue(now >= expected && now <= expected + realSeconds,
                "clock " + now + " s, expected " + expected + " s plus at most the " + realSeconds + " s really waited");
    }

    /** What one test's waiter waits on; made inside the running loop. */
    private final class Fixture {
        final Kind kind;
        final Future<String> future = Asyncio.getRunningLoop().createFuture();
        final Event event = new Event();
        final SocketChannel client = KernelWaitTest.this.client;
        final SocketChannel accepted = KernelWaitTest.this.accepted;

        Fixture(Kind kind) {
            this.kind = kind;
        }

        /** Waits once, in the calling task, and says how the wait ended normally. */
        String await() throws IOException {
            switch (kind) {
                case SLEEP -> Asyncio.sleep(3600);
                case FUTURE -> {
                    return future.await();
                }
                case PARKING_LOT -> event.await();
                case SELECTOR -> {
                    ByteBuffer dst = ByteBuffer.allocate(8);
                    Asyncio.getRunningLoop().sockRecvInto(accepted, dst);
                    return "read " + dst.position();
                }
            }
            return "woken";
        }
    }

    /** Starts a task that waits once, and lets it reach its wait. */
    private static Task<String> waiter(Fixture fx, List<String> events) {
        Task<String> t = Asyncio.createTask(() -> {
            events.add("waiting");
            try {
                return fx.await();
            } catch (CancelledError e) {
                events.add("cancelled: " + e.getMessage());
                throw e;
            }
        }, "waiter");
        Asyncio.sleep(0);
        return t;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void cancelWhileWaitingEndsTheWaitWithCancelledError(Kind kind) {
        runVirtual(() -> {
            Fixture fx = new Fixture(kind);
            List<String> events = new ArrayList<>();
            Task<String> t = waiter(fx, events);
            assertTrue(t.cancel("stop"));
            CancelledError e = assertThrows(CancelledError.class, t::await);
            assertEquals("stop", e.getMessage());
            assertEquals(List.of("waiting", "cancelled: stop"), events);
            assertTrue(t.cancelled());
            assertClock(kind, 0.0);
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void cancelWithdrawnBeforeTheTaskResumedStillEndsTheWaitWithCancelledError(Kind kind) {
        // the wait was cancelled all the same (asyncio: the future the task awaited was), so every kind raises;
        // the selector's wait used to return quietly and wait again
        runVirtual(() -> {
            Fixture fx = new Fixture(kind);
            List<String> events = new ArrayList<>();
            Task<String> t = waiter(fx, events);
            t.cancel("stop");
            assertEquals(0, t.uncancel());
            Asyncio.timeout(5.0, () -> assertThrows(CancelledError.class, t::await));
            assertEquals(2, events.size(), events::toString);
            assertTrue(events.get(1).startsWith("cancelled"), events::toString);
            assertEquals(0, t.cancelling());
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void interruptOfAWaitingTaskCountsAsOneCancel(Kind kind) {
        runVirtual(() -> {
            Fixture fx = new Fixture(kind);
            List<String> events = new ArrayList<>();
            Task<String> t = waiter(fx, events);
            t.thread().interrupt(); // foreign code, not Task.cancel()
            CancelledError e = assertThrows(CancelledError.class, t::await);
            assertEquals("interrupted", e.getMessage());
            assertEquals(List.of("waiting", "cancelled: interrupted"), events);
            assertEquals(1, t.cancelling());
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void virtualClockJumpsPastATaskInTheWaitAndTheWaitEndsNormally(Kind kind) {
        runVirtual(() -> {
            Fixture fx = new Fixture(kind);
            List<String> events = new ArrayList<>();
            Task<String> t = waiter(fx, events);
            if (kind == Kind.SELECTOR) {
                // a channel can become ready at any real moment: the clock does not jump while a task waits
                // on one. Data ends that wait; then the clock jumps again.
                fx.client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                assertEquals("read 3", t.await());
                double before = now();
                Asyncio.sleep(3600);
                assertEquals(before + 3600, now());
                return;
            }
            Asyncio.createTask(() -> {
                Asyncio.sleep(7);
                fx.future.setResult("set");
                fx.event.set();
            });
            String got = t.await();
            assertEquals(kind == Kind.SLEEP ? 3600.0 : 7.0, now());
            assertEquals(kind == Kind.FUTURE ? "set" : "woken", got);
            assertEquals(List.of("waiting"), events);
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void cancelledWaitLeavesNothingRegisteredBehind(Kind kind) {
        runVirtual(() -> {
            Fixture fx = new Fixture(kind);
            Task<String> t = waiter(fx, new ArrayList<>());
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            // a second wait on the same thing works, and the clock jumps (no stale registration)
            Task<String> again = waiter(fx, new ArrayList<>());
            switch (kind) {
                case SLEEP -> assertEquals("woken", again.await());
                case FUTURE -> assertThrows(CancelledError.class, again::await); // the future was cancelled
                case PARKING_LOT -> {
                    assertEquals("Event[unset, waiters=1]", fx.event.toString());
                    fx.event.set();
                    assertEquals("woken", again.await());
                }
                case SELECTOR -> {
                    fx.client.write(ByteBuffer.wrap(new byte[] {9}));
                    assertEquals("read 1", again.await());
                }
            }
            double before = now();
            Asyncio.sleep(3600);
            assertEquals(before + 3600, now());
        });
    }
}
