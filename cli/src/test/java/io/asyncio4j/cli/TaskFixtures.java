package io.asyncio4j.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Snapshots written by hand, for the formatting tests: the inputs of CPython's
 * {@code Lib/test/test_asyncio/test_tools.py}, where each awaiter's call stack is that task's own stack (as
 * in asyncio4j, where a task awaits from where its stack is).
 */
final class TaskFixtures {
    private TaskFixtures() {
    }

    /** A loop with thread id {@code tid} and these tasks. */
    static TaskSnapshot loop(long tid, TaskSnapshot.Task... tasks) {
        return new TaskSnapshot("EventLoop-" + tid, tid, "t" + tid, "running", List.of(tasks), null, null);
    }

    /** A task: id, name, its frames innermost first ("fn" or "fn file:line"), and the ids awaiting it. */
    static TaskSnapshot.Task task(long id, String name, List<String> stack, long... awaitedBy) {
        List<TaskSnapshot.Frame> frames = new ArrayList<>();
        for (String f : stack) {
            String[] parts = f.split(" ");
            if (parts.length == 1) {
                frames.add(new TaskSnapshot.Frame(f, "app", f, null, null));
            } else {
                int colon = parts[1].lastIndexOf(':');
                frames.add(new TaskSnapshot.Frame(parts[0], "app", parts[0], parts[1].substring(0, colon),
                        Integer.parseInt(parts[1].substring(colon + 1))));
            }
        }
        return new TaskSnapshot.Task(id, name, "pending", frames, Arrays.stream(awaitedBy).boxed().toList());
    }

    static List<String> stack(String... frames) {
        return List.of(frames);
    }

    /**
     * test_tools.py's first case: a task {@code timer} awaited from two places in each of four subtasks of
     * two TaskGroups ({@code root1}, {@code root2}) that {@code Task-1}'s TaskGroup runs.
     */
    static List<TaskSnapshot> timerInTwoGroups() {
        List<String> aexitMain = stack("_aexit", "__aexit__", "main");
        List<String> bloch = stack("_aexit", "__aexit__", "blocho_caller", "bloch");
        List<String> awaiter = stack("awaiter3 /path/to/app.py:130", "awaiter2 /path/to/app.py:120",
                "awaiter /path/to/app.py:110");
        List<String> awaiterB = stack("awaiterB3 /path/to/app.py:190", "awaiterB2 /path/to/app.py:180",
                "awaiterB /path/to/app.py:170");
        return List.of(loop(1,
                task(2, "Task-1", aexitMain),
                task(3, "timer", stack(), 4, 5, 6, 7),
                task(8, "root1", bloch, 2),
                task(9, "root2", bloch, 2),
                task(4, "child1_1", awaiter, 8),
                task(6, "child2_1", awaiterB, 8),
                task(7, "child1_2", awaiter, 9),
                task(5, "child2_2", awaiterB, 9)));
    }
}
