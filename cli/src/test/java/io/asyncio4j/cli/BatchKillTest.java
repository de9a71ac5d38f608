package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
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
 * later; the seed is fixed, so the draws are the same on every run), then started again, 20 times; the last
 * run goes to the end. The output must then hold every custom_id exactly once, every line valid JSON in the
 * output schema. More: {@code -Dbatch.kills=200 -Dbatch.requests=20000}.
 * And SIGTERM and Ctrl-C (SIGINT): what finished is written, the summary printed, exit status 143 or 130; a
 * rerun after the Ctrl-C completes the output.
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
        Path in = BatchCommandTest.requests(dir, REQUESTS);
        Path out = dir.resolve("out.jsonl");
        List<Long> linesAfterKill;
        try (ServeThread server = new ServeThread(Duration.ofMillis(5))) {
            ChildCommand batch = batch(in, out, server.url);
            linesAfterKill = batch.killAtRandomMoments(out, REQUESTS, KILLS, new Random(SEED), Duration.ofSeconds(10));
            Process last = batch.start();
            assertTrue(last.waitFor(120, TimeUnit.SECONDS), "the last run did not end");
            assertEquals(0, last.exitValue(), batch.err());
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
        interruptAfter20Lines("TERM", 143);
    }

    @Test
    void ctrlCWritesWhatFinishedPrintsTheSummaryExitsWith130AndTheRerunCompletesIt() throws Exception {
        Path out = interruptAfter20Lines("INT", 130);
        try (ServeThread server = new ServeThread(Duration.ZERO)) {
            ChildCommand batch = batch(dir.resolve("requests.jsonl"), out, server.url);
            Process again = batch.start();
            assertTrue(again.waitFor(120, TimeUnit.SECONDS), "the rerun did not end");
            assertEquals(0, again.exitValue(), batch.err());
        }
        List<Map<String, Object>> lines = BatchCommandTest.read(out);
        assertEquals(400, new HashSet<>(BatchCommandTest.ids(lines)).size());
        assertEquals(400, lines.size(), "a custom_id appears twice");
    }

    /**
     * Runs batch over 400 requests answering after 50 ms, sends {@code signal} once the output holds 20 lines,
     * and checks the interrupted run: exit {@code status}, the summary so far, only complete lines written.
     * Skipped with the reason when the child ignores SIGINT (a background job of a non-interactive shell).
     */
    private Path interruptAfter20Lines(String signal, int status) throws Exception {
        Path in = BatchCommandTest.requests(dir, 400);
        Path out = dir.resolve("out.jsonl");
        try (ServeThread server = new ServeThread(Duration.ofMillis(50))) {
            ChildCommand batch = batch(in, out, server.url);
            Process p = batch.start();
            if (signal.equals("INT") && FetchInterruptTest.ignoresSigint(p)) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
                assumeTrue(false, "SIGINT is ignored here (this build runs as a background job), so the JVM"
                        + " installs no Ctrl-C handler; the SIGTERM test covers the same path");
            }
            ChildCommand.awaitLines(p, out, 20, Duration.ofSeconds(60));
            FetchInterruptTest.signal(p, signal); // not Process.destroy(): the same path for both signals
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "batch did not end after SIG" + signal);
            String err = batch.err();
            assertEquals(status, p.exitValue(), err);
            assertTrue(err.contains("interrupted; the results so far are in " + out), err);
            List<Map<String, Object>> lines = BatchCommandTest.read(out); // complete, valid lines only
            assertTrue(lines.size() >= 20 && lines.size() < 400, "lines: " + lines.size());
            assertTrue(err.contains("batch: " + lines.size() + " requests in "), err);
            assertFalse(err.contains("Exception"), err);
        }
        return out;
    }

    private ChildCommand batch(Path in, Path out, String url) {
        return new ChildCommand(dir, Map.of("OPENAI_API_KEY", BatchCommandTest.KEY), List.of("batch",
                "-i", in.toString(), "-o", out.toString(), "--base-url", url, "-c", "20", "--progress", "never"));
    }
}
