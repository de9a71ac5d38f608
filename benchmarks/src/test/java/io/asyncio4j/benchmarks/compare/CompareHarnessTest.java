package io.asyncio4j.benchmarks.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The comparison harness ({@code benchmarks/compare/run}) at smoke size, as issue 7 asks of CI: every
 * workload on every system whose tools are installed prints a valid result line. No timing is checked.
 * Systems whose tools are missing (nginx, wrk, aiohttp, the Kotlin and Vert.x modules) are skipped by the
 * harness with a note, not failed. The Java systems run from this module's test class path (the
 * benchmarks jar is packaged after the tests), so {@code ./mvnw verify} needs nothing built beforehand.
 */
class CompareHarnessTest {
    private static final Path RUN = Path.of("compare", "run"); // the module directory is the working directory

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // the harness's own limit below, not the build's 120 s default
    void everyAvailableSystemPrintsAResultLineForEveryWorkloadAtSmokeSize() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "the harness runs on /usr/bin/python3");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(RUN.toAbsolutePath().toString(), "--smoke", "--no-install", "--no-build",
                "--classpath", classPath).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home")); // this JDK, found by .mvn/find-jdk.sh
        Process p = pb.start();
        String output;
        try (var in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the harness did not end");
        assertEquals(0, p.exitValue(), output);

        List<String> missing = new ArrayList<>();
        for (String w : List.of("W1", "W2", "W3", "W4", "W5", "W7")) {
            expect(output, w, "asyncio4j", missing);
        }
        expect(output, "W7", "nio-floor", missing);
        for (String w : List.of("W1", "W2", "W3", "W4", "W5")) {
            expect(output, w, "vthreads", missing);
            expect(output, w, "asyncio", missing);
        }
        if (!output.contains("# skipped W6")) {
            expect(output, "W6", "asyncio4j", missing);
            expect(output, "W6", "nio-floor", missing);
        }
        if (!output.contains("# skipped W8")) {
            expect(output, "W8", "asyncio4j", missing);
        }
        assertEquals(List.of(), missing, output);
        assertTrue(output.contains("smoke: every available system printed a valid result line"), output);
    }

    private static void expect(String output, String workload, String system, List<String> missing) {
        if (!output.contains("round 1/1 " + workload + " " + system + ": ")) {
            missing.add(workload + " " + system);
        }
    }
}
