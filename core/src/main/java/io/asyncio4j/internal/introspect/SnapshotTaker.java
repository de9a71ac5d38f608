package io.asyncio4j.internal.introspect;

import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.Task;
import io.asyncio4j.internal.graph.AwaitEdges;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Takes a {@link LoopSnapshot} of a running loop from another thread (the JMX thread serving
 * {@code snapshot()}), without ever holding the loop for more than about {@link #SLICE} at a time.
 *
 * <h2>Cancellation and timeouts</h2>
 * {@link #take} waits at most {@link #firstTurnTimeout()} for the loop to run the snapshot's first part:
 * if it does not, the loop is blocked (a task or callback holds it without waiting) and the answer says by
 * what, with its stack, as the watchdog does. Once started, the snapshot gets at most
 * {@link #totalTimeout()} in all. A snapshot given up is abandoned: its queued part does nothing when it
 * finally runs.
 */
final class SnapshotTaker implements Runnable {
    /*
     * Implementation overview. Copying a parked virtual thread's stack costs about 10 µs, so 10,000 tasks
     * would hold the loop for 100 ms if copied at once. Instead the snapshot runs as a callback on the loop
     * (a task-switch boundary: no task is mounted, every task is parked or queued) that copies stacks until
     * SLICE has passed and then queues itself again behind the entries already ready, so the loop goes on
     * between parts. Consistency comes from the kernel's per-task step counter:
     *
     *   part 1..k: copy the stack of each task, remembering its step count
     *   last part: list the live tasks again; a task whose step count changed (it ran since its stack was
     *              copied) or that is new gets its stack copied again, in this same part if time allows,
     *              else in further parts, and the check repeats (at most MAX_ROUNDS times)
     *   when no task moved: read every task's state and awaiters in that same part
     *
     * A task that did not move since its stack was copied still has that stack, so the states, awaits and
     * stacks all describe the moment of the last part. If tasks keep moving after MAX_ROUNDS, the snapshot
     * keeps the stacks it has and says consistent=false.
     */
    /** How long one part of the snapshot may hold the loop (it ends after the stack that crosses it). */
    static final Duration SLICE = Duration.ofMillis(5);
    /** The system property of {@link #firstTurnTimeout()}, in milliseconds. */
    static final String FIRST_TURN_TIMEOUT_PROPERTY = "asyncio4j.introspection.timeoutMillis";
    /** The system property of {@link #totalTimeout()}, in milliseconds. */
    static final String TOTAL_TIMEOUT_PROPERTY = "asyncio4j.introspection.totalTimeoutMillis";
    private static final int MAX_ROUNDS = 4;
    private static final long DEFAULT_FIRST_TURN_MILLIS = 1000;
    private static final long DEFAULT_TOTAL_MILLIS = 10_000;
    // the loop thread's CPU time: how long a part really ran, without the time the OS gave other threads
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final int WAITING = 0;
    private static final int STARTED = 1;
    private static final int ABANDONED = 2;

    private final EventLoop loop;
    private final Introspection.Access access;
    private final AwaitEdges.Access edges = AwaitEdges.access();
    private final long requestedAt = System.nanoTime();
    // WAITING until the loop runs the first part (STARTED) or the requester gives up first (ABANDONED)
    private final AtomicInteger phase = new AtomicInteger(WAITING);
    // set by the requester when it gives up after the start; read by each part (volatile)
    private volatile boolean abandoned;
    // completed on the loop thread; read by the requester (the future orders the fields below before it)
    private final CompletableFuture<LoopSnapshot> done = new CompletableFuture<>();

    // ---- loop thread only ----
    // task -> its stack and the step count when the stack was copied; tasks in creation order are `live`
    private final Map<Task<?>, Copied> copied = new IdentityHashMap<>();
    private final ArrayDeque<Task<?>> toCopy = new ArrayDeque<>();
    private boolean listed;
    private int rounds;
    private int parts;
    private long maxHold;
    private long maxHoldCpu;

    private record Copied(List<StackTraceElement> stack, int steps) {
    }

    private SnapshotTaker(EventLoop loop) {
        this.loop = loop;
        this.access = Introspection.access();
    }

    /**
     * How long a snapshot waits for the loop to run its first part before it reports the loop blocked: one
     * second, or the system property {@value #FIRST_TURN_TIMEOUT_PROPERTY} (milliseconds) as it is when the
     * snapshot is requested.
     */
    static Duration firstTurnTimeout() {
        return Duration.ofMillis(Long.getLong(FIRST_TURN_TIMEOUT_PROPERTY, DEFAULT_FIRST_TURN_MILLIS));
    }

    /**
     * How long a snapshot may take in all: ten seconds, or the system property
     * {@value #TOTAL_TIMEOUT_PROPERTY} (milliseconds) as it is when the snapshot is requested.
     */
    static Duration totalTimeout() {
        return Duration.ofMillis(Long.getLong(TOTAL_TIMEOUT_PROPERTY, DEFAULT_TOTAL_MILLIS));
    }

    /** The loop's snapshot, or what blocks it. Waits as the class comment says; call it off the loop. */
    static LoopSnapshot take(EventLoop loop) {
        SnapshotTaker job = new SnapshotTaker(loop);
        Introspection.Access a = job.access;
        long seqAtRequest = a.entrySeq(loop);
        Thread thread = a.loopThread(loop);
        try {
            loop.callSoonThreadsafe(job);
        } catch (IllegalStateException closed) {
            return job.stopped(thread);
        }
        long total = totalTimeout().toNanos();
        LoopSnapshot first = job.awaitDone(firstTurnTimeout().toNanos());
        if (first != null) {
            return first;
        }
        if (job.phase.compareAndSet(WAITING, ABANDONED)) {
            return job.blocked(seqAtRequest);
        }
        LoopSnapshot rest = job.awaitDone(total - (System.nanoTime() - job.requestedAt));
        if (rest != null) {
            return rest;
        }
        job.abandoned = true;
        return job.blocked(Long.MIN_VALUE); // it ran parts: no single entry held it all along
    }

    /** The snapshot, or null if it is not done within {@code nanos}; an interrupt abandons it. */
    private LoopSnapshot awaitDone(long nanos) {
        try {
            return done.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandoned = true;
            throw new IllegalStateException("interrupted while waiting for the loop's snapshot");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the loop's snapshot failed: " + e.getCause(), e.getCause());
        }
    }

    /** One part, on the loop thread. */
    @Override
    public void run() {
        if (abandoned || phase.get() == ABANDONED || (phase.get() == WAITING && !phase.compareAndSet(WAITING, STARTED))) {
            return;
        }
        long start = System.nanoTime();
        long cpuStart = CPU.getCurrentThreadCpuTime();
        try {
            LoopSnapshot result = part(start);
            parts++;
            maxHold = Math.max(maxHold, System.nanoTime() - start);
            maxHoldCpu = Math.max(maxHoldCpu, CPU.getCurrentThreadCpuTime() - cpuStart);
            if (result == null) {
                loop.callSoon(this); // behind the entries ready now: the loop goes on between parts
            } else {
                done.complete(result.withHold(parts, maxHold, maxHoldCpu, System.nanoTime() - requestedAt));
            }
        } catch (Throwable e) {
            done.completeExceptionally(e);
        }
    }

    /** Copies stacks until the slice is used; the snapshot when it is complete, else null. */
    private LoopSnapshot part(long start) {
        long deadline = start + SLICE.toNanos();
        if (!listed) {
            listed = true;
            toCopy.addAll(access.liveTasks(loop));
        }
        while (true) {
            while (!toCopy.isEmpty()) {
                if (System.nanoTime() - deadline > 0) {
                    return null;
                }
                Task<?> t = toCopy.poll();
                if (!t.done()) {
                    copied.put(t, new Copied(t.getStack(), access.steps(t)));
                }
            }
            List<Task<?>> live = access.liveTasks(loop);
            List<Task<?>> moved = new ArrayList<>();
            for (Task<?> t : live) {
                Copied c = copied.get(t);
                if (c == null || c.steps() != access.steps(t)) {
                    moved.add(t);
                }
            }
            if (moved.isEmpty() || rounds == MAX_ROUNDS) {
                return complete(live, moved.isEmpty());
            }
            rounds++;
            toCopy.addAll(moved);
        }
    }

    /** States and awaiters of every live task, read now, with the stacks copied. */
    private LoopSnapshot complete(List<Task<?>> live, boolean consistent) {
        List<LoopSnapshot.TaskEntry> tasks = new ArrayList<>(live.size());
        for (Task<?> t : live) {
            Copied c = copied.get(t);
            List<Long> awaiters = awaiters(t);
            tasks.add(new LoopSnapshot.TaskEntry(id(t), t.getName(), state(t), c != null ? c.stack() : List.of(),
                    awaiters));
        }
        Thread thread = access.loopThread(loop);
        return new LoopSnapshot(access.loopName(loop), thread.threadId(), thread.getName(), "running", tasks, null,
                consistent, 0, 0, 0, 0);
    }

    /** The ids of the tasks awaiting {@code task}, oldest first. */
    private List<Long> awaiters(Task<?> task) {
        List<Future<?>> direct = edges.awaitedBy(task);
        if (direct.isEmpty()) {
            return List.of();
        }
        if (direct.size() == 1 && direct.getFirst() instanceof Task<?> only) {
            return List.of(id(only)); // the common case, without the sets below
        }
        List<Long> out = new ArrayList<>(direct.size());
        collectAwaiters(task, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    /** The tasks awaiting {@code f}, looking through plain futures (a gather's, a shield's) to their waiters. */
    private void collectAwaiters(Future<?> f, List<Long> out, Set<Future<?>> seen) {
        for (Future<?> w : edges.awaitedBy(f)) {
            if (!seen.add(w)) {
                continue;
            }
            if (w instanceof Task<?> t) {
                out.add(id(t));
            } else {
                collectAwaiters(w, out, seen);
            }
        }
    }

    private String state(Task<?> t) {
        if (t.cancelling() > 0) {
            return "cancelling";
        }
        Thread thread = access.taskThread(t); // null before the task's first step
        return thread != null && thread.getState() == Thread.State.RUNNABLE ? "running" : "pending";
    }

    private long id(Task<?> t) {
        return access.taskId(t);
    }

    private LoopSnapshot stopped(Thread thread) {
        return new LoopSnapshot(access.loopName(loop), thread != null ? thread.threadId() : -1,
                thread != null ? thread.getName() : "", "stopped", List.of(), null, true, 0, 0, 0,
                System.nanoTime() - requestedAt);
    }

    /** What holds the loop now; {@code seqAtRequest} tells whether it is the entry that ran at the request. */
    private LoopSnapshot blocked(long seqAtRequest) {
        Thread thread = access.loopThread(loop);
        Object entry = access.runningEntry(loop);
        long seq = access.entrySeq(loop);
        long waited = System.nanoTime() - requestedAt;
        if (thread == null) {
            return stopped(null);
        }
        Task<?> task = entry != null ? access.taskOf(entry) : null;
        // a task's thread: null for a moment at its first step, and once its body ended (the thread went back to
        // the loop's carrier pool)
        Thread taskThread = task != null ? access.taskThread(task) : null;
        StackTraceElement[] stack = task == null ? thread.getStackTrace()
                : taskThread != null ? taskThread.getStackTrace() : new StackTraceElement[0];
        LoopSnapshot.Blocked b = new LoopSnapshot.Blocked(seq == seqAtRequest && entry != null ? waited : -1,
                task != null ? id(task) : -1, task != null ? task.getName() : null,
                task == null ? String.valueOf(entry) : null, Arrays.asList(stack));
        return new LoopSnapshot(access.loopName(loop), thread.threadId(), thread.getName(), "blocked", List.of(), b,
                false, 0, 0, 0, waited);
    }
}
