package io.asyncio4j.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** An in-memory stand-in for {@code System.out}: hand {@link #out} to an example, read its {@link #lines()}. */
final class Console {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** Everything printed so far, line by line. */
    List<String> lines() {
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** The lines with the local server's address ({@code http://127.0.0.1:PORT}) replaced by {@code BASE}. */
    List<String> linesWithBase() {
        return lines().stream().map(line -> line.replaceAll("http://127\\.0\\.0\\.1:\\d+", "BASE")).toList();
    }
}
