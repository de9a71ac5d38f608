package io.asyncio4j.examples;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What an example printed to {@code System.out}, as the learner sees it in a terminal. A test class
 * annotated {@code @ExtendWith(Console.class)} takes a {@code Console} parameter: from then until the test
 * ends, {@code System.out} goes to it, and {@link #lines()} reads it back.
 * <pre>{@code
 * @Test
 * void workersTakeTurns(Console console) {
 *     Asyncio.run(() -> new LockExample().main());
 *     assertEquals(List.of("A acquired", ...), console.lines());
 * }
 * }</pre>
 * Tests run one at a time (see the root pom), so swapping {@code System.out} is safe.
 */
final class Console implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Console.class);

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** Everything printed so far, line by line. */
    List<String> lines() {
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** The lines with every number of ticks but 0 ({@link Ticker}) replaced by {@code N}. */
    List<String> linesWithTicks() {
        return lines().stream().map(line -> line.replaceAll("ticked [1-9]\\d* times", "ticked N times")).toList();
    }

    /** The lines with every time in seconds ({@code in 1.0 s}) replaced by {@code in N s}: real-time runs vary. */
    List<String> linesWithSeconds() {
        return lines().stream().map(line -> line.replaceAll("in \\d+\\.\\d s", "in N s")).toList();
    }

    /** The lines with the local server's address ({@code http://127.0.0.1:PORT}) replaced by {@code BASE}. */
    List<String> linesWithBase() {
        return lines().stream().map(line -> line.replaceAll("http://127\\.0\\.0\\.1:\\d+", "BASE")).toList();
    }

    // ---- the JUnit extension: one Console per test, System.out restored after it ---------------------------

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Console.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Console console = new Console();
        context.getStore(NAMESPACE).put("original", System.out);
        System.setOut(console.out);
        return console;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        PrintStream original = context.getStore(NAMESPACE).remove("original", PrintStream.class);
        if (original != null) {
            System.setOut(original);
        }
    }
}
