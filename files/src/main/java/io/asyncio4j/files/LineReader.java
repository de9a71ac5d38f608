package io.asyncio4j.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.Charset;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a channel's bytes into lines one chunk at a time, for {@link AsyncFiles#lines}. Not thread-safe:
 * its owner calls {@link #nextLines()} on pool threads one call after another (each call happens-before
 * the next through the future that carries its result).
 */
final class LineReader {
    /*
     * Implementation overview.
     *
     * Per call: read one chunk of bytes, decode it (malformed input fails, as Files.readString), and split the
     * chars into lines. A line may span chunks (`line` keeps its start), a multi-byte character may too (the
     * decoder leaves its bytes in `bytes`, compacted), and so may "\r\n" (`afterCr` remembers a '\r' that
     * ended the previous chunk, so that a '\n' starting this one is not an empty line).
     */
    private final FileChannel channel;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(AsyncFiles.CHUNK);
    private final CharBuffer chars = CharBuffer.allocate(AsyncFiles.CHUNK);
    private final StringBuilder line = new StringBuilder();
    private boolean afterCr;
    private boolean eof;

    LineReader(FileChannel channel, Charset charset) {
        this.channel = channel;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** The lines completed by the next chunk (possibly none), or null once everything has been returned. */
    List<String> nextLines() throws IOException {
        if (eof) {
            return null;
        }
        List<String> out = new ArrayList<>();
        int n = channel.read(bytes);
        bytes.flip();
        boolean end = n < 0;
        CoderResult r = decoder.decode(bytes, chars, end);
        if (r.isError()) {
            r.throwException();
        }
        if (end) {
            r = decoder.flush(chars);
            if (r.isError()) {
                r.throwException();
            }
        }
        bytes.compact();
        chars.flip();
        split(out);
        chars.clear();
        if (end) {
            eof = true;
            if (!line.isEmpty()) {
                out.add(line.toString());
                line.setLength(0);
            }
            if (out.isEmpty()) {
                return null;
            }
        }
        return out;
    }

    private void split(List<String> out) {
        while (chars.hasRemaining()) {
            char c = chars.get();
            if (c == '\n' && afterCr) {
                afterCr = false; // the second half of "\r\n": that line was already returned
                continue;
            }
            afterCr = c == '\r';
            if (c == '\n' || c == '\r') {
                out.add(line.toString());
                line.setLength(0);
            } else {
                line.append(c);
            }
        }
    }
}
