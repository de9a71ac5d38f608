package io.asyncio4j.graph;

import io.asyncio4j.Future;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of who waits for a future, and where (asyncio's {@code asyncio.FutureCallGraph}).
 *
 * <p>A node names a {@link Future} or {@link io.asyncio4j.Task}, the task's call stack at the moment of
 * the capture (innermost frame first; empty for a plain future, or a task that is done), and one node for
 * each future or task that was waiting for it then, each with its own waiters, up to the tasks nobody
 * waits for. Read it from the bottom up to see the chain of awaits that leads to the future:
 * <pre>
 *   FutureCallGraph(fut, [], awaitedBy = [
 *       FutureCallGraph(task "fetch", [fetchPage, fetch], awaitedBy = [
 *           FutureCallGraph(task "main", [main], awaitedBy = [])])])
 * </pre>
 * Made by {@link CallGraph#capture}; the lists are unmodifiable. The snapshot does not change when the
 * tasks move on.
 *
 * @param future    the future or task this node describes
 * @param callStack the task's frames, innermost first, without library and JDK machinery frames
 * @param awaitedBy one node per future or task that waited for {@code future}, oldest waiter first
 */
public record FutureCallGraph(Future<?> future, List<FrameCallGraphEntry> callStack, List<FutureCallGraph> awaitedBy) {
    public FutureCallGraph {
        Objects.requireNonNull(future, "future");
        callStack = List.copyOf(callStack);
        awaitedBy = List.copyOf(awaitedBy);
    }
}
