package io.asyncio4j.internal.introspect;

import io.asyncio4j.internal.graph.Frames;

import java.util.List;

/**
 * A {@link LoopSnapshot} as the JSON text that the MBean's {@code snapshot()} answers (core has no JSON
 * library; the format is small and written here). One object:
 * <pre>
 * {"loop": "EventLoop-1", "threadId": 1, "threadName": "main", "state": "running",
 *  "consistent": true, "parts": 3, "maxHoldMicros": 5012, "maxHoldCpuMicros": 4870, "totalMicros": 16020,
 *  "tasks": [{"id": 37, "name": "worker-1", "state": "pending",
 *             "stack": [{"function": "Demo.worker", "class": "com.example.Demo", "method": "worker",
 *                        "file": "Demo.java", "line": 12}],
 *             "awaitedBy": [36]}],
 *  "blocked": null}
 * </pre>
 * A task's {@code stack} holds its own code only (innermost first; this library's and the JDK's frames
 * left out), {@code function} names a frame as a reader does ({@link Frames#functionName}). When the state
 * is {@code blocked}, {@code blocked} is
 * {@code {"heldAtLeastMillis": 1003, "taskId": 40, "taskName": "hog", "callback": null, "stack": [...]}}
 * with the full stack, JDK frames included. A file or line the JVM does not know is {@code null}.
 */
final class SnapshotJson {
    private SnapshotJson() {
    }

    static String write(LoopSnapshot s) {
        StringBuilder sb = new StringBuilder(256 + s.tasks().size() * 256);
        sb.append("{\"loop\":");
        string(sb, s.loop());
        sb.append(",\"threadId\":").append(s.threadId()).append(",\"threadName\":");
        string(sb, s.threadName());
        sb.append(",\"state\":");
        string(sb, s.state());
        sb.append(",\"consistent\":").append(s.consistent())
                .append(",\"parts\":").append(s.parts())
                .append(",\"maxHoldMicros\":").append(s.maxHoldNanos() / 1000)
                .append(",\"maxHoldCpuMicros\":").append(s.maxHoldCpuNanos() / 1000)
                .append(",\"totalMicros\":").append(s.totalNanos() / 1000)
                .append(",\"tasks\":[");
        boolean first = true;
        for (LoopSnapshot.TaskEntry t : s.tasks()) {
            sb.append(first ? "" : ",").append("{\"id\":").append(t.id()).append(",\"name\":");
            first = false;
            string(sb, t.name());
            sb.append(",\"state\":");
            string(sb, t.state());
            sb.append(",\"stack\":");
            frames(sb, t.stack(), true);
            sb.append(",\"awaitedBy\":[");
            for (int i = 0; i < t.awaitedBy().size(); i++) {
                sb.append(i == 0 ? "" : ",").append(t.awaitedBy().get(i));
            }
            sb.append("]}");
        }
        sb.append("],\"blocked\":");
        LoopSnapshot.Blocked b = s.blocked();
        if (b == null) {
            sb.append("null");
        } else {
            sb.append("{\"heldAtLeastMillis\":").append(b.heldAtLeastNanos() < 0 ? -1 : b.heldAtLeastNanos() / 1_000_000)
                    .append(",\"taskId\":").append(b.taskId()).append(",\"taskName\":");
            string(sb, b.taskName());
            sb.append(",\"callback\":");
            string(sb, b.callback());
            sb.append(",\"stack\":");
            frames(sb, b.stack(), false);
            sb.append('}');
        }
        return sb.append('}').toString();
    }

    private static void frames(StringBuilder sb, List<StackTraceElement> stack, boolean userOnly) {
        sb.append('[');
        boolean first = true;
        for (StackTraceElement e : stack) {
            if (userOnly && !Frames.isUserFrame(e)) {
                continue;
            }
            sb.append(first ? "" : ",").append("{\"function\":");
            first = false;
            string(sb, Frames.functionName(e));
            sb.append(",\"class\":");
            string(sb, e.getClassName());
            sb.append(",\"method\":");
            string(sb, e.getMethodName());
            sb.append(",\"file\":");
            string(sb, e.getFileName());
            sb.append(",\"line\":").append(e.getLineNumber() >= 0 ? Integer.toString(e.getLineNumber()) : "null")
                    .append('}');
        }
        sb.append(']');
    }

    /** A JSON string (or null), escaped as RFC 8259 requires. */
    static void string(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
