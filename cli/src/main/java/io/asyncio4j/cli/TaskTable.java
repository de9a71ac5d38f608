package io.asyncio4j.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The flat table of {@code asyncio4j ps PID}, in the format of Python 3.14's {@code python -m asyncio ps}
 * ({@code build_task_table} and its display in {@code Lib/asyncio/tools.py}).
 *
 * <p>One row per (task, awaiter): {@code tid} (the id of the loop's thread), {@code task id} (the task's
 * id, unique in the JVM, in hex), {@code task name}, {@code coroutine stack} (the task's functions, innermost
 * first, joined with {@code " -> "}), {@code awaiter chain} (the same of the awaiting task), {@code awaiter
 * name} and {@code awaiter id}. A task nobody awaits has one row with an empty chain and name and awaiter
 * id {@code 0x0}. The text table left-aligns the columns in widths 10, 20, 20, 50, 50, 15 and 15 separated by
 * one space (a longer value pushes the rest right, as Python's format does) under a line of 180 dashes; the
 * CSV is Python's {@code csv.writer}: commas, quotes only where needed, CRLF line ends.
 */
final class TaskTable {
    static final List<String> HEADER = List.of("tid", "task id", "task name", "coroutine stack", "awaiter chain",
            "awaiter name", "awaiter id");
    private static final int[] WIDTHS = {10, 20, 20, 50, 50, 15, 15};

    private TaskTable() {
    }

    /** The rows, loops in order, tasks in creation order, awaiters oldest first. */
    static List<List<String>> rows(List<TaskSnapshot> loops) {
        Map<Long, TaskSnapshot.Task> byId = new HashMap<>();
        for (TaskSnapshot loop : loops) {
            for (TaskSnapshot.Task t : loop.tasks()) {
                byId.put(t.id(), t);
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (TaskSnapshot loop : loops) {
            String tid = Long.toString(loop.threadId());
            for (TaskSnapshot.Task t : loop.tasks()) {
                String stack = functions(t.stack());
                if (t.awaitedBy().isEmpty()) {
                    rows.add(List.of(tid, hex(t.id()), t.name(), stack, "", "", "0x0"));
                    continue;
                }
                for (long awaiterId : t.awaitedBy()) {
                    TaskSnapshot.Task awaiter = byId.get(awaiterId);
                    rows.add(List.of(tid, hex(t.id()), t.name(), stack,
                            awaiter != null ? functions(awaiter.stack()) : "",
                            awaiter != null ? awaiter.name() : "Unknown", hex(awaiterId)));
                }
            }
        }
        return rows;
    }

    /** The text table: header, 180 dashes, one line per row; each line ends with a line break. */
    static String text(List<List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        line(sb, HEADER);
        sb.append("-".repeat(180)).append('\n');
        for (List<String> row : rows) {
            line(sb, row);
        }
        return sb.toString();
    }

    /** The CSV of Python's {@code csv.writer}: the header, then the rows, each ending in CRLF. */
    static String csv(List<List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        csvLine(sb, HEADER);
        for (List<String> row : rows) {
            csvLine(sb, row);
        }
        return sb.toString();
    }

    /** Python's {@code hex()}: {@code 0x} and lower-case digits, {@code -0x..} for a negative number. */
    static String hex(long id) {
        return id < 0 ? "-0x" + Long.toHexString(-id) : "0x" + Long.toHexString(id);
    }

    private static String functions(List<TaskSnapshot.Frame> stack) {
        return stack.stream().map(TaskSnapshot.Frame::function).collect(Collectors.joining(" -> "));
    }

    private static void line(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            String c = cells.get(i);
            sb.append(c);
            sb.append(" ".repeat(Math.max(0, WIDTHS[i] - c.length())));
        }
        sb.append('\n');
    }

    private static void csvLine(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String c = cells.get(i);
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(c);
            }
        }
        if (cells.size() == 1 && cells.getFirst().isEmpty()) {
            sb.append("\"\""); // Python's csv writes a row of one empty field as ""
        }
        sb.append("\r\n");
    }
}
