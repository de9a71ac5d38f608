package io.asyncio4j.cli;

import static io.asyncio4j.cli.FetchTestSupport.assertOneLineUsageError;
import static io.asyncio4j.cli.FetchTestSupport.fetch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.asyncio4j.cli.FetchTestSupport.Result;
import io.asyncio4j.testing.TestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fetch -o} never replaces what is not a regular file: a FIFO or a device is written straight to, a
 * symbolic link is followed to its target (which gets the temporary-file-and-rename), and a directory that
 * takes no new files ({@code /proc}) is reported as such. The special files are made in the test's own
 * directory (mkfifo; mknod as root), never the machine's {@code /dev}.
 */
class FetchOutputFileTest {

    @AutoClose
    private static final TestServer server = FetchTestSupport.startServer();
    private static final String base = server.url();

    @TempDir
    Path dir;

    /** Runs {@code command} in {@link #dir}; skips the test when it cannot run here. */
    private void make(String why, String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort(command[0] + " is not available: " + e.getMessage());
            return;
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), command[0] + " did not finish");
        Assumptions.assumeTrue(p.exitValue() == 0, why + ": " + String.join(" ", command) + " failed: " + output);
    }

    @Test
    void aFifoIsWrittenToAndStaysAFifo() throws Exception {
        make("needs mkfifo", "mkfifo", "results.fifo");
        Path fifo = dir.resolve("results.fifo");
        // the reader, as `cat results.fifo` would be
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Result r = fetch("-o", fifo.toString(), base + "/json");
        assertEquals(0, r.exit(), r.toString());
        String lines = read.get(30, TimeUnit.SECONDS);
        assertTrue(lines.startsWith("{\"url\":\"" + base + "/json\""), lines);
        assertFalse(Files.isRegularFile(fifo), "the FIFO was replaced by a regular file");
        assertTrue(Files.exists(fifo), "the FIFO is gone");
        assertEquals(List.of(fifo), list(), "no hidden file left");
    }

    /** A character device of the memory driver (1, {@code minor}) named {@code name} in {@link #dir}; root only. */
    private Path device(String name, int minor) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mknod needs root");
        make("needs mknod", "mknod", "-m", "666", name, "c", "1", Integer.toString(minor));
        return dir.resolve(name);
    }

    @Test
    void aNullDeviceIsWrittenToAndStaysADevice() throws Exception {
        Path device = device("null", 3); // a copy of /dev/null
        Result r = fetch("-o", device.toString(), base + "/json");
        assertEquals(0, r.exit(), r.toString());
        assertFalse(Files.isRegularFile(device), "the device was replaced by a regular file");
        assertEquals(List.of(device), list(), "no hidden file left");
    }

    @Test
    void theRealDevNullWorksForAnyUser() {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/null")), "no /dev/null here");
        Result r = fetch("-o", "/dev/null", base + "/json");
        assertEquals(0, r.exit(), r.toString());
        assertFalse(Files.isRegularFile(Path.of("/dev/null")));
    }

    @Test
    void aFullDeviceFailsTheRunAndStaysADevice() throws Exception {
        Path device = device("full", 7); // a copy of /dev/full
        Result r = fetch("-o", device.toString(), base + "/json");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("cannot write the results to " + device + ": No space left on device"), r.err());
        assertFalse(Files.isRegularFile(device), "the device was replaced by a regular file");
    }

    @Test
    void aSymlinkIsFollowedAndStaysALink() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real")).resolve("results.jsonl");
        Files.writeString(real, "an older run\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), Path.of("real", "results.jsonl"));
        Result r = fetch("-o", link.toString(), base + "/json", base + "/status/202");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(Files.isSymbolicLink(link), "the link was replaced");
        List<String> lines = Files.readAllLines(real);
        assertEquals(2, lines.size(), lines.toString());
        lines.forEach(FetchTestSupport::parseLine);
        try (var files = Files.list(real.getParent())) {
            assertEquals(List.of(real), files.toList(), "no hidden file left next to the target");
        }
    }

    @Test
    void aDirectoryThatTakesNoNewFilesIsReportedAsSuch() {
        Path version = Path.of("/proc/version");
        Assumptions.assumeTrue(Files.isRegularFile(version, LinkOption.NOFOLLOW_LINKS), "no /proc here");
        assertOneLineUsageError(fetch("-o", version.toString(), base + "/json"),
                "Invalid value for option '--output': cannot write '/proc/version': no new file can be created in"
                        + " /proc (a proc file system); -o writes a hidden file next to FILE and renames it, so FILE"
                        + " must be in a directory that takes new files");
    }

    private List<Path> list() throws IOException {
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
