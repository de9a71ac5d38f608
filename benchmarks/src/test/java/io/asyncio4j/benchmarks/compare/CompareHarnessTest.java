package io.asyncio4j.benchmarks.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // the harness's own limit below, not the build's 120 s default
    void everyAvailableSystemPrintsAResultLineForEveryWorkloadAtSmokeSize() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "the harness runs on /usr/bin/python3");
        Harness.Output run = Harness.run("run", 5, "--smoke");
        String output = run.text();
        assertEquals(0, run.exitValue(), output);

        List<String> missing = new ArrayList<>();
        for (String w : List.of("W1", "W2", "W3", "W4", "W5", "W7")) {
            expect(output, w, "asyncio4j", missing);
        }
        expect(output, "W7", "nio-floor", missing);
        expect(output, "W2", "jdk-floor", missing);
        for (String w : List.of("W1", "W2", "W3", "W4", "W5")) {
            expect(output, w, "vthreads", missing);
            expect(output, w, "asyncio", missing);
        }
        if (!output.contains("# skipped W6")) {
            expect(output, "W6", "asyncio4j", missing);
            expect(output, "W6", "nio-floor", missing);
            expect(output, "W6", "jdk-floor", missing);
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
