package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during {@code batch}, on real child JVMs against {@code serve} in this JVM: a run over 2,000
 * requests is killed at a random moment (once the output holds a random number of new lines, a random few ms
 * later; the seed is fixed, so the draws are the same on every run), then started again, 20 times; the last run goes to the end. The output must then hold every custom_id exactly
 * once, every line valid JSON in the output schema. More: {@code -Dbatch.kills=200 -Dbatch.requests=20000}.
 * And SIGTERM: what finished is written, the summary printed, exit status 143.
 */
class BatchKillTest {

    private static final int KILLS = Integer.getInteger("batch.kills", 20);
    private static final int REQUESTS = Integer.getInteger("batch.requests", 2_000);
    private static final long SEED = Long.getLong("batch.seed", 20261206L);

    @TempDir
    Path dir;

    @Test
    @Timeout(300) // 21 child JVMs: about 25 s on an idle 2-core machine, minutes when it is loaded 10 times over
    void killedAtRandomMomentsAndRestartedTheOutputEndsWithEveryCustomIdExactlyOnce() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(null);
        assumeTrue(java != null, "cannot tell the running java binary");
        Path in = BatchCommandTest.requests(dir, REQUESTS);
        Path out = dir.resolve("out.jsonl");
        Random random = new Random(SEED);
        List<Long> linesAfterKill = new ArrayList<>();
        try (FetchTestSupport.ServerThread server = new FetchTestSupport.ServerThread(Duration.ofMillis(5))) {
            List<String> cmd = command(java, in, out, server.url);
            for (int k = 0; k < KILLS; k++) {
                Process p = start(cmd);
                // kill once the output holds a random number of new lines (up to a fair share of what is
                // left), a random few ms later: mid-run, often mid-write; a kill now and then lands at start-up
                long before = lines(out);
                long target = before + 1 + random.nextInt((int) Math.max(1, (REQUESTS - before) / (KILLS - k + 1)));
                int extraMillis = random.nextInt(40);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (p.isAlive() && lines(out) < target && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                Thread.sleep(extraMillis);
                p.destroyForcibly(); // SIGKILL: no hook, no flush
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the killed JVM did not end");
                linesAfterKill.add(lines(out));
            }
            Process last = start(cmd);
            assertTrue(last.waitFor(120, TimeUnit.SECONDS), "the last run did not end");
            assertEquals(0, last.exitValue(), Files.readString(dir.resolve("err.txt")));
        }
        List<Map<String, Object>> lines = BatchCommandTest.read(out); // every line parses, in the schema
        Set<String> ids = new HashSet<>(BatchCommandTest.ids(lines));
        assertEquals(lines.size(), ids.size(), "a custom_id appears twice");
        for (int i = 0; i < REQUESTS; i++) {
            assertTrue(ids.contains("r" + i), "r" + i + " is missing");
        }
        assertEquals(REQUESTS, lines.size());
        System.out.println("batch kill test: " + KILLS + " kills, lines after each: " + linesAfterKill);
    }

    @Test
    void sigtermWritesWhatFinishedPrintsTheSummaryAndExitsWith143() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(null);
        assumeTrue(java != null, "cannot tell the running java binary");
        Path in = BatchCommandTest.requests(dir, 400);
        Path out = dir.resolve("out.jsonl");
        try (FetchTestSupport.ServerThread server = new FetchTestSupport.ServerThread(Duration.ofMillis(50))) {
            Process p = start(command(java, in, out, server.url));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (p.isAlive() && lines(out) < 20 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "batch did not end after SIGTERM");
            String err = Files.readString(dir.resolve("err.txt"));
            assertEquals(143, p.exitValue(), err);
            assertTrue(err.contains("interrupted; the results so far are in " + out), err);
            assertTrue(err.contains("batch: "), err);
            List<Map<String, Object>> lines = BatchCommandTest.read(out); // complete, valid lines only
            assertTrue(lines.size() >= 20 && lines.size() < 400, "lines: " + lines.size());
            assertTrue(err.contains("batch: " + lines.size() + " requests in "), err);
        }
    }

    /** The child's command line: C1 only and the serial GC, so that it starts twice as fast on a busy machine. */
    private static List<String> command(String java, Path in, Path out, String url) {
        return List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "--add-opens",
                "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "io.asyncio4j.cli.Main", "batch", "-i", in.toString(),
                "-o", out.toString(), "--base-url", url, "-c", "20", "--progress", "never");
    }

    /** The newlines in {@code file} so far (0 before it exists). */
    private static long lines(Path file) throws java.io.IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        long n = 0;
        for (byte b : Files.readAllBytes(file)) {
            n += b == '\n' ? 1 : 0;
        }
        return n;
    }

    private Process start(List<String> cmd) throws Exception {
        File err = dir.resolve("err.txt").toFile();
        ProcessBuilder b = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err);
        b.environment().put("OPENAI_API_KEY", BatchCommandTest.KEY);
        return b.start();
    }
}
