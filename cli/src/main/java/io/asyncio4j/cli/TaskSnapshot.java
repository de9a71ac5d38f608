package io.asyncio4j.cli;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tasks of one event loop of another JVM, as its MBean answered them (what {@code ps} and
 * {@code pstree} print). Read from the JSON the MBean's {@code snapshot()} returns:
 * {@code {"loop", "threadId", "threadName", "state", "consistent", "parts", "maxHoldMicros",
 * "totalMicros", "tasks": [{"id", "name", "state", "stack": [frame], "awaitedBy": [id]}], "blocked"}},
 * a frame being {@code {"function", "class", "method", "file", "line"}}.
 *
 * @param loop        the loop's name, {@code EventLoop-N}
 * @param threadId    the id of the thread running it (Python's {@code tid} column)
 * @param threadName  that thread's name
 * @param state       {@code running}, {@code blocked} or {@code stopped}
 * @param tasks       its live tasks in creation order (empty unless running)
 * @param blocked     what blocks it, or null
 * @param json        the loop's object as it came (for {@code --format json})
 */
record TaskSnapshot(String loop, long threadId, String threadName, String state, List<Task> tasks, Blocked blocked,
                    JsonNode json) {

    /** A task: its id (unique in the JVM), name, state, user-code stack (innermost first) and awaiters' ids. */
    record Task(long id, String name, String state, List<Frame> stack, List<Long> awaitedBy) {
    }

    /** A frame: the function as a reader names it ({@code Worker.fetch}), its file and line (null if unknown). */
    record Frame(String function, String className, String method, String file, Integer line) {
        /** Python's {@code _format_stack_entry}: {@code function file:line}, or the function alone without a file. */
        String withLocation() {
            return file == null ? function : function + " " + file + ":" + (line == null ? "?" : line);
        }

        /** As a Java stack trace prints it: {@code com.example.Worker.fetch(Worker.java:12)}. */
        String asJavaFrame() {
            return className + "." + method + "(" + (file == null ? "Unknown Source" : file + (line == null ? "" : ":" + line)) + ")";
        }
    }

    /** What held the loop: a task (id, name) or a callback, for at least so long, with the full stack. */
    record Blocked(long heldAtLeastMillis, long taskId, String taskName, String callback, List<Frame> stack) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Parses one loop's answer; an answer that is not such JSON fails with a one-line message. */
    static TaskSnapshot parse(String text) {
        JsonNode n = JSON.readTree(text);
        List<Task> tasks = new ArrayList<>();
        for (JsonNode t : n.path("tasks")) {
            List<Long> awaiters = new ArrayList<>();
            for (JsonNode a : t.path("awaitedBy")) {
                awaiters.add(a.asLong());
            }
            tasks.add(new Task(t.path("id").asLong(), t.path("name").asString(), t.path("state").asString(),
                    frames(t.path("stack")), awaiters));
        }
        JsonNode b = n.path("blocked");
        Blocked blocked = b.isObject()
                ? new Blocked(b.path("heldAtLeastMillis").asLong(-1), b.path("taskId").asLong(-1), text(b, "taskName"),
                        text(b, "callback"), frames(b.path("stack")))
                : null;
        return new TaskSnapshot(n.path("loop").asString(), n.path("threadId").asLong(), n.path("threadName").asString(),
                n.path("state").asString(), tasks, blocked, n);
    }

    private static List<Frame> frames(JsonNode array) {
        List<Frame> out = new ArrayList<>();
        for (JsonNode f : array) {
            JsonNode line = f.path("line");
            out.add(new Frame(f.path("function").asString(), f.path("class").asString(), f.path("method").asString(),
                    text(f, "file"), line.isNumber() ? line.asInt() : null));
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isString() ? v.asString() : null;
    }
}
