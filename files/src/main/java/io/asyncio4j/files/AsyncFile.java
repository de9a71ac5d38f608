package io.asyncio4j.files;

import io.asyncio4j.CancelledError;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An open file for tasks (aiofiles' file object), from {@link AsyncFiles#open}: every operation runs on the
 * {@code asyncio4j-files} pool while the calling task waits.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * try (AsyncFile f = AsyncFiles.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
 *     f.seek(f.size());
 *     f.write("appended\n".getBytes(UTF_8));
 *     f.seek(0);
 *     byte[] head = f.read(64);                 // fewer only at the end of the file; empty there
 * }
 * }</pre>
 *
 * <h2>States</h2>
 * <pre>
 *   OPEN ──operation starts──▶ BUSY ──it ends (or its task is cancelled)──▶ OPEN
 *     └──close()──▶ CLOSED
 * </pre>
 * One operation at a time: a task that starts one while another task waits for one gets
 * {@link IllegalStateException}, as does any operation after {@link #close()}.
 *
 * <h2>Cancellation</h2>
 * A task cancelled while it waits for an operation gets {@code CancelledError} at once; the pool thread is
 * not interrupted and finishes the operation, whose result is dropped: a cancelled {@code write} may have
 * written, a cancelled {@code read} may have moved the position (those bytes are lost), and a cancelled
 * {@code read(ByteBuffer)} never touches the caller's buffer. The next operation, and {@code close()}, start
 * on the pool only after that leftover one has ended, so operations never overlap.
 *
 * <h2>Errors</h2>
 * As {@link AsyncFiles}: {@link java.io.UncheckedIOException} with the JDK's exception as its cause.
 *
 * <h2>Thread-safety</h2>
 * Any task of any loop may use it, one operation at a time. {@link #toString()} may be called anywhere.
 */
public final class AsyncFile implements AutoCloseable {
    /*
     * Implementation overview.
     *
     * Two guards, one per side. `busy` stops a second task from starting an operation while one task waits:
     * it is the API's rule, checked and reset by the calling tasks. `channelLock` is held by the pool thread
     * for the whole of each operation: a task cancelled mid-operation resets `busy` at once, but its work
     * may still run on the pool, and the next operation (on another pool thread) waits for it there.
     *
     *   task A: read ─▶ pool thread 1 holds channelLock, reads ─▶ A cancelled: busy = false
     *   task A: write ─▶ pool thread 2 blocks on channelLock ─▶ thread 1 done ─▶ thread 2 writes
     */
    private final Path path;
    private final FileChannel channel;
    // held by a pool thread for the whole of one operation
    private final ReentrantLock channelLock = new ReentrantLock();
    // written by the calling tasks (their loops' threads) under `this`; read by them and by toString
    private boolean busy;
    private boolean closed;

    AsyncFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /**
     * Reads up to {@code max} bytes from the position (fewer only at the end of the file; an empty array
     * there) and advances the position.
     *
     * @throws IllegalArgumentException if {@code max} is negative
     */
    public byte[] read(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("AsyncFile.read(): max must be >= 0, got " + max);
        }
        return call("AsyncFile.read()", () -> {
            ByteBuffer buf = ByteBuffer.allocate(max);
            while (buf.hasRemaining() && channel.read(buf) >= 0) {
                // a file read returns fewer bytes than asked only at its end, but loop to be sure
            }
            return Arrays.copyOf(buf.array(), buf.position());
        });
    }

    /**
     * Reads from the position to the end of the file as UTF-8 text and moves the position to the end
     * (aiofiles' {@code await f.read()} on a file opened in text mode). Cancellation as the class says: a
     * cancelled read may have moved the position.
     *
     * @return the text; empty at the end of the file
     */
    public String readString() {
        return readString(StandardCharsets.UTF_8);
    }

    /**
     * {@link #readString()} in {@code charset}. Malformed input fails, as {@link AsyncFiles#readString(Path, Charset)}
     * does, with {@link java.io.UncheckedIOException} whose cause is the JDK's
     * {@link java.nio.charset.MalformedInputException}; the position is then at the end anyway.
     *
     * @param charset how the file's bytes encode its text
     * @return the text; empty at the end of the file
     */
    public String readString(Charset charset) {
        Objects.requireNonNull(charset, "charset");
        return call("AsyncFile.readString()", () -> {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (channel.read(buf) >= 0) {
                all.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return charset.newDecoder().decode(ByteBuffer.wrap(all.toByteArray())).toString();
        });
    }

    /**
     * Reads into {@code dst} from the position, up to its remaining bytes, and advances both positions
     * (one {@link FileChannel#read(ByteBuffer)}).
     *
     * @return the number of bytes read, or -1 at the end of the file
     */
    public int read(ByteBuffer dst) {
        int room = dst.remaining();
        byte[] got = call("AsyncFile.read()", () -> {
            ByteBuffer buf = ByteBuffer.allocate(room);
            int n = channel.read(buf);
            return n < 0 ? null : Arrays.copyOf(buf.array(), n);
        });
        if (got == null) {
            return -1;
        }
        dst.put(got); // here, on the task: a cancelled read never touches the caller's buffer
        return got.length;
    }

    /** Writes all of {@code bytes} at the position (at the end with {@code APPEND}) and advances it. */
    public void write(byte[] bytes) {
        byte[] copy = bytes.clone();
        call("AsyncFile.write()", () -> {
            ByteBuffer buf = ByteBuffer.wrap(copy);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            return null;
        });
    }

    /** Moves the position to {@code position} (beyond the end is allowed: a later write grows the file). */
    public void seek(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("AsyncFile.seek(): position must be >= 0, got " + position);
        }
        call("AsyncFile.seek()", () -> channel.position(position));
    }

    /** The position, in bytes from the start of the file. */
    public long position() {
        return call("AsyncFile.position()", channel::position);
    }

    /** The file's current size in bytes. */
    public long size() {
        return call("AsyncFile.size()", channel::size);
    }

    /**
     * Closes the file, after the operation a cancelled task left on the pool (if any) has ended. Idempotent.
     * If the calling task is cancelled while it waits, the file is closed anyway, on the pool.
     *
     * @throws IllegalStateException while another task waits for an operation on this file
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        try {
            call("AsyncFile.close()", this::closeChannel);
        } catch (CancelledError e) {
            // cancelled before the pool started the close (runInExecutor then skips it): close there anyway
            FilesPool.execute(() -> {
                try {
                    closeChannel();
                } catch (IOException ignored) {
                    // nobody waits for this close any more; a read-only file loses nothing
                }
            });
            throw e;
        }
    }

    private Void closeChannel() throws IOException {
        channelLock.lock();
        try {
            channel.close(); // idempotent: harmless if the skipped-or-not close ran after all
        } finally {
            channelLock.unlock();
        }
        return null;
    }

    @Override
    public String toString() {
        String state;
        synchronized (this) {
            state = closed ? "closed" : busy ? "busy" : "open";
        }
        return "AsyncFile[" + state + ", path=" + path + "]";
    }

    private <T> T call(String api, FilesPool.IoCall<T> op) {
        FilesPool.ensureInTask(api);
        boolean closing = api.equals("AsyncFile.close()");
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException(api + ": the file is closed (" + path + ")");
            }
            if (busy) {
                throw new IllegalStateException(api + ": another task is waiting for an operation on this file; an "
                        + "AsyncFile serves one operation at a time (" + path + ")");
            }
            busy = true;
            closed = closing; // from now on nothing new starts: the close below runs even if the task is cancelled
        }
        try {
            return FilesPool.run(api, () -> {
                channelLock.lock();
                try {
                    return op.call();
                } finally {
                    channelLock.unlock();
                }
            });
        } finally {
            synchronized (this) {
                busy = false;
            }
        }
    }
}
