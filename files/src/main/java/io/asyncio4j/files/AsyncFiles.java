package io.asyncio4j.files;

import io.asyncio4j.AsyncGenerator;
import io.asyncio4j.Asyncio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * File operations for tasks (Python's aiofiles, plus an atomic write): each call runs the blocking JDK
 * call on a small dedicated pool of platform threads and parks the calling task until it is done, so the
 * loop runs other tasks meanwhile.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Asyncio.run(() -> {
 *     String config = AsyncFiles.readString(Path.of("app.toml"));
 *     AsyncFiles.writeAtomic(Path.of("state.json"), json);        // the old or the new file, never half
 *     try (AsyncGenerator<String> lines = AsyncFiles.lines(Path.of("big.log"))) {
 *         for (String line : lines) {                              // async for line in f:
 *             if (line.contains("ERROR")) break;
 *         }
 *     }                                                            // closes the file
 *     try (AsyncFile f = AsyncFiles.open(Path.of("data.bin"))) {
 *         f.seek(128);
 *         byte[] header = f.read(16);
 *     }
 *     return null;
 * });
 * }</pre>
 *
 * <h2>The pool</h2>
 * One JVM-wide pool of 4 daemon platform threads named {@code asyncio4j-files-N}, created on first use and
 * shrinking to none after 30 s idle; calls beyond 4 queue in order. It is shared by every loop. Small on
 * purpose: a disk gains little from more parallel calls, and the pool is not the loop's default executor,
 * so slow file work never delays {@code Asyncio.toThread}.
 *
 * <h2>Errors</h2>
 * Unchecked, as in the rest of asyncio4j: the JDK's {@link IOException} surfaces as an
 * {@link UncheckedIOException} whose {@link UncheckedIOException#getCause() cause} is the JDK's exception, so
 * {@code e.getCause() instanceof NoSuchFileException} (or {@code AccessDeniedException},
 * {@code MalformedInputException}, ...) tells what went wrong. Calls made outside a task (a plain thread,
 * a loop callback) throw {@link IllegalStateException}: only a task can wait.
 *
 * <h2>Cancellation</h2>
 * Cancelling a task that waits for a file call raises {@code CancelledError} in it at once; the pool's
 * thread is never interrupted. A call that had not started yet is skipped; one that had started runs to
 * its end and its result is dropped. So a cancelled {@code write} may or may not have written, and a
 * cancelled {@link #writeAtomic writeAtomic} leaves the old file or the new one, never half of one.
 *
 * <h2>Thread-safety</h2>
 * All methods may be called by any task of any loop, concurrently. Concurrent writes to one file are not
 * ordered among themselves (as with {@link Files}).
 */
public final class AsyncFiles {
    /*
     * Implementation overview.
     *
     * Every method is one FilesPool.run(api, call): Asyncio.runInExecutor on the pool, awaited by the task,
     * IOException wrapped once on the pool thread. lines() is a generator whose body holds a LineReader and
     * asks the pool for one chunk at a time, only when the consumer has taken every line of the previous
     * one. writeAtomic() is one pool call (temp file, force, move, directory fsync), so a cancel of the
     * task can never stop it half-way: the call always ends by moving or by deleting its temp file.
     */
    static final int CHUNK = 8192;

    private AsyncFiles() {
    }

    // ---- whole files ---------------------------------------------------------------------------------

    /** The file's content decoded as UTF-8 ({@link Files#readString(Path)}); malformed input fails. */
    public static String readString(Path path) {
        return readString(path, StandardCharsets.UTF_8);
    }

    /** The file's content decoded with {@code charset} ({@link Files#readString(Path, Charset)}). */
    public static String readString(Path path, Charset charset) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(charset, "charset");
        return FilesPool.run("AsyncFiles.readString()", () -> Files.readString(path, charset));
    }

    /** The file's bytes ({@link Files#readAllBytes}). */
    public static byte[] readAllBytes(Path path) {
        Objects.requireNonNull(path, "path");
        return FilesPool.run("AsyncFiles.readAllBytes()", () -> Files.readAllBytes(path));
    }

    /**
     * Writes {@code bytes} to the file ({@link Files#write(Path, byte[], OpenOption...)}: by default creates
     * it or truncates it). The array is copied first, so the caller may reuse it at once. Not atomic: a
     * failure or a crash can leave part of the bytes written; see {@link #writeAtomic(Path, byte[])}.
     */
    public static void write(Path path, byte[] bytes, OpenOption... options) {
        Objects.requireNonNull(path, "path");
        byte[] copy = bytes.clone();
        OpenOption[] opts = options.clone();
        FilesPool.run("AsyncFiles.write()", () -> Files.write(path, copy, opts));
    }

    /** Writes {@code text} encoded as UTF-8 ({@link Files#writeString(Path, CharSequence, OpenOption...)}). */
    public static void writeString(Path path, CharSequence text, OpenOption... options) {
        writeString(path, text, StandardCharsets.UTF_8, options);
    }

    /** Writes {@code text} encoded with {@code charset}; an unmappable character fails before anything is written. */
    public static void writeString(Path path, CharSequence text, Charset charset, OpenOption... options) {
        Objects.requireNonNull(path, "path");
        byte[] bytes = encode("AsyncFiles.writeString()", text, charset);
        OpenOption[] opts = options.clone();
        FilesPool.run("AsyncFiles.writeString()", () -> Files.write(path, bytes, opts));
    }

    /**
     * Replaces the file with {@code bytes} so that the file is at any moment — also after a crash or a
     * power loss — either the old one or the new one, never a mix (the "write, fsync, rename" recipe):
     * <ol>
     *   <li>write a temporary file {@code .NAME.RANDOM.tmp} in the same directory (same file system, so the
     *       rename is atomic), with the old file's POSIX permissions if it has some;</li>
     *   <li>{@link FileChannel#force(boolean) force} its content and metadata to the disk;</li>
     *   <li>move it over the file with {@code ATOMIC_MOVE} (and {@code REPLACE_EXISTING});</li>
     *   <li>fsync the directory so that the rename itself is durable, where the OS allows opening a
     *       directory (Linux, macOS; skipped silently elsewhere).</li>
     * </ol>
     * On any failure before the move (directory missing, disk full, the file system cannot move atomically)
     * the temporary file is deleted, the old file is untouched, and the failure is thrown. The whole recipe
     * is one pool call: a cancel of the task does not stop it half-way (see the class comment).
     * Symbolic links are not followed: a link at {@code path} is replaced by a regular file.
     *
     * @throws UncheckedIOException with the JDK's exception as its cause, e.g. {@code NoSuchFileException}
     *                              when the directory does not exist, {@code AtomicMoveNotSupportedException}
     */
    public static void writeAtomic(Path path, byte[] bytes) {
        Objects.requireNonNull(path, "path");
        byte[] copy = bytes.clone();
        FilesPool.run("AsyncFiles.writeAtomic()", () -> {
            replaceAtomically(path, copy);
            return null;
        });
    }

    /** {@link #writeAtomic(Path, byte[])} of {@code text} encoded as UTF-8. */
    public static void writeAtomic(Path path, CharSequence text) {
        writeAtomic(path, text, StandardCharsets.UTF_8);
    }

    /** {@link #writeAtomic(Path, byte[])} of {@code text} encoded with {@code charset}. */
    public static void writeAtomic(Path path, CharSequence text, Charset charset) {
        writeAtomic(path, encode("AsyncFiles.writeAtomic()", text, charset));
    }

    // ---- streaming -----------------------------------------------------------------------------------

    /** The file's lines decoded as UTF-8, read lazily; see {@link #lines(Path, Charset)}. */
    public static AsyncGenerator<String> lines(Path path) {
        return lines(path, StandardCharsets.UTF_8);
    }

    /**
     * The file's lines, read lazily in chunks of 8 KiB on the pool as the consumer asks for them (aiofiles'
     * {@code async for line in f}). Lines end at {@code \n}, {@code \r} or {@code \r\n}, which are not part
     * of the line; a last line without a terminator is returned too (as {@link Files#lines}). Nothing happens
     * before the first {@code hasNext()}: the file is opened then, and closed when the lines are exhausted,
     * when reading fails, and when the generator is closed (use try-with-resources when you may stop early).
     *
     * <p>Cancellation: a consumer cancelled while a chunk is read gets {@code CancelledError}; the body ends
     * and closes the file (the chunk read still in flight then fails quietly on the pool).
     *
     * @throws UncheckedIOException from {@code hasNext()}: the JDK's exception as its cause, e.g.
     *                              {@code NoSuchFileException}, {@code MalformedInputException}
     */
    public static AsyncGenerator<String> lines(Path path, Charset charset) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(charset, "charset");
        return Asyncio.generator(out -> {
            FileChannel channel = FilesPool.open("AsyncFiles.lines()", () -> FileChannel.open(path, StandardOpenOption.READ));
            try {
                LineReader reader = new LineReader(channel, charset);
                List<String> chunk;
                while ((chunk = FilesPool.run("AsyncFiles.lines()", reader::nextLines)) != null) {
                    for (String line : chunk) {
                        out.yield(line);
                    }
                }
            } finally {
                // close() of a local file does not block; done here so that it also happens when the body is
                // being cancelled (an await in a finally of a cancelled task could itself be cancelled)
                try {
                    channel.close();
                } catch (IOException e) {
                    // nothing was written: a failing close loses no data
                }
            }
        });
    }

    /**
     * Opens the file (aiofiles' {@code open}) with {@link FileChannel#open(Path, OpenOption...)}'s options:
     * none means {@code READ}. Close the result (try-with-resources).
     */
    public static AsyncFile open(Path path, OpenOption... options) {
        Objects.requireNonNull(path, "path");
        OpenOption[] opts = options.length == 0 ? new OpenOption[] {StandardOpenOption.READ} : options.clone();
        FileChannel channel = FilesPool.open("AsyncFiles.open()", () -> FileChannel.open(path, opts));
        return new AsyncFile(path, channel);
    }

    // ---- on the pool ---------------------------------------------------------------------------------

    private static void replaceAtomically(Path path, byte[] bytes) throws IOException {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                copyPermissions(target, tmp);
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } catch (IOException | RuntimeException | Error e) {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException d) {
                    e.addSuppressed(d);
                }
            }
            throw e;
        }
        syncDirectory(dir);
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        PosixFileAttributeView old = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        if (old == null) {
            return; // not a POSIX file system
        }
        try {
            Files.setPosixFilePermissions(to, old.readAttributes().permissions());
        } catch (FileSystemException e) {
            // no old file (NoSuchFileException) or not ours to read: the new file keeps the default permissions
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return; // the OS does not open directories (Windows): the rename is as durable as it gets
        }
        try (ch) {
            ch.force(true);
        }
    }

    private static byte[] encode(String api, CharSequence text, Charset charset) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(charset, "charset");
        try {
            ByteBuffer b = charset.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            return Arrays.copyOfRange(b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit());
        } catch (CharacterCodingException e) {
            throw new UncheckedIOException(api + " failed: the text cannot be encoded as " + charset + ": " + e, e);
        }
    }
}
