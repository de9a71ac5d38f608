package io.asyncio4j.files;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.testing.AsyncioTest;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsyncFileTest {
    @TempDir
    Path dir;

    @AsyncioTest
    void writeSeekAndReadRoundTrip(Runner runner) throws IOException {
        Path f = dir.resolve("f.bin");
        List<Object> seen = runner.run(() -> {
            try (AsyncFile file = AsyncFiles.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                file.write("hello, world".getBytes(UTF_8));
                List<Object> s = new ArrayList<>();
                s.add(file.position());
                s.add(file.size());
                file.seek(7);
                s.add(new String(file.read(5), UTF_8));
                s.add(file.position());
                return s;
            }
        });
        assertEquals(List.of(12L, 12L, "world", 12L), seen);
        assertEquals("hello, world", Files.readString(f));
    }

    @AsyncioTest
    void readReturnsFewerBytesOnlyAtTheEndAndNoneThere(Runner runner) throws IOException {
        Path f = Files.write(dir.resolve("f.bin"), new byte[] {1, 2, 3});
        runner.run(() -> {
            try (AsyncFile file = AsyncFiles.open(f)) {
                assertArrayEquals(new byte[] {1, 2}, file.read(2));
                assertArrayEquals(new byte[] {3}, file.read(2));
                assertArrayEquals(new byte[0], file.read(2));
            }
        });
    }

    @AsyncioTest
    void readIntoABufferFillsItAndReturnsMinusOneAtTheEnd(Runner runner) throws IOException {
        Path f = Files.write(dir.resolve("f.bin"), new byte[] {1, 2, 3});
        runner.run(() -> {
            try (AsyncFile file = AsyncFiles.open(f)) {
                ByteBuffer buf = ByteBuffer.allocate(8);
                assertEquals(3, file.read(buf));
                assertEquals(3, buf.position());
                assertEquals(-1, file.read(buf));
                assertArrayEquals(new byte[] {1, 2, 3}, java.util.Arrays.copyOf(buf.array(), 3));
            }
        });
    }

    @AsyncioTest
    void readStringReadsFromThePositionToTheEndAndThenReturnsEmpty(Runner runner) throws IOException {
        String text = "héllo\n".repeat(3000); // longer than one 8 KiB read, with a two-byte character
        Path f = Files.writeString(dir.resolve("f.txt"), text);
        runner.run(() -> {
            try (AsyncFile file = AsyncFiles.open(f)) {
                file.seek(1);
                assertEquals(text.substring(1), file.readString());
                assertEquals(Files.size(f), file.position());
                assertEquals("", file.readString());
                file.seek(0);
                assertEquals(text, file.readString(StandardCharsets.UTF_8));
            }
        });
    }

    @AsyncioTest
    void readStringOfMalformedTextFailsWithTheJdksExceptionAsCause(Runner runner) throws IOException {
        Path f = Files.write(dir.resolve("f.txt"), new byte[] {'a', (byte) 0xff});
        UncheckedIOException e = runner.run(() -> {
            try (AsyncFile file = AsyncFiles.open(f)) {
                return assertThrows(UncheckedIOException.class, file::readString);
            }
        });
        assertInstanceOf(java.nio.charset.MalformedInputException.class, e.getCause());
    }

    @AsyncioTest
    void openWithoutOptionsIsReadOnly(Runner runner) throws IOException {
        Path f = Files.writeString(dir.resolve("ro.txt"), "x");
        runner.run(() -> {
            try (AsyncFile file = AsyncFiles.open(f)) {
                assertThrows(NonWritableChannelException.class, () -> file.write(new byte[] {1}));
            }
        });
        assertEquals("x", Files.readString(f));
    }

    @AsyncioTest
    void openOfAMissingFileFailsWithNoSuchFileException(Runner runner) {
        Path f = dir.resolve("missing.bin");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> runner.run(() -> AsyncFiles.open(f)));
        assertInstanceOf(NoSuchFileException.class, e.getCause());
    }

    @AsyncioTest
    void useAfterCloseThrowsAClearErrorAndCloseIsIdempotent(Runner runner) throws IOException {
        Path f = Files.writeString(dir.resolve("c.txt"), "x");
        runner.run(() -> {
            AsyncFile file = AsyncFiles.open(f);
            assertEquals(1L, OpenDescriptors.on(f));
            file.close();
            assertEquals(0L, OpenDescriptors.on(f));
            file.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> file.read(1));
            assertTrue(e.getMessage().startsWith("AsyncFile.read(): the file is closed"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> file.seek(0));
            assertTrue(file.toString().startsWith("AsyncFile[closed, path="), file.toString());
        });
    }

    @AsyncioTest
    void aSecondTaskStartingAnOperationWhileOneWaitsGetsIllegalStateException(Runner runner) throws IOException {
        Path f = Files.writeString(dir.resolve("busy.txt"), "abc");
        runner.run(() -> {
            try (AsyncFile file = AsyncFiles.open(f)) {
                Task<byte[]> first = Asyncio.createTask(() -> file.read(3));
                Task<byte[]> second = Asyncio.createTask(() -> file.read(3)); // runs while `first` waits
                IllegalStateException e = assertThrows(IllegalStateException.class, second::await);
                assertTrue(e.getMessage().contains("one operation at a time"), e.getMessage());
                assertArrayEquals("abc".getBytes(UTF_8), first.await());
            }
        });
    }

    @AsyncioTest
    void aCancelledReadLeavesTheFileUsable(Runner runner) throws IOException {
        Path f = Files.writeString(dir.resolve("r.txt"), "content");
        String after = runner.run(() -> {
            try (AsyncFile file = AsyncFiles.open(f)) {
                Task<byte[]> reader = Asyncio.createTask(() -> file.read(100));
                Asyncio.sleep(0);
                reader.cancel();
                assertThrows(CancelledError.class, reader::await);
                file.seek(0); // waits on the pool for the cancelled read, if it still runs
                return new String(file.read(100), StandardCharsets.UTF_8);
            }
        });
        assertEquals("content", after);
    }

    @AsyncioTest
    void aCloseCancelledBeforeItStartsStillClosesTheFile(Runner runner) throws Exception {
        Path f = Files.writeString(dir.resolve("close.txt"), "x");
        CountDownLatch release = new CountDownLatch(1);
        runner.run(() -> {
            AsyncFile file = AsyncFiles.open(f);
            List<Task<Object>> blockers = new ArrayList<>();
            for (int i = 0; i < FilesPool.THREADS; i++) { // every pool thread busy: the close queues
                blockers.add(Asyncio.createTask(() -> FilesPool.run("blocker", () -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    return null;
                })));
            }
            Task<Void> closer = Asyncio.createTask(file::close);
            Asyncio.sleep(0);
            closer.cancel();
            assertThrows(CancelledError.class, closer::await);
            assertThrows(IllegalStateException.class, () -> file.read(1)); // closed for its users already
            release.countDown();
            for (Task<Object> b : blockers) {
                b.await();
            }
        });
        FilesPool.awaitIdle();
        assertEquals(0L, OpenDescriptors.on(f));
    }

    @AsyncioTest
    void anOperationFromAPlainThreadThrowsAClearError(Runner runner) throws IOException {
        Path f = Files.writeString(dir.resolve("p.txt"), "x");
        AsyncFile file = runner.run(() -> AsyncFiles.open(f));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> file.read(1));
        assertTrue(e.getMessage().startsWith("AsyncFile.read() must be called inside a task"), e.getMessage());
        runner.run(file::close);
    }

    @AsyncioTest
    void toStringShowsTheStateAndThePath(Runner runner) throws IOException {
        Path f = Files.writeString(dir.resolve("t.txt"), "x");
        String shown = runner.run(() -> {
            try (AsyncFile file = AsyncFiles.open(f)) {
                return file.toString();
            }
        });
        assertEquals("AsyncFile[open, path=" + f + "]", shown);
    }
}
