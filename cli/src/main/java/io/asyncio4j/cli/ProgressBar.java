package io.asyncio4j.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The one-line progress display of {@code fetch} on stderr, redrawn in place with a carriage return:
 * <pre>
 * [#########-----------]  450/1000  45%  812.3/s  ETA 1s  ok 448  failed 2
 *  1234 done  812.3/s  ok 1230  failed 4             (total not known: URLs from stdin)
 * </pre>
 * The rate is the average since the start; the ETA is what is left at that rate. {@link #clear()} blanks
 * the line (spaces over it, then a carriage return), so that what is printed next starts on a clean line.
 * The caller decides how often to draw ({@code fetch}: every 100 ms).
 *
 * <p>Thread-safety: none; drawn by one task of the loop.
 */
final class ProgressBar {

    private static final int WIDTH = 20;

    private final PrintWriter err;
    // written and read by draw() and clear() only, on the loop thread
    private int shown;

    ProgressBar(PrintWriter err) {
        this.err = err;
    }

    /** Draws the line for {@code summary}'s counts, {@code total} URLs (-1: not known), after {@code nanos}. */
    void draw(FetchSummary summary, long total, long nanos) {
        String line = line(summary.done(), total, summary.ok(), summary.failed(), nanos);
        // pad with spaces over the end of a longer previous line
        err.print('\r' + line + " ".repeat(Math.max(0, shown - line.length())));
        err.flush();
        shown = line.length();
    }

    /** Blanks the line if one is shown. */
    void clear() {
        if (shown > 0) {
            err.print('\r' + " ".repeat(shown) + '\r');
            err.flush();
            shown = 0;
        }
    }

    static String line(long done, long total, long ok, long failed, long nanos) {
        double seconds = nanos / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        String counts = "  " + rate(rate) + "/s" + (total >= 0 ? "  ETA " + eta(total - done, rate) : "")
                + "  ok " + ok + "  failed " + failed;
        if (total < 0) {
            return done + " done" + counts;
        }
        int filled = total == 0 ? WIDTH : (int) (WIDTH * Math.min(done, total) / total);
        long percent = total == 0 ? 100 : 100 * Math.min(done, total) / total;
        String digits = Long.toString(total);
        return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "]  "
                + " ".repeat(Math.max(0, digits.length() - Long.toString(done).length())) + done + "/" + digits
                + "  " + percent + "%" + counts;
    }

    private static String rate(double perSecond) {
        return perSecond < 100 ? String.format(Locale.ROOT, "%.1f", perSecond)
                : Long.toString(Math.round(perSecond));
    }

    private static String eta(long left, double rate) {
        if (left <= 0) {
            return "0s";
        }
        if (rate <= 0) {
            return "?";
        }
        long s = (long) Math.ceil(left / rate);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60);
    }
}
