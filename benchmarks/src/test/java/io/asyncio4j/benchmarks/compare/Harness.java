package io.asyncio4j.benchmarks.compare;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the comparison scripts of {@code benchmarks/compare} as the harness tests do: with
 * {@code --no-install --no-build --classpath <this module's test class path>}, this JDK as {@code JAVA_HOME},
 * stdout and stderr together.
 */
final class Harness {

    /** What a script printed, and its exit status. */
    record Output(int exitValue, String text) {
    }

    private Harness() {
    }

    /**
     * Runs {@code benchmarks/compare/<script> args... --no-install --no-build --classpath CP} and waits for it
     * at most {@code minutes}; fails the test when it does not end by then.
     */
    static Output run(String script, int minutes, String... args) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(Path.of("compare", script).toAbsolutePath().toString()); // the module directory is the working directory
        command.addAll(List.of(args));
        command.addAll(List.of("--no-install", "--no-build", "--classpath", classPath));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home")); // this JDK, found by .mvn/find-jdk.sh
        Process p = pb.start();
        String text;
        try (var in = p.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(minutes, TimeUnit.MINUTES), "the harness did not end");
        return new Output(p.exitValue(), text);
    }
}
