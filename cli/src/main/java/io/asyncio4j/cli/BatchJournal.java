package io.asyncio4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * A result file of {@code batch} ({@code -o}, or {@code --errors}) that a rerun continues.
 *
 * <h2>Resuming</h2>
 * {@link #open} reads what the file already holds: the {@code custom_id} of every complete line is done and
 * is not sent again. A crash (kill -9, power loss) can leave a last line cut short, or garbage after the last
 * complete line: everything from the first line that is not a whole JSON object with a {@code custom_id} is
 * cut off (the file is truncated there), and those requests run again. New lines are appended.
 *
 * <h2>Durability</h2>
 * Lines collect in memory and are written to the file ({@link #write()}) every {@value #SYNC_LINES} lines and
 * every 200 ms; every 200 ms, after the write, {@code batch} also {@code fsync}s it ({@link #force()}, on a
 * thread of the loop's executor, so the loop never waits for the disk); {@link #sync()} does both, at the end.
 * A written line survives a kill of the process (it is in the kernel's cache); an fsynced one survives a power
 * loss too. So a kill loses at most the last 200 ms of results (or 256 lines), a power loss that plus one fsync,
 * and those requests are sent again by the rerun; a result that reached the file is never sent again. What cannot be promised: a request in flight
 * (or whose result was not yet synced) when the process died may reach the server twice; the file never holds
 * it twice.
 *
 * <h2>A changed input</h2>
 * {@link #checkInput} keeps, next to the output ({@code .NAME.inputs}), the fingerprint of every request of
 * the input, and refuses a rerun whose input removed a {@code custom_id} or changed what one asks, or whose
 * output holds a {@code custom_id} the input does not have: mixing two inputs' results silently is worse than
 * stopping. New {@code custom_id}s may be added.
 *
 * <p>Thread-safety: none; used by the tasks of one loop (and by the command before and after the run).
 */
final class BatchJournal implements AutoCloseable {

    /** Lines after which the buffered ones are written and synced. */
    static final int SYNC_LINES = 256;

    private static final JsonMapper JSON = BatchInput.JSON;

    private final Path path;
    private final FileChannel channel;
    private final Set<String> done;
    private final long cut;
    // lines not yet written and how many; loop thread only
    private final StringBuilder pending = new StringBuilder();
    private int pendingLines;

    private BatchJournal(Path path, FileChannel channel, Set<String> done, long cut) {
        this.path = path;
        this.channel = channel;
        this.done = done;
        this.cut = cut;
    }

    /**
     * Opens {@code file} for appending (creating it), after reading the custom_ids of its complete lines and
     * cutting off an incomplete end.
     *
     * @throws IOException when it cannot be read, cut or opened
     */
    static BatchJournal open(Path file) throws IOException {
        Set<String> done = new HashSet<>();
        long keep = 0;
        long size = 0;
        if (Files.exists(file)) {
            byte[] bytes = Files.readAllBytes(file);
            size = bytes.length;
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] != '\n') {
                    continue;
                }
                String id = customId(bytes, start, i - start);
                if (id == null) {
                    break; // garbage: cut from here
                }
                done.add(id);
                start = i + 1;
                keep = start;
            }
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (keep < size) {
                ch.truncate(keep);
                ch.force(true);
            }
            ch.position(keep);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new BatchJournal(file, ch, done, size - keep);
    }

    /**
     * The custom_id of a complete output line (the {@code length} bytes at {@code offset}), or null when it is
     * not one: not a single JSON object, or without a string {@code custom_id}. The line is checked with the
     * streaming parser, without building its tree (a resumed 50,000-line output is read at start-up).
     */
    private static String customId(byte[] bytes, int offset, int length) {
        try (JsonParser p = JSON.createParser(bytes, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String id = null;
            for (JsonToken t = p.nextToken(); t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
                boolean isId = "custom_id".equals(p.currentName());
                JsonToken value = p.nextToken();
                if (isId) {
                    id = value == JsonToken.VALUE_STRING ? p.getString() : null;
                } else {
                    p.skipChildren();
                }
            }
            return p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null ? id : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The custom_ids the file held when opened. */
    Set<String> done() {
        return done;
    }

    /** How many bytes of an incomplete end {@link #open} cut off (0 for none). */
    long cutBytes() {
        return cut;
    }

    /** Adds a line (without its newline); writes the waiting lines when {@value #SYNC_LINES} are waiting. */
    void append(String line) {
        pending.append(line).append('\n');
        if (++pendingLines >= SYNC_LINES) {
            write();
        }
    }

    /** Writes the waiting lines to the file (the kernel's cache); call it on the loop thread. */
    void write() {
        if (pendingLines == 0) {
            return;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(pending.toString().getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + path + ": " + e.getMessage(), e);
        }
        pending.setLength(0);
        pendingLines = 0;
    }

    /** Syncs what was written to the disk; any thread (FileChannel.force is thread-safe). */
    void force() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync the results to " + path + ": " + e.getMessage(), e);
        }
    }

    /** {@link #write()}, then {@link #force()}. */
    void sync() {
        write();
        force();
    }

    /** Syncs and closes the file. */
    @Override
    public void close() throws IOException {
        try {
            sync();
        } finally {
            channel.close();
        }
    }

    /**
     * Checks that {@code items} is the input (or a superset of it) of the runs that wrote {@code output}, whose
     * done custom_ids are {@code done}, and records its fingerprints for the next run.
     *
     * @return null when the input may be used, else why not (one line)
     * @throws IOException when the fingerprint file cannot be read or written
     */
    static String checkInput(Path output, List<BatchInput.Item> items, Set<String> done) throws IOException {
        Path side = sideFile(output);
        Map<String, String> before = new HashMap<>();
        if (Files.exists(side)) {
            for (String line : Files.readAllLines(side, StandardCharsets.UTF_8)) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    before.put(line.substring(space + 1), line.substring(0, space));
                }
            }
        }
        Map<String, BatchInput.Item> now = new HashMap<>();
        for (BatchInput.Item item : items) {
            now.put(item.customId(), item);
            String old = before.get(item.customId());
            if (old != null && !old.equals(item.hash())) {
                return changed(output, "line " + item.line() + " (custom_id '" + item.customId()
                        + "') asks for something else than in the earlier run");
            }
        }
        for (String id : before.keySet()) {
            if (!now.containsKey(id)) {
                return changed(output, "custom_id '" + id + "' of the earlier run is no longer in it");
            }
        }
        for (String id : done) {
            if (!now.containsKey(id)) {
                return changed(output, output + " holds a result for custom_id '" + id + "', which it does not have");
            }
        }
        if (before.size() != now.size()) {
            StringBuilder b = new StringBuilder();
            for (BatchInput.Item item : items) {
                b.append(item.hash()).append(' ').append(item.customId()).append('\n');
            }
            Path temp = side.resolveSibling(side.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(temp, side, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, side, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return null;
    }

    /** The fingerprint file of {@code output}: {@code .NAME.inputs} next to it. */
    static Path sideFile(Path output) {
        Path abs = output.toAbsolutePath();
        return abs.resolveSibling("." + abs.getFileName() + ".inputs");
    }

    private static String changed(Path output, String what) {
        return "the input changed since the run that wrote " + output + ": " + what
                + "; restore the input, or write to a new -o file";
    }
}
