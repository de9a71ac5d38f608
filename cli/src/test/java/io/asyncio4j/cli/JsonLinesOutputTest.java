package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.asyncio4j.cli.FetchResult.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batching of the JSON lines, the -o file's hidden-file-then-rename, and the JSON of one result. */
class JsonLinesOutputTest {

    @TempDir
    Path dir;

    private static FetchResult ok(int i) {
        return new FetchResult("http://h/" + i, "http://h/" + i, 200, 10, 1_234_567, 1, null, null);
    }

    private List<Path> files() throws IOException {
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void resultIsOneJsonObjectWithEscapedStrings() {
        StringBuilder b = new StringBuilder();
        new FetchResult("http://h/a\"b\\c\u0001é", null, null, 0, 999, 2, ErrorKind.CONNECTION, "reset\nby peer")
                .appendJson(b);
        assertEquals("{\"url\":\"http://h/a\\\"b\\\\c\\u0001é\",\"final_url\":null,\"status\":null,\"bytes\":0,"
                + "\"elapsed_ms\":0.000,\"attempts\":2,\"error\":\"connection: reset\\nby peer\"}", b.toString());
        FetchTestSupport.parseLine(b.toString());
        StringBuilder c = new StringBuilder();
        ok(1).appendJson(c);
        assertTrue(c.toString().contains("\"elapsed_ms\":1.234,"), c.toString());
    }

    @Test
    void linesAreBufferedUntilFlush() {
        List<String> writes = new ArrayList<>();
        Writer w = new Writer() {
            @Override
            public void write(char[] buf, int off, int len) {
                writes.add(new String(buf, off, len));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        int[] hooks = {0};
        JsonLinesOutput out = JsonLinesOutput.toStdout(new PrintWriter(w), () -> hooks[0]++);
        out.write(ok(1));
        out.write(ok(2));
        assertEquals(List.of(), writes);
        out.flush();
        assertEquals(1, writes.size());
        assertEquals(2, writes.getFirst().lines().count());
        assertEquals(1, hooks[0], "the hook runs before each write");
        out.flush();
        assertEquals(1, writes.size(), "nothing to write, no write");
        for (int i = 0; i < 1000; i++) {
            out.write(ok(i)); // about 110 bytes each: the 64 KiB buffer fills once
        }
        assertEquals(2, writes.size());
    }

    @Test
    void aClosedStdoutStopsTheRun() {
        PrintWriter broken = new PrintWriter(new Writer() {
            @Override
            public void write(char[] buf, int off, int len) throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        JsonLinesOutput out = JsonLinesOutput.toStdout(broken, () -> { });
        out.write(ok(1));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, out::flush);
        assertEquals("cannot write the results to stdout (closed?)", e.getMessage());
    }

    @Test
    void aFileAppearsOnlyWhenCommittedAndReplacesTheOldOne() throws IOException {
        Path target = Files.writeString(dir.resolve("results.jsonl"), "old\n");
        try (JsonLinesOutput out = JsonLinesOutput.toFile(target)) {
            out.write(ok(1));
            out.flush();
            assertEquals("old\n", Files.readString(target), "the old results stay until the new ones are complete");
            assertEquals(2, files().size(), "the new lines go to a hidden file next to it");
            assertTrue(files().getFirst().getFileName().toString().startsWith(".results.jsonl."), files().toString());
            out.write(ok(2));
            out.commit();
        }
        assertEquals(List.of(target), files());
        assertEquals(2, Files.readAllLines(target).size());
    }

    @Test
    void aFileNotCommittedIsDeletedAndTheOldOneKept() throws IOException {
        Path target = Files.writeString(dir.resolve("results.jsonl"), "old\n");
        try (JsonLinesOutput out = JsonLinesOutput.toFile(target)) {
            out.write(ok(1));
            out.flush();
        }
        assertEquals(List.of(target), files());
        assertEquals("old\n", Files.readString(target));
    }

    @Test
    void stdoutIsNotClosed() {
        StringWriter s = new StringWriter();
        PrintWriter pw = new PrintWriter(s);
        try (JsonLinesOutput out = JsonLinesOutput.toStdout(pw, () -> { })) {
            out.write(ok(1));
            out.flush();
        }
        pw.print("still open");
        pw.flush();
        assertTrue(s.toString().endsWith("}\nstill open"), s.toString());
    }
}
