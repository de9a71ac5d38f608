package io.asyncio4j.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.ClientSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code asyncio4j demo}: sequential versus concurrent, for real. Starts the embedded {@link LocalServer}
 * (as a task of the same event loop, on 127.0.0.1, a free port, 1 s latency), fetches 5 URLs one after
 * another, then 100 URLs at once with {@link Asyncio#gather}, and prints an ASCII timeline of both phases
 * and a last line such as {@code sequential 5 URLs: 5.0 s, so 100 URLs one by one would take about 100 s; concurrent 100 URLs: 1.0 s}.
 * Takes about 7 s (including the server's 1 s per answer).
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        header = "Sequential versus concurrent fetches, timed, with an ASCII timeline (about 7 s).",
        description = {
            "Sequential versus concurrent: starts a local server that answers after 1 s, fetches 5 URLs",
            "one after another, then 100 URLs concurrently, and prints both timings with a timeline.",
            "Takes about 7 seconds."
        },
        footerHeading = "%nExamples:%n",
        footer = {"  asyncio4j demo"})
public final class DemoCommand implements Callable<Integer> {

    /** URLs fetched one after another. */
    static final int SEQUENTIAL = 5;

    /** URLs fetched concurrently. */
    static final int CONCURRENT = 100;

    /** The server's wait before each answer. */
    static final Duration LATENCY = Duration.ofSeconds(1);

    /** Timeline columns per second. */
    private static final int COLUMNS_PER_SECOND = 10;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** When one fetch started and ended, in nanoseconds since its phase began. */
    private record Span(long start, long end) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Asyncio.run(() -> {
            try (LocalServer server = LocalServer.builder().latency(LATENCY).start();
                 ClientSession session = ClientSession.builder()
                    .baseUrl(server.url() + "/")
                    .limit(CONCURRENT)
                    .build()) {
                out.println("Local server on " + server.url() + ", answering each request after 1 s.");
                out.println();
                out.println("Fetching " + SEQUENTIAL + " URLs one after another...");
                out.flush();
                long t0 = System.nanoTime();
                List<Span> sequential = new ArrayList<>();
                for (int i = 1; i <= SEQUENTIAL; i++) {
                    sequential.add(fetch(session, "json?n=" + i, t0));
                }
                long sequentialNanos = System.nanoTime() - t0;

                out.println("Fetching " + CONCURRENT + " URLs concurrently...");
                out.flush();
                long t1 = System.nanoTime();
                List<Integer> ids = new ArrayList<>();
                for (int i = 1; i <= CONCURRENT; i++) {
                    ids.add(i);
                }
                List<Span> concurrent = Asyncio.gather(ids, i -> fetch(session, "json?n=" + i, t1));
                long concurrentNanos = System.nanoTime() - t1;

                long scale = Math.max(sequentialNanos, concurrentNanos);
                out.println();
                out.println("sequential: one request at a time");
                printTimeline(out, sequential, scale, false);
                out.println();
                out.println("concurrent: all " + CONCURRENT + " requests at once (gather)");
                printTimeline(out, concurrent, scale, true);
                out.println();
                // Compare like with like: what the concurrent batch would take one by one, at the measured pace.
                out.println(String.format(Locale.ROOT,
                        "sequential %d URLs: %.1f s, so %d URLs one by one would take about %.0f s; concurrent %d URLs: %.1f s",
                        SEQUENTIAL, seconds(sequentialNanos), CONCURRENT,
                        seconds(sequentialNanos) / SEQUENTIAL * CONCURRENT, CONCURRENT, seconds(concurrentNanos)));
                out.flush();
            }
        });
        return 0;
    }

    /** GETs {@code path}, reads the body and checks the status; the span is relative to {@code t0}. */
    private static Span fetch(ClientSession session, String path, long t0) {
        long start = System.nanoTime() - t0;
        session.get(path).raiseForStatus();
        return new Span(start, System.nanoTime() - t0);
    }

    /** Rows "url N   |    ######    | 0.0-1.0 s" on a shared scale; concurrent phases show the first and last few. */
    private static void printTimeline(PrintWriter out, List<Span> spans, long scaleNanos, boolean abridge) {
        int width = (int) Math.ceil(seconds(scaleNanos) * COLUMNS_PER_SECOND);
        StringBuilder axis = new StringBuilder();
        for (int c = 0; c <= width; c++) {
            axis.append(c % COLUMNS_PER_SECOND == 0 ? '|' : '-');
        }
        StringBuilder labels = new StringBuilder();
        for (int s = 0; s * COLUMNS_PER_SECOND <= width; s++) {
            String l = s + "s";
            labels.append(l).append(" ".repeat(Math.max(1, COLUMNS_PER_SECOND - l.length())));
        }
        out.println(String.format("  %-9s %s", "", labels.toString().stripTrailing()));
        out.println(String.format("  %-9s %s", "", axis));
        for (int i = 0; i < spans.size(); i++) {
            if (abridge && i == 3 && spans.size() > 5) {
                out.println(String.format("  %-9s %s", "...", "(" + (spans.size() - 5) + " more)"));
                i = spans.size() - 3;
            }
            Span s = spans.get(i);
            int from = column(s.start);
            int to = Math.max(from + 1, column(s.end));
            String bar = " ".repeat(from) + "#".repeat(to - from);
            out.println(String.format(Locale.ROOT, "  %-9s %-" + (width + 1) + "s %.1f-%.1f s",
                    "url " + (i + 1), bar, seconds(s.start), seconds(s.end)));
        }
    }

    private static int column(long nanos) {
        return (int) Math.round(seconds(nanos) * COLUMNS_PER_SECOND);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
