package io.asyncio4j.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Where {@code fetch} writes its JSON lines: stdout, or the file of {@code -o}.
 *
 * <h2>Batching</h2>
 * Lines collect in a buffer that goes out when it holds 64 KiB and on every {@link #flush()} (the
 * progress ticker calls it every 100 ms), never line by line: 100,000 results are a few hundred writes, and
 * a reader of stdout ({@code | jq}, a terminal) still sees them within a tenth of a second. Before
 * writing to stdout, the {@code beforeWrite} hook runs: it blanks the progress bar when stdout and
 * stderr share a terminal.
 *
 * <h2>The -o file</h2>
 * A symbolic link is followed to its target; a FIFO or a device ({@code /dev/null}, {@code /dev/full}) is
 * written straight to and never replaced. For a regular file (or a new one) the lines go to a hidden file next to it ({@code .NAME.PID.tmp}, same directory, hence same file
 * system), which {@link #commit()} renames over {@code NAME} once the run is over (atomically where the
 * file system can). So {@code NAME} is always a complete result set: the previous one until the new one is
 * complete. An interrupted run (Ctrl-C, a crash) leaves {@code NAME} as it was and deletes the hidden file
 * on the way out ({@code deleteOnExit}); a run that failed deletes it in {@link #close()}. To keep the lines
 * of an interrupted run, redirect stdout instead ({@code > results.jsonl}): that file grows as results come.
 *
 * <p>A write that fails (disk full; stdout closed, as by {@code | head}; seen on the writer or on
 * {@code System.out}, where picocli's writer sends its bytes) raises
 * {@link UncheckedIOException}, which stops the run: there is no point in fetching what nobody can read.
 *
 * <p>Thread-safety: none; used by the tasks of one loop, one at a time.
 */
final class JsonLinesOutput implements AutoCloseable {

    private static final int FLUSH_AT = 64 * 1024;

    private final Writer out;
    private final String name;
    private final Path target;
    private final Path temp;
    private final Runnable beforeWrite;
    // whether out is this object's to close (a file, a FIFO, a device; not stdout)
    private final boolean owned;
    // lines not yet written; loop thread only
    private final StringBuilder pending = new StringBuilder(FLUSH_AT + 1024);
    // set by commit(); loop thread only
    private boolean committed;

    private JsonLinesOutput(Writer out, String name, Path target, Path temp, Runnable beforeWrite, boolean owned) {
        this.owned = owned;
        this.out = out;
        this.name = name;
        this.target = target;
        this.temp = temp;
        this.beforeWrite = beforeWrite;
    }

    /** Lines to {@code stdout}; {@code beforeWrite} runs before each write to it. */
    static JsonLinesOutput toStdout(PrintWriter stdout, Runnable beforeWrite) {
        return new JsonLinesOutput(stdout, "stdout", null, null, beforeWrite, false);
    }

    /**
     * Lines for {@code -o file}. A symbolic link is followed to the file it names. An existing file that is
     * not a regular file (a FIFO, a device such as {@code /dev/null}) is written straight to, never replaced.
     * Otherwise the lines go to a hidden file next to it, renamed to it by {@link #commit()}.
     *
     * @throws IOException when the file cannot be opened or the hidden file created; its message says why
     */
    static JsonLinesOutput toFile(Path file) throws IOException {
        Path target = followLinks(file.toAbsolutePath());
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            // a FIFO, a device: write to it as the shell's > does (opening a FIFO waits for its reader)
            Writer w = Files.newBufferedWriter(target, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
            return new JsonLinesOutput(w, file.toString(), null, null, () -> { }, true);
        }
        Path temp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        BufferedWriter w;
        try {
            w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new IOException(noNewFile(target.getParent()), e);
        }
        temp.toFile().deleteOnExit();
        return new JsonLinesOutput(w, file.toString(), target, temp, () -> { }, true);
    }

    /** {@code path} with its symbolic links followed, as far as they lead (a link to nothing yet: its target). */
    private static Path followLinks(Path path) throws IOException {
        for (int hops = 0; Files.isSymbolicLink(path); hops++) {
            if (hops == 40) {
                throw new IOException("too many levels of symbolic links");
            }
            path = path.resolveSibling(Files.readSymbolicLink(path)).normalize();
        }
        return path;
    }

    /**
     * Why no file could be created in {@code dir}: "no such directory", or, when it exists (such as
     * {@code /proc}), that its file system allows no new files.
     */
    private static String noNewFile(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return "no such directory";
        }
        String type;
        try {
            type = Files.getFileStore(dir).type();
        } catch (IOException e) {
            type = "special";
        }
        return "no new file can be created in " + dir + " (a " + type + " file system); -o writes a hidden file"
                + " next to FILE and renames it, so FILE must be in a directory that takes new files";
    }

    /** Adds {@code r}'s line; writes the buffer out when it is full. */
    void write(FetchResult r) {
        r.appendJson(pending);
        pending.append('\n');
        if (pending.length() >= FLUSH_AT) {
            flush();
        }
    }

    /** Writes out the lines buffered so far, if any. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        beforeWrite.run();
        try {
            out.write(pending.toString());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + name + ": " + e.getMessage(), e);
        }
        pending.setLength(0);
        // A PrintWriter, and the PrintStream System.out under picocli's writer, swallow IOException and only
        // remember it: ask both (checkError() also flushes System.out).
        if (out instanceof PrintWriter pw && (pw.checkError() || System.out.checkError())) {
            throw new UncheckedIOException("cannot write the results to " + name + " (closed?)",
                    new IOException("write failed"));
        }
    }

    /** Writes out the rest and, for a file, closes it and renames it into place. */
    void commit() throws IOException {
        flush();
        if (target == null) {
            if (owned) {
                out.close(); // a FIFO or a device
                committed = true;
            }
            return;
        }
        out.close();
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    /** For a file not committed: closes and deletes the hidden file. Stdout is left open. */
    @Override
    public void close() {
        if (!owned || committed) {
            return;
        }
        if (target == null) { // a FIFO or a device: nothing to delete
            try {
                out.close();
            } catch (IOException e) {
                // the run failed already; this is the same broken output
            }
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            // deleting it anyway
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // deleteOnExit tries again
        }
    }
}
