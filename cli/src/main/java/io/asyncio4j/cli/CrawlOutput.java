package io.asyncio4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An output file of {@code crawl} that a rerun continues: the JSON lines of {@code -o} (and, through
 * {@link #channel()}, the WARC file of {@code --warc}).
 *
 * <h2>Resuming</h2>
 * The crawl's state file records, with every batch of URLs it marks done, how long this file was once their
 * lines were written ({@link CrawlFrontier#commit}). {@link #open} cuts the file back to that length: what a
 * killed run wrote after its last commit (whole lines of URLs not marked done, a line cut short) goes, and
 * those URLs, put back in the queue, are fetched and written again. So a line is in the file if and only if
 * its URL is done, and none twice. Only the length is read: resuming costs nothing however long the file.
 *
 * <p>Without a recorded length (a new crawl), an existing file is emptied. A file shorter than the recorded
 * length was changed by someone else: {@link #open} refuses it.
 *
 * <p>Thread-safety: none; used by the tasks of one loop.
 */
final class CrawlOutput implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private final long cut;
    // lines not yet written; loop thread only
    private final StringBuilder pending = new StringBuilder();

    private CrawlOutput(Path path, FileChannel channel, long cut) {
        this.path = path;
        this.channel = channel;
        this.cut = cut;
    }

    /**
     * Opens {@code file} for appending after cutting it to {@code committed} bytes (-1: a new crawl, empty it).
     *
     * @throws IOException when it cannot be opened, or is shorter than {@code committed} (the message says so)
     */
    static CrawlOutput open(Path file, long committed) throws IOException {
        long size = Files.exists(file) ? Files.size(file) : 0;
        if (committed > size) {
            throw new IOException(file + " holds " + size + " bytes, fewer than the " + committed
                    + " the crawl's state file recorded: it was changed since; restore it, or delete the state"
                    + " file to crawl again from the start");
        }
        long keep = Math.max(0, committed);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (size > keep) {
                ch.truncate(keep);
            }
            ch.position(keep);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new CrawlOutput(file, ch, committed < 0 ? 0 : size - keep);
    }

    /** How many bytes {@link #open} cut off after the recorded length (0 for a new crawl). */
    long cutBytes() {
        return cut;
    }

    /** Adds a line (without its newline), written by the next {@link #write()}. */
    void append(CrawlPage page) {
        page.appendJson(pending);
        pending.append('\n');
    }

    /** Writes the waiting lines (to the kernel's cache) and returns the file's length after them. */
    long write() {
        try {
            if (!pending.isEmpty()) {
                ByteBuffer b = ByteBuffer.wrap(pending.toString().getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    channel.write(b);
                }
                pending.setLength(0);
            }
            return channel.position();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + path + ": " + e.getMessage(), e);
        }
    }

    /** The open file, positioned at its end, for a writer of its own (the WARC file). */
    FileChannel channel() {
        return channel;
    }

    /** Writes the waiting lines, syncs the file to the disk and closes it. */
    @Override
    public void close() throws IOException {
        try {
            write();
            channel.force(false);
        } finally {
            channel.close();
        }
    }
}
