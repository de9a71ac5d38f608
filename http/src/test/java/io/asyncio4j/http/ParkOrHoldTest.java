package io.asyncio4j.http;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.ThrowingRunnable;

import org.junit.jupiter.api.Test;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Which blocking calls park the calling task (the loop runs the other tasks meanwhile) and which hold the
 * loop (every other task waits), measured on the JDK that runs the tests: the table "Which calls park and
 * which hold the loop" of docs/asyncio-mapping.md is this class's result on JDK 25.
 *
 * <p>The measure needs no clock: a ticker task counts while yielding to the loop ({@code sleep(0)}); the
 * main task makes the call. If the ticker's count moved during the call, the loop ran it, so the call
 * parked. A call that holds the loop leaves the count exactly as it was. Each call waits a few tens of
 * milliseconds for another (platform) thread of this JVM or for the kernel. It lives in the http module's
 * tests because it needs {@code java.net.http}, which this module reads; it uses only core's public API.
 */
class ParkOrHoldTest {
    private static final long WAIT_MS = 30;

    /** Whether the ticker ran while {@code call} ran in the main task. */
    private static boolean tickerRanDuring(ThrowingRunnable call) {
        try (Runner runner = Runner.builder().build()) {
            return runner.run(() -> {
                int[] ticks = {0};
                boolean[] stop = {false};
                Task<Void> ticker = Asyncio.createTask(() -> {
                    while (!stop[0]) {
                        ticks[0]++;
                        Asyncio.sleep(0);
                    }
                });
                Asyncio.sleep(0); // the ticker has started and yielded back
                int before = ticks[0];
                call.run();
                int after = ticks[0];
                stop[0] = true;
                ticker.await();
                return after > before;
            });
        }
    }

    /** Runs {@code action} on a new platform thread after {@link #WAIT_MS}. */
    private static void later(ThrowingRunnable action) {
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(WAIT_MS);
                action.run();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static void busyFor(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    // ---- calls that park the task: the loop runs the others ---------------------------------------------

    @Test
    void threadSleepParks() {
        assertTrue(tickerRanDuring(() -> Thread.sleep(WAIT_MS)));
    }

    @Test
    void aSocketReadParks() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(tickerRanDuring(() -> {
                later(() -> {
                    try (Socket s = server.accept()) {
                        s.getOutputStream().write(1);
                    }
                });
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    s.getInputStream().read();
                }
            }));
        }
    }

    @Test
    void httpClientSendParks() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
            assertTrue(tickerRanDuring(() -> {
                later(() -> {
                    try (Socket s = server.accept()) {
                        s.getInputStream().read(new byte[4096]); // the request (small, one read)
                        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                                .getBytes(StandardCharsets.US_ASCII));
                    }
                });
                client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            }));
        }
    }

    @Test
    void blockingQueueTakeParks() {
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(1);
        assertTrue(tickerRanDuring(() -> {
            later(() -> queue.put("item"));
            queue.take();
        }));
    }

    @Test
    void aContendedSynchronizedBlockParks() {
        Object monitor = new Object();
        assertTrue(tickerRanDuring(() -> {
            CompletableFuture<Void> held = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                synchronized (monitor) {
                    held.complete(null);
                    busyFor(WAIT_MS);
                }
            });
            held.join();
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }));
    }

    @Test
    void objectWaitParks() {
        Object monitor = new Object();
        assertTrue(tickerRanDuring(() -> {
            boolean[] signalled = {false};
            later(() -> {
                synchronized (monitor) {
                    signalled[0] = true;
                    monitor.notifyAll();
                }
            });
            synchronized (monitor) {
                while (!signalled[0]) {
                    monitor.wait();
                }
            }
        }));
    }

    @Test
    void aContendedReentrantLockParks() {
        ReentrantLock lock = new ReentrantLock();
        assertTrue(tickerRanDuring(() -> {
            CompletableFuture<Void> held = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                lock.lock();
                try {
                    held.complete(null);
                    busyFor(WAIT_MS);
                } finally {
                    lock.unlock();
                }
            });
            held.join();
            lock.lock();
            lock.unlock();
        }));
    }

    @Test
    void completableFutureGetParks() {
        assertTrue(tickerRanDuring(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            later(() -> f.complete("done"));
            f.get();
        }));
    }

    @Test
    void cpuBoundWorkMovedToToThreadParks() {
        assertTrue(tickerRanDuring(() -> Asyncio.toThread(() -> busyFor(WAIT_MS))));
    }

    @Test
    void aFileReadMovedToToThreadParks() throws Exception {
        Path fifo = fifo();
        assertTrue(tickerRanDuring(() -> Asyncio.toThread(() -> readFifo(fifo))));
    }

    // ---- calls that hold the loop: every other task waits --------------------------------------------

    @Test
    void cpuBoundWorkHoldsTheLoop() {
        assertFalse(tickerRanDuring(() -> busyFor(WAIT_MS)));
    }

    @Test
    void aBlockingFileReadHoldsTheLoop() throws Exception {
        // A FIFO makes an ordinary file read wait: FileInputStream blocks in open() and read() until the
        // writer comes, and the JDK cannot unmount a virtual thread from file I/O.
        Path fifo = fifo();
        assertFalse(tickerRanDuring(() -> readFifo(fifo)));
    }

    @Test
    void aNativeCallHoldsTheLoop() {
        // usleep(3) through the FFM API stands for any native code: JNI, a JDBC driver written in C.
        MethodHandle usleep = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("usleep").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        assertFalse(tickerRanDuring(() -> {
            try {
                int ignored = (int) usleep.invokeExact((int) TimeUnit.MILLISECONDS.toMicros(WAIT_MS));
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }));
    }

    /** A named pipe in a fresh temporary directory (mkfifo(1), which every Linux and macOS has). */
    private static Path fifo() throws Exception {
        Path dir = Files.createTempDirectory("park-or-hold");
        Path fifo = dir.resolve("pipe");
        dir.toFile().deleteOnExit();
        fifo.toFile().deleteOnExit();
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        } catch (IOException e) {
            assumeTrue(false, "mkfifo(1) is not available: " + e.getMessage());
            throw e;
        }
        assumeTrue(p.waitFor() == 0, "mkfifo(1) failed");
        return fifo;
    }

    /** Reads one byte from {@code fifo}, whose writer comes {@link #WAIT_MS} later. */
    private static int readFifo(Path fifo) throws IOException {
        later(() -> {
            try (FileOutputStream out = new FileOutputStream(fifo.toFile())) {
                out.write(1);
            }
        });
        try (InputStream in = new FileInputStream(fifo.toFile())) {
            return in.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
