package io.asyncio4j.internal.carrier;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.ForkedJvm;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The known JDK traps (docs/architecture.md, "JDK traps and how each is handled"), each reproduced: where {@code toThread} work runs, where virtual
 * threads started inside a task run, the JDK's socket pollers after the loop that first used them ended,
 * and JDK waits ({@code Thread.sleep}, socket reads) that must park a task, not the loop.
 */
class JdkTrapsTest {
    private static final long GENEROUS_SECONDS = 10; // only ever waited in full when the behaviour is broken

    // ---- toThread ----------------------------------------------------------------------------------------

    @Test
    void toThreadRunsItsWorkOnAPlatformWorkerThreadNotOnTheLoop() {
        Thread loopThread = Thread.currentThread();
        assertFalse(loopThread.isVirtual(), "this test needs to run the loop on a platform thread");
        try (Runner runner = new Runner()) {
            List<Thread> workers = runner.run(() -> List.of(
                    Asyncio.toThread(Thread::currentThread),
                    Asyncio.runInExecutor(null, Thread::currentThread)));
            for (Thread worker : workers) {
                assertFalse(worker.isVirtual(), worker + " is a virtual thread");
                assertNotSame(loopThread, worker);
                assertTrue(worker.getName().startsWith("asyncio4j-worker"), worker.getName());
            }
        }
    }

    @Test
    void toThreadWorkRunsWhileTheLoopRunsOtherTasks() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch released = new CountDownLatch(1);
        try (Runner runner = new Runner()) {
            runner.run(() -> {
                Task<Boolean> offLoop = Asyncio.createTask(() -> Asyncio.toThread(() -> {
                    events.add("worker: waits for a task of the loop");
                    return released.await(GENEROUS_SECONDS, TimeUnit.SECONDS);
                }), "offLoop");
                Task<Void> onLoop = Asyncio.createTask(() -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GENEROUS_SECONDS);
                    while (events.isEmpty() && System.nanoTime() < deadline) {
                        Asyncio.sleep(0.001); // until the worker has started
                    }
                    events.add("task: releases the worker");
                    released.countDown();
                }, "onLoop");
                assertTrue(offLoop.await(), "the worker was never released: the loop did not run the other task");
                onLoop.await();
            });
        }
        assertEquals(List.of("worker: waits for a task of the loop", "task: releases the worker"), events);
    }

    // ---- virtual threads started inside a task -----------------------------------------------------------

    @Test
    void virtualThreadStartedInATaskRunsWhileTheTaskHoldsTheLoop() {
        AtomicBoolean ran = new AtomicBoolean();
        AtomicReference<Object> taskSeenByIt = new AtomicReference<>("not run");
        boolean ranWhileTheTaskHeldTheLoop = Asyncio.run(() -> {
            Thread.ofVirtual().start(() -> {
                taskSeenByIt.set(Asyncio.currentTask());
                ran.set(true);
            });
            // Hold the loop without waiting: a thread scheduled on this loop could not run now.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GENEROUS_SECONDS);
            while (!ran.get() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            return ran.get();
        });
        assertTrue(ranWhileTheTaskHeldTheLoop, "a virtual thread started in a task did not run while that task held the loop");
        assertNull(taskSeenByIt.get(), "a virtual thread started in a task is not a task");
    }

    @Test
    void virtualThreadStartedInATaskKeepsRunningAfterTheLoopEnded() throws Exception {
        CountDownLatch loopEnded = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Asyncio.run(() -> {
            Thread.ofVirtual().name("started-in-a-task").start(() -> {
                try {
                    loopEnded.await();
                    finished.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return null;
        });
        loopEnded.countDown();
        assertTrue(finished.await(GENEROUS_SECONDS, TimeUnit.SECONDS),
                "a virtual thread started in a task never ran again after the loop ended: it was scheduled on the loop");
    }

    @Test
    void virtualThreadsOfAnExecutorUsedInATaskKeepRunningAfterTheLoopEnded() throws Exception {
        CountDownLatch loopEnded = new CountDownLatch(1);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            // the executor's thread is created by the task, so it inherits the task's scheduler
            java.util.concurrent.Future<String> submittedInTask = Asyncio.run(() -> executor.submit(() -> {
                loopEnded.await();
                return Asyncio.currentTask() == null ? "ran outside any task" : "ran as a task";
            }));
            loopEnded.countDown();
            assertEquals("ran outside any task", submittedInTask.get(GENEROUS_SECONDS, TimeUnit.SECONDS));
        } finally {
            executor.shutdownNow(); // not close(): it would wait forever for a thread stuck on a dead loop
        }
    }

    // ---- the JDK's socket pollers ------------------------------------------------------------------------

    /**
     * On JDK 25, when the JVM's first socket read happens in a loop task, the JDK creates its
     * socket pollers there; after that loop ends, every virtual thread's socket read in the JVM hangs. This
     * needs a fresh JVM, whose first socket use is inside a task.
     */
    @Test
    void socketReadsOfPlainVirtualThreadsStillCompleteAfterTheLoopThatFirstUsedSocketsEnded() throws Exception {
        ForkedJvm.main(SocketPollerChild.class).run().assertExitedNormally();
    }

    /** The trap's own setting: the JDK's pollers as virtual threads, which the user may still choose. */
    @Test
    void socketReadsOfPlainVirtualThreadsStillCompleteAfterTheLoopEndedWithTheJdksVirtualThreadPollers()
            throws Exception {
        ForkedJvm.main(SocketPollerChild.class).jvmArg("-Djdk.pollerMode=2").run().assertExitedNormally();
    }

    @Test
    void theJdksSocketPollersArePlatformThreadsUnlessTheUserChoseAPollerMode() throws Exception {
        ForkedJvm.main(PollerModeChild.class).arg("1", "Read-Poller").run().assertExitedNormally();
        ForkedJvm.main(PollerModeChild.class).jvmArg("-Djdk.pollerMode=2").arg("2", "MasterPoller")
                .run().assertExitedNormally();
    }

    /** Args: the poller mode expected after a loop's task read from a socket, a poller thread expected then. */
    public static final class PollerModeChild {
        public static void main(String[] args) {
            ForkedJvm.exitAfter(() -> {
                int read = Asyncio.run(() -> {
                    try (LoopbackPair pair = LoopbackPair.open()) {
                        Task<Integer> reader = Asyncio.createTask(() -> pair.accepted().getInputStream().read(), "reader");
                        Asyncio.sleep(0); // the reader parks in its read, on the JDK's poller
                        pair.client().getOutputStream().write(5);
                        return reader.await();
                    }
                });
                assertEquals(5, read);
                assertEquals(args[0], System.getProperty(JdkTraps.POLLER_MODE));
                List<String> pollers = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().endsWith("Poller")).map(t -> t.getName()).sorted().toList();
                assertTrue(pollers.contains(args[1]), "poller threads: " + pollers);
            });
        }
    }

    /** The child JVM of the test above. */
    public static final class SocketPollerChild {
        public static void main(String[] args) {
            ForkedJvm.exitAfter(() -> {
                // 1. This JVM's first socket use, and its first socket read that has to wait: inside a task.
                int readInTask = Asyncio.run(() -> {
                    try (LoopbackPair pair = LoopbackPair.open()) {
                        Task<Integer> reader = Asyncio.createTask(() -> pair.accepted().getInputStream().read(), "reader");
                        Task<Void> writer = Asyncio.createTask(() -> pair.client().getOutputStream().write(42), "writer");
                        writer.await();
                        return reader.await();
                    }
                });
                assertEquals(42, readInTask);

                // 2. That loop has ended. A plain virtual thread reads, and must be woken by the pollers.
                try (LoopbackPair pair = LoopbackPair.open()) {
                    AtomicInteger got = new AtomicInteger(-2);
                    Thread reader = Thread.ofVirtual().name("plain-reader").start(() -> {
                        try {
                            got.set(pair.accepted().getInputStream().read());
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    });
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GENEROUS_SECONDS);
                    while (!isParked(reader) && reader.isAlive() && System.nanoTime() < deadline) {
                        Thread.sleep(1); // until it is parked in the read, waiting for the pollers
                    }
                    assertTrue(isParked(reader), "the reader never parked in its read: " + reader.getState());
                    pair.client().getOutputStream().write(7);
                    if (!reader.join(Duration.ofSeconds(GENEROUS_SECONDS))) {
                        StringBuilder sb = new StringBuilder("a plain virtual thread's socket read did not complete within "
                                + GENEROUS_SECONDS + " s after a loop that first used sockets ended; it is stuck at:");
                        for (StackTraceElement e : reader.getStackTrace()) {
                            sb.append("\n\tat ").append(e);
                        }
                        throw new AssertionError(sb.toString());
                    }
                    assertEquals(7, got.get());
                }
            });
        }
    }

    private static boolean isParked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING; // TIMED: the socket has a read timeout
    }

    // ---- JDK waits park the task, not the loop -----------------------------------------------------------

    @Test
    void threadSleepInATaskLetsOtherTasksRun() {
        List<String> events = new ArrayList<>();
        try (Runner runner = new Runner()) {
            runner.run(() -> {
                Task<Void> sleeper = Asyncio.createTask(() -> {
                    events.add("sleeper: Thread.sleep(20 ms)");
                    Thread.sleep(20);
                    events.add("sleeper: woke");
                }, "sleeper");
                Task<Void> other = Asyncio.createTask(() -> {
                    events.add("other: runs while the sleeper sleeps");
                }, "other");
                sleeper.await();
                other.await();
            });
        }
        assertEquals(List.of("sleeper: Thread.sleep(20 ms)", "other: runs while the sleeper sleeps", "sleeper: woke"),
                events);
    }

    @Test
    void blockingSocketReadInATaskLetsOtherTasksRun() throws Exception {
        List<String> events = new ArrayList<>();
        try (Runner runner = new Runner(); LoopbackPair pair = LoopbackPair.open()) {
            runner.run(() -> {
                Task<Void> reader = Asyncio.createTask(() -> {
                    events.add("reader: reading");
                    int b = pair.accepted().getInputStream().read();
                    events.add("reader: got " + b);
                }, "reader");
                Task<Void> writer = Asyncio.createTask(() -> {
                    events.add("writer: runs while the reader is blocked");
                    Asyncio.sleep(0.02);
                    OutputStream out = pair.client().getOutputStream();
                    out.write(42);
                    out.flush();
                    events.add("writer: wrote");
                }, "writer");
                reader.await();
                writer.await();
            });
        }
        assertEquals(List.of("reader: reading", "writer: runs while the reader is blocked", "writer: wrote",
                "reader: got 42"), events);
    }

    @Test
    void cancellingATaskBlockedInASocketReadEndsItCancelled() throws Exception {
        List<String> events = new ArrayList<>();
        try (Runner runner = new Runner(); LoopbackPair pair = LoopbackPair.open()) {
            runner.run(() -> {
                Task<Integer> reader = Asyncio.createTask(() -> {
                    events.add("reader: reading");
                    InputStream in = pair.accepted().getInputStream();
                    int b = in.read();
                    events.add("reader: got " + b); // never: nobody writes
                    return b;
                }, "reader");
                Asyncio.sleep(0); // the reader runs and blocks in read()
                events.add("main: cancel");
                assertTrue(reader.cancel("stop reading"));
                CancelledError e = assertThrows(CancelledError.class, reader::await);
                assertEquals("stop reading", e.getMessage());
                assertTrue(reader.cancelled());
                events.add("main: reader cancelled");
            });
        }
        assertEquals(List.of("reader: reading", "main: cancel", "main: reader cancelled"), events);
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    /** A connected pair of loopback sockets; reads time out after a while so that a regression fails. */
    record LoopbackPair(ServerSocket server, Socket client, Socket accepted) implements AutoCloseable {
        static LoopbackPair open() throws IOException {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            ServerSocket server = new ServerSocket(0, 1, loopback);
            try {
                Socket client = new Socket(loopback, server.getLocalPort());
                Socket accepted = server.accept();
                int timeoutMillis = (int) TimeUnit.SECONDS.toMillis(3 * GENEROUS_SECONDS);
                client.setSoTimeout(timeoutMillis);
                accepted.setSoTimeout(timeoutMillis);
                return new LoopbackPair(server, client, accepted);
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            try (server; client; accepted) {
                // closes all three
            }
        }
    }
}
