package io.asyncio4j.internal.introspect;

import io.asyncio4j.EventLoop;
import io.asyncio4j.Task;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JDK Flight Recorder events for task lifetimes and blocked loops: {@code io.asyncio4j.TaskStart},
 * {@code io.asyncio4j.TaskEnd} and {@code io.asyncio4j.LoopBlocked}, shown by JDK Mission Control and
 * {@code jfr print} beside the JDK's own {@code jdk.VirtualThreadStart}/{@code End} events (the task id is
 * the task's own id, the one {@code asyncio4j ps} shows; a task gets its virtual thread only at its first step).
 *
 * <p>Off by default, even in a recording: turn them on by name, e.g.
 * {@code -XX:StartFlightRecording:+io.asyncio4j.TaskStart#enabled=true,+io.asyncio4j.TaskEnd#enabled=true,+io.asyncio4j.LoopBlocked#enabled=true,filename=rec.jfr}
 * (the {@code +} adds a setting the JDK's configuration does not have), or in a {@code .jfc} file. When they are off, each hook costs one check the
 * JIT makes nearly free.
 */
public final class TaskEvents {
    private TaskEvents() {
    }

    /** A task was created (on its loop's thread). */
    public static void started(EventLoop loop, Task<?> task) {
        TaskStart e = new TaskStart();
        if (e.shouldCommit()) {
            e.commitFor(loop, task);
        }
    }

    /** A task ended, its outcome set (on the task's thread, mounted on the loop's). */
    public static void ended(EventLoop loop, Task<?> task) {
        TaskEnd e = new TaskEnd();
        if (e.shouldCommit()) {
            e.outcome = Introspection.access().outcome(task);
            e.commitFor(loop, task);
        }
    }

    /** The watchdog found a ready-queue entry holding the loop (on the watchdog's thread). */
    public static void loopBlocked(EventLoop loop, String holder, long heldNanos, String message) {
        LoopBlocked e = new LoopBlocked();
        if (e.shouldCommit()) {
            e.loop = Introspection.access().loopName(loop);
            e.holder = holder;
            e.held = heldNanos;
            e.message = message;
            e.commit();
        }
    }

    /** The fields of both task events (JFR shows a superclass's fields in each event). */
    @StackTrace(false)
    abstract static class TaskEvent extends Event {
        @Label("Task Id")
        @Description("The id of the task, unique in the JVM (asyncio4j ps shows it in hex)")
        long taskId;
        @Label("Task Name")
        String taskName;
        @Label("Event Loop")
        String loop;

        final void commitFor(EventLoop eventLoop, Task<?> task) {
            Introspection.Access a = Introspection.access();
            taskId = a.taskId(task);
            taskName = task.getName();
            loop = a.loopName(eventLoop);
            commit();
        }
    }

    @Name("io.asyncio4j.TaskStart")
    @Label("Task Start")
    @Category({"asyncio4j", "Tasks"})
    @Description("An asyncio4j task was created on its event loop")
    @Enabled(false)
    @StackTrace(false)
    static final class TaskStart extends TaskEvent {
    }

    @Name("io.asyncio4j.TaskEnd")
    @Label("Task End")
    @Category({"asyncio4j", "Tasks"})
    @Description("An asyncio4j task ended: with a result, failed, or cancelled")
    @Enabled(false)
    @StackTrace(false)
    static final class TaskEnd extends TaskEvent {
        @Label("Outcome")
        String outcome;
    }

    @Name("io.asyncio4j.LoopBlocked")
    @Label("Event Loop Blocked")
    @Category({"asyncio4j", "Event Loop"})
    @Description("A task step or callback held its event loop longer than the loop's slow-callback duration")
    @Enabled(false)
    @StackTrace(false)
    static final class LoopBlocked extends Event {
        @Label("Event Loop")
        String loop;
        @Label("Holder")
        @Description("The task or callback holding the loop")
        String holder;
        @Label("Held")
        @Timespan(Timespan.NANOSECONDS)
        long held;
        @Label("Message")
        String message;
    }
}
