package io.asyncio4j.internal.introspect;

import java.util.List;

/**
 * What one event loop answered to {@code snapshot()}: its live tasks with their stacks and awaiters, or,
 * when the loop did not take its turn in time, what blocks it. Written as JSON by {@link SnapshotJson}.
 *
 * @param loop          the loop's name, {@code EventLoop-N}
 * @param threadId      the id of the platform thread running the loop
 * @param threadName    that thread's name
 * @param state         {@code running} (tasks hold the snapshot), {@code blocked} (see {@code blocked}) or
 *                      {@code stopped} (the loop stopped before it answered; no tasks)
 * @param tasks         the live tasks in creation order; empty unless running
 * @param blocked       what holds the loop, when blocked; else null
 * @param consistent    true when every stack was copied after the task's last step, so that the stacks, the
 *                      states and the awaits all describe one moment; false when tasks kept moving
 * @param parts         how many ready-queue entries the loop spent on the snapshot
 * @param maxHoldNanos  the longest of those entries: how long the snapshot held the loop at a time (wall
 *                      clock, including any time the OS ran other threads meanwhile)
 * @param maxHoldCpuNanos the same in the loop thread's CPU time: the snapshot's own work
 * @param totalNanos    from the request to the answer
 */
public record LoopSnapshot(String loop, long threadId, String threadName, String state, List<TaskEntry> tasks,
                           Blocked blocked, boolean consistent, int parts, long maxHoldNanos,
                           long maxHoldCpuNanos, long totalNanos) {

    /**
     * One live task.
     *
     * @param id        the task's id, unique in the JVM, given when the task was created
     * @param name      the task's name
     * @param state     {@code pending} (waiting), {@code running} (its next step is queued to run) or
     *                  {@code cancelling} (a cancel was requested and not withdrawn)
     * @param stack     its frames, innermost first, as {@code Task.getStack()} gives them
     * @param awaitedBy the ids of the tasks awaiting it (through plain futures such as a gather's), oldest first
     */
    public record TaskEntry(long id, String name, String state, List<StackTraceElement> stack, List<Long> awaitedBy) {
    }

    /**
     * What held the loop when the snapshot could not get a turn.
     *
     * @param heldAtLeastNanos how long the same ready-queue entry has been running at least, or -1 if the
     *                         loop ran other entries meanwhile (it is then busy rather than blocked)
     * @param taskId           the id of the task whose step holds the loop, or -1 for a callback
     * @param taskName         that task's name, or null
     * @param callback         the callback that holds the loop, or null for a task
     * @param stack            the full stack of the task or of the loop's thread, JDK frames included
     */
    public record Blocked(long heldAtLeastNanos, long taskId, String taskName, String callback,
                          List<StackTraceElement> stack) {
    }

    /** This snapshot with the cost figures filled in. */
    LoopSnapshot withHold(int parts, long maxHoldNanos, long maxHoldCpuNanos, long totalNanos) {
        return new LoopSnapshot(loop, threadId, threadName, state, tasks, blocked, consistent, parts, maxHoldNanos,
                maxHoldCpuNanos, totalNanos);
    }
}
