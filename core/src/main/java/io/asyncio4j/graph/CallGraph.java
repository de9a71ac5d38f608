package io.asyncio4j.graph;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Future;
import io.asyncio4j.Task;
import io.asyncio4j.internal.graph.AwaitEdges;
import io.asyncio4j.internal.graph.Frames;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Who waits for a future, and where: the async call graph of a task or future (asyncio 3.14's
 * {@code capture_call_graph}, {@code format_call_graph} and {@code print_call_graph}).
 *
 * <h2>Usage</h2>
 * The loop records, for every future and task, which tasks are waiting for it right now ({@code await()}
 * on a task or future, and the scopes and combinators built on it). From any future you can walk those
 * records up to the tasks nobody waits for, and see each task's stack on the way:
 * <pre>{@code
 * Asyncio.run(() -> {
 *     Task<Void> worker = Asyncio.createTask(() -> fetch(), "worker");   // fetch() calls printCallGraph()
 *     worker.await();
 * });
 *
 * static void fetch() {
 *     Asyncio.printCallGraph();      // or CallGraph.print(Asyncio.currentTask())
 * }
 * }</pre>
 * prints (ids are {@link System#identityHashCode} in hex):
 * <pre>
 * * Task(name='worker', id=0x1b6d3586)
 *   + Call stack:
 *   |   File 'Fetcher.java', line 9, in Fetcher.fetch()
 *   + Awaited by:
 *     * Task(name='Task-1', id=0x4554617c)
 *       + Call stack:
 *       |   File 'Fetcher.java', line 4, in Fetcher.main()
 * </pre>
 * Each node lists the task's frames innermost first, then the futures and tasks awaiting it, indented by
 * four spaces per level. A plain future prints as {@code * Future(id=0x…)} with no call stack. A frame of
 * a lambda is named after the method the lambda was written in ({@code main}, not {@code lambda$main$1}).
 *
 * <p>The stack of the <em>current</em> task starts at the caller of {@code capture}/{@code format}/
 * {@code print}; the stack of any other task is where it waits now ({@link Task#getStack()}). Frames of
 * this library and of the JDK's virtual-thread machinery are left out everywhere; a done task has no
 * stack.
 *
 * <h2>Thread-safety</h2>
 * The records belong to the loop: call these methods on the future's loop, in one of its tasks or
 * callbacks (or while that loop is not running). From another thread they throw
 * {@link IllegalStateException}; use {@code loop.callSoonThreadsafe(() -> CallGraph.print(task))}.
 *
 * <h2>Pitfalls</h2>
 * <ul>
 *   <li>The graph is a snapshot: it does not follow the tasks as they move on.</li>
 *   <li>Only waits on futures are edges. A task parked in a JDK call (a socket read,
 *       {@code Thread.sleep}) or in {@link Asyncio#sleep} shows its stack but awaits nothing.</li>
 *   <li>Tasks that await each other in a cycle (a deadlock) are shown once per path: where a future
 *       reappears below itself, it is listed without its stack and waiters.</li>
 * </ul>
 */
public final class CallGraph {
    /*
     * Implementation overview. capture() walks Future.awaitedBy() (package-private in io.asyncio4j,
     * reached through internal.graph.AwaitEdges) depth-first, keeping the futures on the current path to
     * cut cycles; a future reached along two paths (two tasks awaiting one task that a third awaits) is
     * expanded on both, as asyncio does. Which frames are the library's, and how a frame is named (a lambda
     * as the method it was written in), is internal.graph.Frames, shared with the task snapshots of
     * `asyncio4j ps`.
     */

    private CallGraph() {
    }

    /**
     * The call graph of {@code future}: its call stack (for a task) and, recursively, the futures and
     * tasks awaiting it (asyncio's {@code capture_call_graph(future)}). For the current task the stack
     * starts at the caller of this method.
     *
     * @throws IllegalStateException if called outside the future's loop while that loop runs
     */
    public static FutureCallGraph capture(Future<?> future) {
        Objects.requireNonNull(future, "future");
        AwaitEdges.Access edges = AwaitEdges.access();
        edges.ensureOnLoopThread(future, "CallGraph.capture()");
        return build(future, edges, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    /**
     * The call graph of {@code future} as text, in the format shown in the class comment, without a final
     * line break (asyncio's {@code format_call_graph(future)}).
     *
     * @throws IllegalStateException if called outside the future's loop while that loop runs
     */
    public static String format(Future<?> future) {
        return render(capture(future));
    }

    /** Prints {@link #format(Future)} and a line break to {@link System#out} (asyncio's {@code print_call_graph}). */
    public static void print(Future<?> future) {
        print(future, System.out);
    }

    /** Prints {@link #format(Future)} and a line break to {@code out}. */
    public static void print(Future<?> future, PrintStream out) {
        Objects.requireNonNull(out, "out");
        out.println(format(future));
    }

    // ---- capture -----------------------------------------------------------------------------------------

    private static FutureCallGraph build(Future<?> future, AwaitEdges.Access edges, Set<Future<?>> path) {
        if (!path.add(future)) {
            // A awaits B awaits A: both are stuck; stop here rather than loop forever
            return new FutureCallGraph(future, List.of(), List.of());
        }
        List<FutureCallGraph> awaitedBy = new ArrayList<>();
        for (Future<?> waiter : edges.awaitedBy(future)) {
            awaitedBy.add(build(waiter, edges, path));
        }
        path.remove(future);
        return new FutureCallGraph(future, callStack(future), awaitedBy);
    }

    private static List<FrameCallGraphEntry> callStack(Future<?> future) {
        if (!(future instanceof Task<?> task)) {
            return List.of();
        }
        // Task.getStack() has left out the JDK's machinery and the kernel's waits; for the current task it
        // also holds this class's frames and the Asyncio facade's, which Frames.isLibraryFrame removes
        List<FrameCallGraphEntry> out = new ArrayList<>();
        for (StackTraceElement e : task.getStack()) {
            if (!Frames.isLibraryFrame(e)) {
                out.add(new FrameCallGraphEntry(e));
            }
        }
        return out;
    }

    // ---- format ------------------------------------------------------------------------------------------

    private static String render(FutureCallGraph graph) {
        StringBuilder sb = new StringBuilder();
        renderLevel(graph, sb, 0);
        sb.setLength(sb.length() - 1); // the last line break
        return sb.toString();
    }

    private static void renderLevel(FutureCallGraph node, StringBuilder sb, int level) {
        String indent = "    ".repeat(level);
        String id = "0x" + Integer.toHexString(System.identityHashCode(node.future()));
        if (node.future() instanceof Task<?> task) {
            sb.append(indent).append("* Task(name=").append(quote(task.getName())).append(", id=").append(id).append(")\n");
        } else {
            sb.append(indent).append("* Future(id=").append(id).append(")\n");
        }
        if (!node.callStack().isEmpty()) {
            sb.append(indent).append("  + Call stack:\n");
            for (FrameCallGraphEntry entry : node.callStack()) {
                sb.append(indent).append("  |   ").append(entry.describe()).append('\n');
            }
        }
        if (!node.awaitedBy().isEmpty()) {
            sb.append(indent).append("  + Awaited by:\n");
            for (FutureCallGraph waiter : node.awaitedBy()) {
                renderLevel(waiter, sb, level + 1);
            }
        }
    }

    /** A string in quotes the way Python's {@code repr} writes it: single quotes unless it holds one. */
    static String quote(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder(s.length() + 2).append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == q) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append(q).toString();
    }
}
