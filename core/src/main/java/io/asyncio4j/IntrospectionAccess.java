package io.asyncio4j;

import io.asyncio4j.internal.introspect.Introspection;

import java.util.List;

/**
 * The kernel's side of {@link Introspection.Access}: what the task snapshots of {@code asyncio4j ps} need
 * of a loop and its tasks beyond public API (the live tasks without a copy into a set, how many steps a task
 * ran, what the loop runs now), without making any of it public.
 */
final class IntrospectionAccess implements Introspection.Access {
    static {
        Introspection.setAccess(new IntrospectionAccess());
    }

    private IntrospectionAccess() {
    }

    @Override
    public String loopName(EventLoop loop) {
        return "EventLoop-" + loop.id;
    }

    @Override
    public Thread loopThread(EventLoop loop) {
        return loop.thread();
    }

    @Override
    public List<Task<?>> liveTasks(EventLoop loop) {
        return loop.liveTasks();
    }

    @Override
    public int liveTaskCountRacy(EventLoop loop) {
        return loop.liveTaskCountRacy();
    }

    @Override
    public int steps(Task<?> task) {
        return task.steps;
    }

    @Override
    public Thread taskThread(Task<?> task) {
        return task.thread();
    }

    @Override
    public long taskId(Task<?> task) {
        return task.id;
    }

    @Override
    public Object runningEntry(EventLoop loop) {
        return loop.runningEntryAcquire();
    }

    @Override
    public long entrySeq(EventLoop loop) {
        return loop.entrySeqAcquire();
    }

    @Override
    public Task<?> taskOf(Object entry) {
        return entry instanceof Task<?> t ? t : null;
    }

    @Override
    public String outcome(Task<?> task) {
        return task.cancelled() ? "cancelled" : task.failure() != null ? "failed" : "result";
    }
}
