package io.asyncio4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * The one-line progress display of {@code fetch} on stderr, redrawn in place with a carriage return:
 * <pre>
 * [#########-----------]  450/1000  45%  812.3/s  ETA 1s  ok 448  failed 2
 *  1234 done  812.3/s  ok 1230  failed 4             (total not known: URLs from stdin)
 * </pre>
 * The rate is the average since the start; the ETA is what is left at that rate. The line fits the
 * terminal's width (read before each draw: a resized window is followed), one column short of it so that it
 * never wraps: when narrow, the bar goes first, then the rate, the ETA, the ok count and the percentage;
 * the count done and the failed count stay (cut at the width when even they do not fit). {@link #clear()} blanks
 * the line (spaces over it, then a carriage return), so that what is printed next starts on a clean line.
 * The caller decides how often to draw ({@code fetch}: every 100 ms).
 *
 * <p>Thread-safety: none; drawn by one task of the loop.
 */
final class ProgressBar {

    private static final int WIDTH = 20;

    private final PrintWriter err;
    // the terminal's width in columns, asked before each draw
    private final IntSupplier columns;
    // written and read by draw() and clear() only, on the loop thread
    private int shown;

    /** A bar as wide as the terminal says {@code columns} is. */
    ProgressBar(PrintWriter err, IntSupplier columns) {
        this.err = err;
        this.columns = columns;
    }

    /** A bar for an 80-column terminal. */
    ProgressBar(PrintWriter err) {
        this(err, () -> 80);
    }

    /** Draws the line for {@code summary}'s counts, {@code total} URLs (-1: not known), after {@code nanos}. */
    void draw(FetchSummary summary, long total, long nanos) {
        draw(summary.done(), total, summary.ok(), summary.failed(), nanos, "");
    }

    /**
     * Draws the line for these counts, with {@code extra} (as {@code batch}'s tokens/min and retries) after
     * it when the terminal is wide enough for both.
     */
    void draw(long done, long total, long ok, long failed, long nanos, String extra) {
        int width = columns.getAsInt();
        String line = line(done, total, ok, failed, nanos, width);
        if (!extra.isEmpty() && line.length() + 2 + extra.length() <= width - 1) {
            line = line + "  " + extra;
        }
        shown = Math.min(shown, width - 1); // what a narrower window still shows of the last line
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

    /** The full line, for a terminal wide enough. */
    static String line(long done, long total, long ok, long failed, long nanos) {
        return line(done, total, ok, failed, nanos, Integer.MAX_VALUE);
    }

    /** The line, shortened to at most {@code columns - 1} characters (see the class comment). */
    static String line(long done, long total, long ok, long failed, long nanos, int columns) {
        double seconds = nanos / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        // the fields in display order; the number is when a field goes (1 first, 0 never)
        List<String> fields = new ArrayList<>();
        List<Integer> drop = new ArrayList<>();
        if (total < 0) {
            add(fields, drop, done + " done", 0);
        } else {
            int filled = total == 0 ? WIDTH : (int) (WIDTH * Math.min(done, total) / total);
            long percent = total == 0 ? 100 : 100 * Math.min(done, total) / total;
            String digits = Long.toString(total);
            add(fields, drop, "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "]", 1);
            add(fields, drop, " ".repeat(Math.max(0, digits.length() - Long.toString(done).length())) + done + "/" + digits, 0);
            add(fields, drop, percent + "%", 5);
        }
        add(fields, drop, rate(rate) + "/s", 2);
        if (total >= 0) {
            add(fields, drop, "ETA " + eta(total - done, rate), 3);
        }
        add(fields, drop, "ok " + ok, 4);
        add(fields, drop, "failed " + failed, 0);
        int max = Math.max(1, columns - 1);
        String line = String.join("  ", fields);
        for (int next = 1; line.length() > max && next <= 5; next++) {
            int i = drop.indexOf(next);
            if (i >= 0) {
                fields.remove(i);
                drop.remove(i);
                line = String.join("  ", fields).strip();
            }
        }
        return line.length() > max ? line.substring(0, max) : line;
    }

    private static void add(List<String> fields, List<Integer> drop, String field, int when) {
        fields.add(field);
        drop.add(when);
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
