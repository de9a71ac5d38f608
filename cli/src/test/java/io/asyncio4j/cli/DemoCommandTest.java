package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code asyncio4j demo}, run in-process for real: a real-time test of about 7 s (the server answers after
 * 1 s, on purpose), the one test of the module that takes that long.
 */
class DemoCommandTest {

    private static final Pattern SPAN = Pattern.compile("(\\d+\\.\\d)-(\\d+\\.\\d) s$");
    private static final Pattern SUMMARY = Pattern.compile(
            "sequential 5 URLs: (\\d+\\.\\d) s, so 100 URLs one by one would take about (\\d+) s; concurrent 100 URLs: (\\d+\\.\\d) s");

    @Test
    void demoFetchesFiveUrlsInTurnThenAHundredAtOnceAndPrintsTheTimeline() {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));

        int exit = cl.execute("demo");

        String text = out.toString();
        assertEquals(0, exit, text + err);
        assertEquals("", err.toString());
        List<String> lines = text.lines().toList();
        assertTrue(lines.getFirst().matches("Local server on http://127\\.0\\.0\\.1:\\d+, .*"), text);
        assertTrue(lines.contains("sequential: one request at a time"), text);
        assertTrue(lines.contains("concurrent: all 100 requests at once (gather)"), text);
        // Each phase: a time axis, then one bar per URL (the concurrent one abridged to the first and last 3).
        int seq = lines.indexOf("sequential: one request at a time");
        assertEquals(List.of("url 1", "url 2", "url 3", "url 4", "url 5"), rowLabels(lines.subList(seq + 3, seq + 8)));
        int conc = lines.indexOf("concurrent: all 100 requests at once (gather)");
        assertEquals(List.of("url 1", "url 2", "url 3", "...", "url 98", "url 99", "url 100"),
                rowLabels(lines.subList(conc + 3, conc + 10)));
        assertTrue(lines.get(seq + 2).trim().startsWith("|---------|"), text);

        // Orderings of the spans the rows show, not their lengths: in turn, each request starts when the one
        // before has ended; at once, every request starts before the first one ends (the server takes 1 s).
        List<double[]> inTurn = spans(lines.subList(seq + 3, seq + 8));
        assertEquals(5, inTurn.size(), text);
        for (int i = 1; i < inTurn.size(); i++) {
            assertTrue(inTurn.get(i)[0] >= inTurn.get(i - 1)[1], "url " + (i + 1) + " overlaps url " + i + ":\n" + text);
        }
        List<double[]> atOnce = spans(lines.subList(conc + 3, conc + 10));
        assertEquals(6, atOnce.size(), text);
        double lastStart = atOnce.stream().mapToDouble(span -> span[0]).max().orElseThrow();
        double firstEnd = atOnce.stream().mapToDouble(span -> span[1]).min().orElseThrow();
        assertTrue(lastStart <= firstEnd, "a request started after another had ended:\n" + text);
        assertTrue(SUMMARY.matcher(lines.getLast()).matches(), lines.getLast());
    }

    /** The spans {start, end} in seconds of timeline rows "  url 3     ####   0.0-1.0 s" (others skipped). */
    private static List<double[]> spans(List<String> rows) {
        return rows.stream().map(SPAN::matcher).filter(Matcher::find)
                .map(m -> new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))}).toList();
    }

    /** The labels of timeline rows "  url 3     ####   0.0-1.0 s" (or "  ...       (95 more)"). */
    private static List<String> rowLabels(List<String> rows) {
        return rows.stream().map(r -> r.substring(0, Math.min(r.length(), 12)).strip()).toList();
    }
}
