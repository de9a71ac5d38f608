package io.asyncio4j.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The trees of {@code asyncio4j pstree PID}, in the format of Python 3.14's {@code python -m asyncio
 * pstree} ({@code build_async_tree} in {@code Lib/asyncio/tools.py}).
 *
 * <p>Each task nobody awaits is the root of a tree. Under a task that awaits others come the frames of its
 * stack, outermost first, one below the other, and under the innermost frame the tasks it awaits; the
 * frames of one awaiting task are shared by all the tasks it awaits from the same place (a TaskGroup's
 * body awaits all its children from one frame). A task that awaits nothing gets its own stack below it.
 * A task prints as {@code (T) name}, a frame as {@code  function file:line} (with the leading space
 * Python's format gives a frame: its marker is empty), with {@code └── }/{@code ├── } before each line and
 * {@code     }/{@code │   } for the levels above it.
 *
 * <p>A cycle of awaits (two tasks awaiting each other) has no tree: {@link #build} throws
 * {@link CycleFound}, which prints as Python does: {@code ERROR: await-graph contains cycles - cannot print
 * a tree!}, an empty line, then {@code cycle: a → b → a} per cycle.
 */
final class TaskTree {
    private TaskTree() {
    }

    /** An await cycle: the tasks of each cycle, the first repeated at the end, by name. */
    static final class CycleFound extends Exception {
        private final List<List<String>> cycles;

        CycleFound(List<List<String>> cycles) {
            super("await-graph contains cycles");
            this.cycles = cycles;
        }

        /** The lines Python prints to stderr, each ending with a line break. */
        String message() {
            StringBuilder sb = new StringBuilder("ERROR: await-graph contains cycles - cannot print a tree!\n\n");
            for (List<String> c : cycles) {
                sb.append("cycle: ").append(String.join(" → ", c)).append('\n');
            }
            return sb.toString();
        }
    }

    /** A node: a task (by id) or a frame (numbered as Python's c1, c2, ...). */
    private record Node(boolean task, long key) {
    }

    /** An edge: {@code parent} awaits {@code child} from {@code stack} (the parent's frames, innermost first). */
    private record Await(long parent, List<String> stack, long child) {
    }

    /** The trees as lines, one list per root, in the order Python prints them. */
    static List<List<String>> build(List<TaskSnapshot> loops) throws CycleFound {
        Map<Long, String> names = new LinkedHashMap<>();
        Map<Long, List<String>> stacks = new HashMap<>();
        for (TaskSnapshot loop : loops) {
            for (TaskSnapshot.Task t : loop.tasks()) {
                names.put(t.id(), t.name());
                stacks.put(t.id(), t.stack().stream().map(TaskSnapshot.Frame::withLocation).toList());
            }
        }
        List<Await> awaits = new ArrayList<>();
        for (TaskSnapshot loop : loops) {
            for (TaskSnapshot.Task t : loop.tasks()) {
                for (long parent : t.awaitedBy()) {
                    awaits.add(new Await(parent, stacks.getOrDefault(parent, List.of()), t.id()));
                }
            }
        }
        List<List<Long>> cycles = findCycles(awaits);
        if (!cycles.isEmpty()) {
            List<List<String>> named = new ArrayList<>();
            for (List<Long> c : cycles) {
                named.add(c.stream().map(id -> names.getOrDefault(id, TaskTable.hex(id))).toList());
            }
            throw new CycleFound(named);
        }
        return new Builder(names, stacks, awaits).render();
    }

    /** Python's {@code _build_tree} and {@code render}. */
    private static final class Builder {
        private final Map<Node, String> labels = new LinkedHashMap<>();
        private final Map<Node, Set<Node>> children = new HashMap<>();
        private final Map<Node, Map<String, Node>> frameNodes = new HashMap<>();
        private long nextFrame = 1;

        Builder(Map<Long, String> names, Map<Long, List<String>> stacks, List<Await> awaits) {
            names.forEach((id, name) -> labels.put(new Node(true, id), name));
            Set<Long> awaiting = new LinkedHashSet<>();
            for (Await a : awaits) {
                awaiting.add(a.parent());
                Node cur = new Node(true, a.parent());
                for (String frame : a.stack().reversed()) {
                    cur = frameNode(cur, frame);
                }
                kids(cur).add(new Node(true, a.child()));
            }
            for (Long id : names.keySet()) {
                if (!awaiting.contains(id)) {
                    Node cur = new Node(true, id);
                    for (String frame : stacks.get(id).reversed()) {
                        cur = frameNode(cur, frame);
                    }
                }
            }
        }

        private Set<Node> kids(Node n) {
            return children.computeIfAbsent(n, k -> new LinkedHashSet<>());
        }

        private Node frameNode(Node parent, String frame) {
            Map<String, Node> byFrame = frameNodes.computeIfAbsent(parent, k -> new HashMap<>());
            Node n = byFrame.get(frame);
            if (n == null) {
                n = new Node(false, nextFrame++);
                labels.put(n, frame);
                kids(parent).add(n);
                byFrame.put(frame, n);
            }
            return n;
        }

        List<List<String>> render() {
            Set<Node> all = new LinkedHashSet<>();
            children.values().forEach(all::addAll);
            List<List<String>> trees = new ArrayList<>();
            for (Node n : labels.keySet()) {
                if (!all.contains(n)) {
                    List<String> lines = new ArrayList<>();
                    render(n, "", true, lines);
                    trees.add(lines);
                }
            }
            return trees;
        }

        private void render(Node node, String prefix, boolean last, List<String> out) {
            String label = labels.get(node);
            out.add(prefix + (last ? "└── " : "├── ") + (node.task() ? "(T)" : "") + " " + label);
            String deeper = prefix + (last ? "    " : "│   ");
            List<Node> kids = new ArrayList<>(children.getOrDefault(node, Set.of()));
            for (int i = 0; i < kids.size(); i++) {
                render(kids.get(i), deeper, i == kids.size() - 1, out);
            }
        }
    }

    /** Python's {@code _find_cycles}: depth-first search for back edges in the task-to-task graph. */
    private static List<List<Long>> findCycles(List<Await> awaits) {
        Map<Long, Set<Long>> graph = new LinkedHashMap<>();
        for (Await a : awaits) {
            graph.computeIfAbsent(a.parent(), k -> new LinkedHashSet<>()).add(a.child());
        }
        Map<Long, Integer> colour = new HashMap<>(); // absent: white, 1: grey (on the path), 2: black (done)
        List<Long> path = new ArrayList<>();
        List<List<Long>> cycles = new ArrayList<>();
        for (Long v : new ArrayList<>(graph.keySet())) {
            if (!colour.containsKey(v)) {
                dfs(v, graph, colour, path, cycles);
            }
        }
        return cycles;
    }

    private static void dfs(long v, Map<Long, Set<Long>> graph, Map<Long, Integer> colour, List<Long> path,
                            List<List<Long>> cycles) {
        colour.put(v, 1);
        path.add(v);
        for (long w : graph.getOrDefault(v, Set.of())) {
            Integer c = colour.get(w);
            if (c == null) {
                dfs(w, graph, colour, path, cycles);
            } else if (c == 1) {
                List<Long> cycle = new ArrayList<>(path.subList(path.indexOf(w), path.size()));
                cycle.add(w);
                cycles.add(cycle);
            }
        }
        colour.put(v, 2);
        path.removeLast();
    }
}
