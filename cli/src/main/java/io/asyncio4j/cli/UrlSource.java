package io.asyncio4j.cli;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The URLs of a {@code fetch}, read lazily: from the command line, or one per line from a file or stdin
 * (UTF-8; surrounding white space stripped; blank lines and lines starting with {@code #} skipped).
 * {@link #nextBatch()} blocks on the input, so {@code fetch} calls it on a thread of its own, never on the
 * loop; it returns what is there (up to {@value #BATCH} URLs) rather than waiting for a full batch, so a slow
 * producer such as {@code tail -f | asyncio4j fetch} is not held back.
 *
 * <p>Thread-safety: one reading thread at a time.
 */
final class UrlSource implements Closeable {

    /** The most URLs one {@link #nextBatch()} returns. */
    static final int BATCH = 512;

    private final Iterator<String> given;
    private final BufferedReader reader;

    private UrlSource(Iterator<String> given, BufferedReader reader) {
        this.given = given;
        this.reader = reader;
    }

    /** The URLs given as arguments. */
    static UrlSource of(List<String> urls) {
        return new UrlSource(List.copyOf(urls).iterator(), null);
    }

    /** The URLs in {@code in}, one per line; closing the source closes {@code in}. */
    static UrlSource of(InputStream in) {
        return new UrlSource(null, reader(in));
    }

    /** The next URLs, none when the input is exhausted; blocks until at least one line is there. */
    List<String> nextBatch() throws IOException {
        List<String> batch = new ArrayList<>();
        if (given != null) {
            while (given.hasNext() && batch.size() < BATCH) {
                batch.add(given.next());
            }
            return batch;
        }
        do {
            String line = reader.readLine();
            if (line == null) {
                break;
            }
            String url = url(line);
            if (url != null) {
                batch.add(url);
            }
        } while (batch.size() < BATCH && (batch.isEmpty() || reader.ready()));
        return batch;
    }

    /** How many URLs {@code file} holds (a first pass over it, to show a total in the progress bar). */
    static long count(Path file) throws IOException {
        long n = 0;
        try (BufferedReader r = reader(Files.newInputStream(file))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (url(line) != null) {
                    n++;
                }
            }
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        if (reader != null) {
            reader.close();
        }
    }

    /** The URL on {@code line}, or null for a blank line or a comment. */
    private static String url(String line) {
        String s = line.strip();
        if (!s.isEmpty() && s.charAt(0) == '\uFEFF') {
            s = s.substring(1).strip(); // a byte order mark at the start of the file
        }
        return s.isEmpty() || s.startsWith("#") ? null : s;
    }

    private static BufferedReader reader(InputStream in) {
        Reader r = new InputStreamReader(in, StandardCharsets.UTF_8);
        return new BufferedReader(r, 64 * 1024);
    }
}
