package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.asyncio4j.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C and SIGTERM during {@code fetch}, on a real child JVM: the run is cancelled (asyncio's Ctrl-C), the
 * lines of the URLs already done are written, the summary so far is printed with an "interrupted" line, and
 * the exit status is the signal's. The run: {@code -c 2} over 4 URLs that answer at once, then URLs that
 * never answer (the test server stalls them); the signal goes when the 4 lines are out, while both workers
 * wait for one of those.
 */
class FetchInterruptTest {
    private static final int FAST = 4;

    @TempDir
    Path dir;

    @Test
    void ctrlCWritesTheLinesDoneAndTheSummarySoFarAndExitsWith130() throws Exception {
        try (TestServer server = FetchTestSupport.startServer()) {
            Process p = start(server, List.of());
            if (ignoresSigint(p)) {
                p.destroyForcibly();
                assumeTrue(false, "SIGINT is ignored here (this build runs as a background job), so the JVM"
                        + " installs no Ctrl-C handler; the SIGTERM test covers the same path");
            }
            List<String> lines = new ArrayList<>();
            BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(p));
            while (lines.size() < FAST) {
                String line = stdout.readLine();
                if (line == null) {
                    throw new AssertionError("fetch ended before its first lines: " + stderr.get(30, TimeUnit.SECONDS));
                }
                lines.add(line);
            }
            signal(p, "INT");
            for (String line; (line = stdout.readLine()) != null; ) {
                lines.add(line);
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "fetch did not end after Ctrl-C");
            String err = stderr.get(30, TimeUnit.SECONDS);
            assertEquals(130, p.exitValue(), err);
            assertEquals(FAST, lines.size(), String.join("\n", lines));
            for (String line : lines) {
                assertTrue(line.startsWith("{\"url\":\"" + server.url() + "/delay/0?n=") && line.contains("\"status\":200"),
                        line);
            }
            assertTrue(err.contains("fetched 4 URLs in "), err);
            assertTrue(err.contains("interrupted after 4 URLs; their lines were written"), err);
            assertFalse(err.contains("Exception"), err);
        }
    }

    @Test
    void sigtermWithAnOutputFileLeavesTheFileAsItWasAndSaysSo() throws Exception {
        Path results = dir.resolve("results.jsonl");
        Files.writeString(results, "the previous run\n");
        try (TestServer server = FetchTestSupport.startServer()) {
            Process p = start(server, List.of("-o", results.toString(), "--progress", "always"));
            // -o shows nothing on stdout: the progress bar on stderr says when the fast URLs are done
            StringBuilder seen = new StringBuilder();
            InputStream stderr = p.getErrorStream();
            for (int c; seen.indexOf("ok " + FAST + "  failed 0") < 0; seen.append((char) c)) {
                if ((c = stderr.read()) < 0) {
                    throw new AssertionError("fetch ended before its first " + FAST + " URLs were done: " + seen);
                }
            }
            signal(p, "TERM"); // not Process.destroy(): it also closes the streams we read
            String err = seen + new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "fetch did not end after SIGTERM");
            assertEquals(143, p.exitValue(), err);
            assertEquals("the previous run\n", Files.readString(results));
            assertTrue(err.contains("fetched 4 URLs in "), err);
            assertTrue(err.contains("interrupted after 4 URLs; " + results + " was left as it was"), err);
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(results), files.toList(), "the hidden file was not removed");
            }
        }
    }

    private static Process start(TestServer server, List<String> options) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(null);
        assumeTrue(java != null, "cannot tell the running java binary");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.asyncio4j.cli.Main", "fetch", "-c", "2"));
        cmd.addAll(options);
        for (int i = 0; i < FAST; i++) {
            cmd.add(server.url() + "/delay/0?n=" + i);
        }
        for (int i = 0; i < 4; i++) {
            cmd.add(server.url() + "/stall?n=" + i);
        }
        return new ProcessBuilder(cmd).start();
    }

    /** The shell's own kill: no kill binary needed. Also used by {@link BatchKillTest}. */
    static void signal(Process p, String signal) throws Exception {
        Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + p.pid()).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " failed");
    }

    /**
     * Whether {@code p} was started with SIGINT ignored, as every process of a background job of a
     * non-interactive shell is (and the JVM then leaves SIGINT alone). Linux's /proc tells; elsewhere: no.
     * Also used by {@link BatchKillTest}.
     */
    static boolean ignoresSigint(Process p) throws IOException {
        Path status = Path.of("/proc", String.valueOf(p.pid()), "status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).trim(), 16) & (1L << 1)) != 0; // bit 1 = signal 2
            }
        }
        return false;
    }

    private static String readAll(Process p) {
        try {
            return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }
}
