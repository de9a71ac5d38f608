package io.asyncio4j.examples;

import io.asyncio4j.ThrowingRunnable;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What an example printed. {@link #capture} runs an example with {@code System.out} going here (the examples
 * print to {@code System.out}, as the tutorials print); examples not yet moved to {@code System.out} are
 * handed {@link #out} instead. Tests run one at a time (see the root pom), so swapping {@code System.out}
 * is safe.
 */
final class Console {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** Runs {@code body} with {@code System.out} captured and returns what it printed. */
    static Console capture(ThrowingRunnable body) throws Exception {
        Console console = new Console();
        PrintStream original = System.out;
        System.setOut(console.out);
        try {
            body.run();
        } finally {
            System.setOut(original);
        }
        return console;
    }

    /** Everything printed so far, line by line. */
    List<String> lines() {
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** The lines with every number of ticks but 0 ({@link Ticker}) replaced by {@code N}. */
    List<String> linesWithTicks() {
        return lines().stream().map(line -> line.replaceAll("ticked [1-9]\\d* times", "ticked N times")).toList();
    }

    /** The lines with the local server's address ({@code http://127.0.0.1:PORT}) replaced by {@code BASE}. */
    List<String> linesWithBase() {
        return lines().stream().map(line -> line.replaceAll("http://127\\.0\\.0\\.1:\\d+", "BASE")).toList();
    }
}
