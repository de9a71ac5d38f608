package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.asyncio4j.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress line's format, and the real thing: {@code fetch} run in a child JVM under a pseudo-terminal
 * ({@code script} of util-linux), where stderr is a terminal and {@code --progress auto} draws the bar.
 */
class ProgressBarTest {

    @TempDir
    Path dir;

    @Test
    void lineWithAKnownTotalHasBarCountsPercentRateAndEta() {
        assertEquals("[#########-----------]   450/1000  45%  450/s  ETA 2s  ok 448  failed 2",
                ProgressBar.line(450, 1000, 448, 2, 1_000_000_000L));
        assertEquals("[####################]  10/10  100%  5.0/s  ETA 0s  ok 10  failed 0",
                ProgressBar.line(10, 10, 10, 0, 2_000_000_000L));
        assertEquals("[--------------------]   0/10  0%  0.0/s  ETA ?  ok 0  failed 0",
                ProgressBar.line(0, 10, 0, 0, 0));
        assertEquals("[#-------------------]   100/2000  5%  1.0/s  ETA 31m40s  ok 100  failed 0",
                ProgressBar.line(100, 2000, 100, 0, 100_000_000_000L));
    }

    @Test
    void lineWithoutATotalHasCountsAndRateOnly() {
        assertEquals("1234 done  12.3/s  ok 1230  failed 4", ProgressBar.line(1234, -1, 1230, 4, 100_000_000_000L));
    }

    @Test
    void aNarrowTerminalDropsTheBarThenTheRateTheEtaAndTheOkCountAndTheLineNeverWraps() {
        long second = 1_000_000_000L;
        assertEquals("450/1000  45%  450/s  ETA 2s  ok 448  failed 2", ProgressBar.line(450, 1000, 448, 2, second, 50));
        assertEquals("450/1000  45%  ok 448  failed 2", ProgressBar.line(450, 1000, 448, 2, second, 35));
        assertEquals("450/1000  45%  failed 2", ProgressBar.line(450, 1000, 448, 2, second, 30));
        assertEquals("1234 done  failed 4", ProgressBar.line(1234, -1, 1230, 4, second, 25));
        for (int columns = 1; columns <= 120; columns++) {
            String line = ProgressBar.line(123_456, 1_000_000, 123_000, 456, 7 * second, columns);
            assertTrue(line.length() < Math.max(2, columns), columns + " columns: '" + line + "'");
        }
    }

    @Test
    void drawFollowsTheTerminalWidthSoNoRedrawLeavesARowBehind() {
        StringWriter err = new StringWriter();
        int[] columns = {80};
        ProgressBar bar = new ProgressBar(new PrintWriter(err), () -> columns[0]);
        FetchSummary summary = new FetchSummary();
        bar.draw(summary, 1000, 1_000_000_000L);
        columns[0] = 50; // the window was made narrower
        for (int i = 0; i < 40; i++) {
            bar.draw(summary, 1000, (i + 2) * 1_000_000_000L);
        }
        String[] draws = err.toString().split("\r");
        for (int i = 2; i < draws.length; i++) { // every redraw at 50 columns: shorter than the row
            assertTrue(draws[i].length() < 50, "draw " + i + " is " + draws[i].length() + " wide: '" + draws[i] + "'");
        }
    }

    @Test
    void theColumnsVariableIsTheFallbackWidth() {
        assertEquals(132, Terminal.columnsFrom("132"));
        assertEquals(80, Terminal.columnsFrom(null));
        assertEquals(80, Terminal.columnsFrom("wide"));
        assertEquals(80, Terminal.columnsFrom("0"));
    }

    @Test
    void drawRedrawsInPlaceAndClearBlanksTheLine() {
        StringWriter err = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(err));
        FetchSummary summary = new FetchSummary();
        bar.draw(summary, -1, 1_000_000_000L);
        bar.clear();
        bar.clear(); // nothing shown any more: nothing written
        String line = "0 done  0.0/s  ok 0  failed 0";
        assertEquals("\r" + line + "\r" + " ".repeat(line.length()) + "\r", err.toString());
    }

    @Test
    void fetchDrawsTheBarOnATerminalAndClearsItAtTheEnd() throws Exception {
        assumeTrue(new File("/usr/bin/script").canExecute() || onPath("script"), "util-linux script is not installed");
        String java = ProcessHandle.current().info().command().orElse(null);
        assumeTrue(java != null, "cannot tell the running java binary");
        try (TestServer server = FetchTestSupport.startServer()) {
            Path out = dir.resolve("results.jsonl");
            List<String> cmd = new ArrayList<>(List.of(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "io.asyncio4j.cli.Main", "fetch", "--progress", "auto", "-c", "2", "-o", out.toString()));
            for (int i = 0; i < 6; i++) {
                cmd.add(server.url() + "/delay/150?n=" + i); // 3 rounds of 150 ms: a few redraws at 100 ms
            }
            String line = String.join(" ", cmd.stream().map(ProgressBarTest::shellQuote).toList());
            Process p = new ProcessBuilder("script", "-qfec", line, "/dev/null")
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .start();
            byte[] bytes = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "fetch under script did not end");
            String tty = new String(bytes, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), tty);
            assertEquals(6, Files.readAllLines(out).size(), tty);
            // a redraw: carriage return, a bar, and the rate
            assertTrue(Pattern.compile("\r\\[[#-]{20}\\]  [ \\d]\\d?/6  \\d+%  \\d+\\.\\d/s  ETA ").matcher(tty).find(), tty);
            // the final clear: carriage return, spaces, carriage return, then the summary on a clean line
            assertTrue(Pattern.compile("\r {20,}\rfetched 6 URLs in ").matcher(tty).find(), tty);
        }
    }

    private static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (new File(d, name).canExecute()) {
                return true;
            }
        }
        return false;
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
