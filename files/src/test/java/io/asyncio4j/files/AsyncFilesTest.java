package io.asyncio4j.files;

import io.asyncio4j.AsyncGenerator;
import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.Ordering;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnmappableCharacterException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AsyncFilesTest {
    @TempDir
    Path dir;

    // ---- round trips and charsets ----------------------------------------------------------------------

    @AsyncioTest
    void readStringReturnsWhatWriteStringWrote(Runner runner) {
        Path f = dir.resolve("a.txt");
        String read = runner.run(() -> {
            AsyncFiles.writeString(f, "grüße, 世界\n");
            return AsyncFiles.readString(f);
        });
        assertEquals("grüße, 世界\n", read);
    }

    @AsyncioTest
    void charsetOverloadsEncodeAndDecodeWithTheGivenCharset(Runner runner) throws IOException {
        Path f = dir.resolve("latin1.txt");
        String read = runner.run(() -> {
            AsyncFiles.writeString(f, "café", StandardCharsets.ISO_8859_1);
            return AsyncFiles.readString(f, StandardCharsets.ISO_8859_1);
        });
        assertEquals("café", read);
        assertArrayEquals(new byte[] {'c', 'a', 'f', (byte) 0xE9}, Files.readAllBytes(f));
    }

    @AsyncioTest
    void readStringOfMalformedUtf8FailsWithMalformedInputException(Runner runner) throws IOException {
        Path f = Files.write(dir.resolve("bad.txt"), new byte[] {'o', 'k', (byte) 0xFF});
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> runner.run(() -> AsyncFiles.readString(f)));
        assertInstanceOf(MalformedInputException.class, e.getCause());
    }

    @AsyncioTest
    void writeStringOfAnUnmappableCharacterFailsBeforeWriting(Runner runner) {
        Path f = dir.resolve("ascii.txt");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> runner.run(() -> AsyncFiles.writeString(f, "snow ☃", StandardCharsets.US_ASCII)));
        assertInstanceOf(UnmappableCharacterException.class, e.getCause());
        assertFalse(Files.exists(f));
    }

    @AsyncioTest
    void readAllBytesReturnsWhatWriteWroteAndAppendAppends(Runner runner) {
        Path f = dir.resolve("b.bin");
        byte[] read = runner.run(() -> {
            AsyncFiles.write(f, new byte[] {1, 2, 3});
            AsyncFiles.write(f, new byte[] {4}, StandardOpenOption.APPEND);
            return AsyncFiles.readAllBytes(f);
        });
        assertArrayEquals(new byte[] {1, 2, 3, 4}, read);
    }

    @AsyncioTest
    void aMissingFileSurfacesAsUncheckedIOExceptionCausedByNoSuchFileException(Runner runner) {
        Path f = dir.resolve("missing.txt");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> runner.run(() -> AsyncFiles.readAllBytes(f)));
        assertInstanceOf(NoSuchFileException.class, e.getCause());
        assertTrue(e.getMessage().startsWith("AsyncFiles.readAllBytes() failed"), e.getMessage());
    }

    // ---- writeAtomic -----------------------------------------------------------------------------------

    @AsyncioTest
    void writeAtomicCreatesAFile(Runner runner) throws IOException {
        Path f = dir.resolve("new.json");
        runner.run(() -> AsyncFiles.writeAtomic(f, "{}"));
        assertEquals("{}", Files.readString(f));
        assertEquals(List.of("new.json"), names(dir));
    }

    @AsyncioTest
    void writeAtomicReplacesAnExistingFileKeepingItsPermissions(Runner runner) throws IOException {
        Path f = Files.writeString(dir.resolve("state.json"), "old");
        boolean posix = Files.getFileStore(f).supportsFileAttributeView("posix");
        if (posix) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        }
        runner.run(() -> AsyncFiles.writeAtomic(f, "new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new", Files.readString(f));
        assertEquals(List.of("state.json"), names(dir));
        if (posix) {
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        }
    }

    @AsyncioTest
    void writeAtomicIntoAMissingDirectoryFailsWithNoSuchFileException(Runner runner) {
        Path f = dir.resolve("no-such-dir").resolve("x.txt");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> runner.run(() -> AsyncFiles.writeAtomic(f, "x")));
        assertInstanceOf(NoSuchFileException.class, e.getCause());
        assertFalse(Files.exists(f.getParent()));
    }

    @AsyncioTest
    void writeAtomicThatCannotMoveLeavesTheTargetUntouchedAndNoTemporaryFile(Runner runner) throws IOException {
        Path target = Files.createDirectory(dir.resolve("target"));
        Files.writeString(target.resolve("inside.txt"), "kept");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> runner.run(() -> AsyncFiles.writeAtomic(target, "replacement")));
        assertInstanceOf(FileSystemException.class, e.getCause()); // DirectoryNotEmptyException on Linux
        assertEquals("kept", Files.readString(target.resolve("inside.txt")));
        assertEquals(List.of("target"), names(dir));
    }

    // ---- lines -----------------------------------------------------------------------------------------

    @AsyncioTest
    void linesEndAtEveryKindOfLineEnd(Runner runner) throws IOException {
        Path f = Files.writeString(dir.resolve("l.txt"), "a\nb\r\nc\rd\n\ne");
        List<String> lines = runner.run(() -> AsyncFiles.lines(f).toList());
        assertEquals(List.of("a", "b", "c", "d", "", "e"), lines);
    }

    @AsyncioTest
    void linesOfAnEmptyFileAreNone(Runner runner) throws IOException {
        Path f = Files.writeString(dir.resolve("empty.txt"), "");
        assertEquals(List.of(), runner.run(() -> AsyncFiles.lines(f).toList()));
    }

    @AsyncioTest
    void linesSpanningChunksAreWhole(Runner runner) throws IOException {
        // "\r\n" split by the chunk boundary, a two-byte character split by it, a line longer than a chunk
        String first = "x".repeat(AsyncFiles.CHUNK - 1) + "\r\n";
        String second = "y".repeat(AsyncFiles.CHUNK - 1) + "é\n";
        String third = "z".repeat(3 * AsyncFiles.CHUNK);
        Path f = Files.writeString(dir.resolve("chunks.txt"), first + second + third);
        List<String> lines = runner.run(() -> AsyncFiles.lines(f).toList());
        assertEquals(List.of(first.strip(), second.strip(), third), lines);
    }

    @AsyncioTest
    void linesReadTheFileOnlyAsTheConsumerAsks(Runner runner) throws Exception {
        // lines of 10 bytes: the first 8 KiB chunk holds 819 whole lines and the start of the 820th
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            text.append(String.format("line-%04d%n", i).replace(System.lineSeparator(), "\n"));
        }
        Path f = Files.writeString(dir.resolve("big.txt"), text);
        int perChunk = AsyncFiles.CHUNK / 10;
        FilesPool.awaitIdle();
        List<Long> callsSeen = runner.run(() -> {
            List<Long> calls = new ArrayList<>();
            long before = FilesPool.startedCalls();
            try (AsyncGenerator<String> lines = AsyncFiles.lines(f)) {
                calls.add(FilesPool.startedCalls() - before);          // nothing before the first request
                assertEquals("line-0000", lines.next());
                calls.add(FilesPool.startedCalls() - before);          // open + the first chunk
                for (int i = 1; i < perChunk; i++) {
                    lines.next();
                }
                calls.add(FilesPool.startedCalls() - before);          // the first chunk's lines need no more
                assertEquals(String.format("line-%04d", perChunk), lines.next());
                calls.add(FilesPool.startedCalls() - before);          // the line crossing into the second chunk
            }
            return calls;
        });
        assertEquals(List.of(0L, 2L, 2L, 3L), callsSeen);
    }

    @AsyncioTest
    void closingHalfConsumedLinesClosesTheFile(Runner runner) throws IOException {
        Path f = Files.writeString(dir.resolve("half.txt"), "one\ntwo\nthree\n");
        List<Long> open = runner.run(() -> {
            List<Long> seen = new ArrayList<>();
            AsyncGenerator<String> lines = AsyncFiles.lines(f);
            assertEquals("one", lines.next());
            seen.add(OpenDescriptors.on(f));
            lines.close();
            seen.add(OpenDescriptors.on(f));
            return seen;
        });
        assertEquals(List.of(1L, 0L), open);
    }

    @AsyncioTest
    void exhaustedLinesCloseTheFile(Runner runner) throws IOException {
        Path f = Files.writeString(dir.resolve("all.txt"), "one\ntwo");
        long open = runner.run(() -> {
            AsyncGenerator<String> lines = AsyncFiles.lines(f);
            assertEquals(List.of("one", "two"), lines.toList());
            return OpenDescriptors.on(f);
        });
        assertEquals(0L, open);
    }

    @AsyncioTest
    void linesOfAMissingFileFailFromTheFirstRequest(Runner runner) {
        Path f = dir.resolve("missing.txt");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> runner.run(() -> {
            AsyncGenerator<String> lines = AsyncFiles.lines(f); // nothing happens yet
            return lines.hasNext();
        }));
        assertInstanceOf(NoSuchFileException.class, e.getCause());
    }

    // ---- the pool, concurrency, cancellation ------------------------------------------------------------

    @AsyncioTest
    void otherTasksRunWhileAReadIsInFlight(Runner runner, Ordering order) throws IOException {
        Path f = Files.writeString(dir.resolve("r.txt"), "content");
        runner.run(() -> {
            order.expect(1);
            Task<String> reader = Asyncio.createTask(() -> {
                order.expect(2);
                String s = AsyncFiles.readString(f); // parks: the loop runs `other`
                order.expect(4);
                return s;
            });
            Task<Void> other = Asyncio.createTask(() -> order.expect(3));
            assertEquals("content", reader.await());
            other.await();
            order.finish(5);
        });
    }

    @AsyncioTest
    void blockingWorkRunsOnDaemonPlatformThreadsOfTheFilesPool(Runner runner) {
        Thread worker = runner.run(() -> FilesPool.run("test", Thread::currentThread));
        assertTrue(worker.getName().startsWith("asyncio4j-files-"), worker.getName());
        assertTrue(worker.isDaemon());
        assertFalse(worker.isVirtual());
    }

    @AsyncioTest
    void cancellingTheAwaitingTaskNeverInterruptsThePoolThread(Runner runner) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        runner.run(() -> {
            Task<Object> call = Asyncio.createTask(() -> FilesPool.run("test", () -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
                interrupted.compareAndSet(false, Thread.currentThread().isInterrupted());
                return null;
            }));
            Asyncio.toThread(() -> started.await());
            call.cancel();
            assertThrows(CancelledError.class, call::await);
        });
        release.countDown();
        FilesPool.awaitIdle();
        assertFalse(interrupted.get());
    }

    @AsyncioTest
    void aCancelledReadLeavesTheFileAndThePoolUsable(Runner runner) throws IOException {
        Path f = Files.writeString(dir.resolve("c.txt"), "still here");
        String after = runner.run(() -> {
            Task<String> reader = Asyncio.createTask(() -> AsyncFiles.readString(f));
            Asyncio.sleep(0); // the reader submits its read and parks
            reader.cancel();
            assertThrows(CancelledError.class, reader::await);
            return AsyncFiles.readString(f);
        });
        assertEquals("still here", after);
    }

    @AsyncioTest
    void aWriteAtomicCancelledBeforeItStartsLeavesTheOldFile(Runner runner) throws Exception {
        Path f = Files.writeString(dir.resolve("s.txt"), "old");
        CountDownLatch release = new CountDownLatch(1);
        runner.run(() -> {
            List<Task<Object>> blockers = new ArrayList<>();
            for (int i = 0; i < FilesPool.THREADS; i++) { // every pool thread busy: the write queues
                blockers.add(Asyncio.createTask(() -> FilesPool.run("blocker", () -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    return null;
                })));
            }
            Task<Void> writer = Asyncio.createTask(() -> AsyncFiles.writeAtomic(f, "new"));
            Asyncio.sleep(0);
            writer.cancel();
            assertThrows(CancelledError.class, writer::await);
            release.countDown();
            for (Task<Object> b : blockers) {
                b.await();
            }
        });
        FilesPool.awaitIdle();
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("s.txt"), names(dir));
    }

    @AsyncioTest
    void aCancelledWriteAtomicLeavesTheOldOrTheNewFileAndNoTemporaryFile(Runner runner) throws Exception {
        Path f = dir.resolve("s.txt");
        String old = "old".repeat(100_000);
        String neu = "new".repeat(100_000);
        for (int yields = 0; yields < 8; yields++) { // cancel at different points of the write
            Files.writeString(f, old);
            int n = yields;
            runner.run(() -> {
                Task<Void> writer = Asyncio.createTask(() -> AsyncFiles.writeAtomic(f, neu));
                for (int i = 0; i < n; i++) {
                    Asyncio.sleep(0);
                }
                writer.cancel();
                try {
                    writer.await();
                } catch (CancelledError expected) {
                    // the usual outcome; with many yields the write may have finished first
                }
            });
            FilesPool.awaitIdle();
            String now = Files.readString(f);
            assertTrue(now.equals(old) || now.equals(neu), "half a file after a cancel at yield " + n);
            assertEquals(List.of("s.txt"), names(dir));
        }
    }

    @AsyncioTest
    void aCallFromAPlainThreadThrowsAClearError() throws IOException {
        Path f = Files.writeString(dir.resolve("p.txt"), "x");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AsyncFiles.readString(f));
        assertTrue(e.getMessage().startsWith("AsyncFiles.readString() must be called inside a task"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> AsyncFiles.open(f));
        assertThrows(IllegalStateException.class, () -> AsyncFiles.writeAtomic(f, "y"));
        assertEquals("x", Files.readString(f));
    }

    @AsyncioTest
    void linesNeedATaskOnlyWhenConsumed() throws IOException {
        Path f = Files.writeString(dir.resolve("p.txt"), "x");
        AsyncGenerator<String> lines = AsyncFiles.lines(f); // creating it does nothing
        assertThrows(IllegalStateException.class, lines::hasNext);
        lines.close();
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
