package io.asyncio4j;

import io.asyncio4j.internal.carrier.CarrierBackend;
import io.asyncio4j.internal.introspect.TaskEvents;
import io.asyncio4j.internal.sync.Abort;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * A body running concurrently with other tasks on one {@link EventLoop} (asyncio's {@code asyncio.Task}).
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Task<String> t = Asyncio.createTask(() -> fetch(url), "fetch");
 * doOtherWork();               // t starts when this task next waits
 * String page = t.await();
 * }</pre>
 * Each task is a virtual thread whose only carrier is the loop's thread: only one task of a loop runs at
 * a time, and it runs until it waits. Waiting means any blocking call: {@link Asyncio#sleep},
 * {@link Future#await()}, a JDK socket read, {@code Thread.sleep}, {@code BlockingQueue.take}, a JDK lock.
 * A new task does not start before its creator waits; tasks start in creation order.
 *
 * <h2>States</h2>
 * <pre>
 *   created ──first step──▶ running ⇄ waiting ──body returns─────────▶ FINISHED (result)
 *      │                                      ──body throws──────────▶ FINISHED (exception)
 *      │                                      ──CancelledError out───▶ CANCELLED
 *      └──cancel() before the first step: the body never runs────────▶ CANCELLED
 * </pre>
 *
 * <h2>Cancellation</h2>
 * {@link #cancel(String)} requests a cancellation (asyncio 3.11+ semantics, counted by
 * {@link #cancelling()} and undone by {@link #uncancel()}). It is delivered as a {@link CancelledError}
 * thrown from the wait the task is in: from {@code sleep} at once; from {@code await()} on a future, by
 * cancelling that future (an awaited task gets the cancel and the waiter wakes when it ends); from a JDK
 * call (socket read, {@code Thread.sleep}, {@code BlockingQueue.take}) by interrupting the task's thread,
 * after which a JDK interruption that escapes the body ends the task as cancelled. A running task that
 * cancels itself gets the {@code CancelledError} at its next wait. A task that catches the
 * {@code CancelledError} and returns normally ends done with its result, not cancelled.
 *
 * <h2>Thread-safety</h2>
 * {@code cancel}, {@code uncancel}, {@code setName} and the callback methods run on the loop's thread;
 * {@code done}, {@code result}, {@code getName} and {@code getStack} may be called from any thread.
 *
 * <h2>Pitfalls</h2>
 * A blocking call the JDK cannot unmount (file I/O, JNI, a busy loop) holds the loop and every other task
 * waits; the loop's watchdog logs such a task with its stack. Use {@link Asyncio#toThread} for that work.
 */
public final class Task<T> extends KernelWait<T> {
    /*
     * Implementation overview.
     *
     * The body runs in a virtual thread whose scheduler is a Carrier (one per virtual thread, not per task).
     * A task gets its thread at its first step (Task.step): a task that has not run yet costs no thread.
     * The thread comes from the loop's carrier pool when one is there (the thread of a task that ended,
     * cleaned: CarrierPool), else it is made. The JDK hands the thread's continuation to Carrier.execute
     * whenever the thread becomes runnable, and the Carrier puts its task on the loop's ready queue (or, from
     * a foreign thread, on the loop's inbox). Running that entry mounts the thread on the loop thread until
     * it parks or ends; that is one asyncio "step". When the body ends, the thread cleans itself and parks in
     * the pool until a next task's first step takes it (Carrier.run).
     *
     * Every wait of the task (sleep, Future.await, the sync primitives' ParkingLot, the loop's selector)
     * goes through the kernel's one wait, KernelWait, this class's superclass, which also holds the task's
     * wait state and delivers its cancels (a superclass rather than an object of its own: 40 B less per
     * task). This class keeps only the count of cancel requests (cancelRequests: cancel() minus uncancel(),
     * loop thread only) and the body's outcome.
     */
    // the body: a Callable<T>, or for a void body a ThrowingRunnable (of a Task<Void>) that is not also a
    // Callable, called as it is rather than through asCallable(): a wrapper's two frames fewer on the stack
    // of every parked task of a void body, and 16 B less per task; written once
    private final Object coro;
    // the scheduler of the task's virtual thread (and through it the thread), from its first step (Task.step)
    // until its body ended (Carrier.run): a task that has not run yet costs no thread, and an ended task keeps
    // none (the thread may serve another task). Written on the loop thread; read by any thread (the watchdog
    // and introspection read the thread)
    private volatile Carrier carrier;
    // the task's current context; replaced by Context.run while inside it; task thread only. Context.FRESH
    // until first looked at when the task was created in an empty context (see Context.current)
    Context context;
    // the name given at creation or by setName, or null for the default name "Task-<number>", which is made
    // only when asked for (getName), as CPython 3.12+ does: most tasks are never asked, and the String would
    // be 57 B of each parked task. Written on the loop thread (setName); read by any thread
    private volatile String name;
    // the loop's count of unnamed tasks when this one was made (its default name); 0 for a task created
    // with a name; written once
    private final int number;
    // a number unique in the JVM, given at creation: the task id of `asyncio4j ps` and of the JFR task events
    // (a task has no thread before its first step, so the thread's id cannot serve); written once
    final long id = IDS.incrementAndGet();
    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();

    // cancel() calls minus uncancel() calls; loop thread only
    private int cancelRequests;
    // the loop's list of live tasks (EventLoop.linkLive/taskEnded); loop thread only
    boolean live;
    Task<?> livePrev;
    Task<?> liveNext;
    // the number of steps the task ran (Task.step): unchanged means it has not moved, which the
    // snapshots of `asyncio4j ps` rely on; loop thread only
    int steps;

    /** A task of {@code coro}: a {@code Callable<T>}, or a {@code ThrowingRunnable} when T is Void. */
    Task(EventLoop loop, Object coro, String name, int number, Context context) {
        super(loop);
        this.coro = Objects.requireNonNull(coro, "coro");
        this.name = name;
        this.number = number;
        this.context = context;
    }

    /**
     * The task running on the current thread, or null: the current thread is a task's thread when its
     * scheduler is a task's Carrier and it is that task's own thread (a virtual thread created inside a task
     * inherits the Carrier as scheduler, but is not the task).
     */
    static Task<?> currentOrNull() {
        Thread t = Thread.currentThread();
        if (CarrierBackend.schedulerOf(t) instanceof Carrier c && c.thread == t) {
            return c.task; // null while the thread waits in the carrier pool
        }
        return null;
    }

    /** The running task, or an IllegalStateException naming {@code api}. */
    static Task<?> requireCurrent(String api) {
        Task<?> t = currentOrNull();
        if (t == null) {
            throw new IllegalStateException(api + " must be called inside a task (inside Asyncio.run(...) or a "
                    + "task it created); on thread '" + Thread.currentThread().getName() + "' there is none");
        }
        return t;
    }

    /** Schedules the first step; the task gets its virtual thread only when it runs (see {@link #step}). */
    void start() {
        loop.submitStep(this);
    }

    /**
     * Runs one step of the task (its entry in the ready queue): mounts its thread on the loop thread until it
     * parks or ends. At the first step the task takes a thread from the loop's carrier pool, or makes one.
     */
    void step() {
        Carrier c = carrier;
        if (c != null) {
            steps++;
            loop.runStep(this, c.step);
        } else if (steps == 0) {
            steps++;
            c = loop.carrierPool().take(this);
            if (c == null) {
                c = new Carrier();
                // an unnamed task's thread is unnamed too ("", the JDK's default): see getName
                Thread t = loop.backend().newVirtualThread(c, name, c); // the carrier's run() runs the bodies
                c.thread = t;
                bind(c); // after c.thread: a reader of `carrier` on another thread then sees the thread
                // in the loop's thread container (not the JDK's root one, which keeps an entry per thread); the JDK
                // hands the thread's continuation to Carrier.execute, which keeps it as the step
                loop.threadContainer().start(t);
                loop.runStep(this, c.step);
            } else {
                bind(c);
                String n = name;
                c.thread.setName(n != null ? n : "");
                c.resume();
            }
        }
        // else: the body has ended; a stale entry (see Carrier.execute) has nothing to run
    }

    private void bind(Carrier c) {
        carrier = c;
        c.task = this;
    }

    /** Runs the task's thread on a throwaway platform thread: its loop is closed. */
    void runOrphaned() {
        carrier.runOrphaned();
    }

    /** The body has ended: the task gives its thread back (on the task's thread, still mounted). */
    private void unbind() {
        carrier.task = null;
        carrier = null;
    }

    /** The task's virtual thread: from its first step until its body ended, else null; any thread. */
    @Override
    Thread thread() {
        Carrier c = carrier;
        return c != null ? c.thread : null;
    }

    // ---- the body ----------------------------------------------------------------------------------------

    // (no runBody(): the carrier's run() calls the body itself, one frame fewer on every parked task's stack,
    // and each frame there is frozen into the task's stack chunk while it waits; see Carrier.run)

    /** The body's outcome: decides how the task ends (task thread, once per task). */
    @SuppressWarnings("unchecked")
    private void finish(Object value, Throwable failure) {
        boolean interrupted = Thread.interrupted();
        loop.taskEnded(this);
        boolean mustCancel = hasPendingCancel();
        if (failure == null) {
            if (mustCancel) {
                // cancel() arrived while the body was running its last stretch (asyncio: the task is
                // "cancelled right before the coroutine stops")
                cancelNow(takePendingCancel());
            } else {
                complete((T) value);
            }
        } else if (failure instanceof CancelledError ce) {
            cancelNow(ce);
        } else if (mustCancel && (interrupted && !interruptSentByItself() || isInterruption(failure))) {
            // we interrupted a JDK call to deliver a cancel, and the interruption escaped the body. Not when the
            // task cancelled itself and then failed before any wait: the failure wins, as in asyncio
            //     TaskGroup.run(...) → parent.uncancel(); parent.cancel(); throw ExceptionGroup  (outside cancel + errors)
            cancelNow(new CancelledError(takePendingCancel(), failure));
        } else if (failure instanceof VirtualMachineError fatal) {
            fail(fatal);
            markRetrieved();
            loop.fatal(fatal);
        } else {
            fail(failure);
        }
        TaskEvents.ended(loop, this);
    }

    private static boolean isInterruption(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException
                    || t instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    // ---- waits (called on the task's thread; see KernelWait) ---------------------------------------------

    /**
     * {@code Asyncio.sleep}: waits {@code nanos} on the loop clock, or yields once when {@code nanos <= 0}.
     * Called straight from {@code Asyncio.sleep} (no helper frame between), and keeps nothing live across the
     * park (no try/finally: see {@link Sleep}): every frame between a task's body and the JDK's park is frozen
     * into the parked task's stack chunk, which is most of what a sleeping task costs. Cancellation: the wait
     * ends at once, raising {@link CancelledError}.
     */
    void sleep(long nanos) {
        if (nanos <= 0) {
            yieldOnce();
            return;
        }
        beginWait();
        park(loop.addTimer(new Sleep(this, loop.deadlineAfter(nanos))));
    }

    void yieldOnce() {
        Thread.yield();
        deliverPendingCancel();
    }

    void awaitFuture(Future<?> f) {
        if (f == this) {
            throw new IllegalStateException("Task cannot await on itself: " + this);
        }
        beginWait();
        // The carrier is this wait's wakeup element and its Abort (Carrier.wakeCurrentWait, Carrier.abort):
        // no allocation per await. It is registered only during this wait (removed below, or dropped by the
        // future when it fires), so it always belongs to the current wait.
        Carrier c = carrier;
        c.awaited = f;
        f.addElement(c);
        f.addAwaitedBy(this);
        try {
            park(c);
        } finally {
            endAwait();
        }
    }

    /**
     * Unregisters the await that just ended. It reads the carrier and the future from their fields rather than
     * from awaitFuture's locals: a local used after the park stays live across it, and is frozen into the
     * parked task's stack chunk (a spill slot of the compiled frame).
     */
    private void endAwait() {
        Carrier c = carrier;
        Future<?> f = c.awaited;
        c.awaited = null;
        f.discardAwaitedBy(this);
        if (!f.done()) {
            f.removeElement(c);
        }
    }

    /**
     * One sleep: its own timer (a {@link TimerHandle} that is its own callback), whose firing wakes the wait,
     * and its wait's {@link Abort}, which cancels the timer. One object of 40 B per sleep (it was a 48 B
     * timer and a 24 B callback). Nothing needs to cancel the timer when the wait ends: either the timer
     * fired (that is what woke the task) or a cancel's abort cancelled it, and an interrupt is a cancel.
     * It needs no stamp either: it wakes the task only while it is the abort of the task's current wait
     * (the kernel keeps that until the task resumes), so it can never end a later wait.
     */
    static final class Sleep extends TimerHandle implements Runnable, Abort {
        final Task<?> task;

        Sleep(Task<?> task, long whenNanos) {
            super(task.loop, whenNanos, null, null);
            this.task = task;
        }

        @Override
        public void run() {
            if (task.currentAbort() == this) {
                task.wakeCurrent();
            }
        }

        @Override
        public boolean abort(String message) {
            cancel();
            return true;
        }

        @Override
        public String toString() {
            return "sleeps until loop time " + when();
        }
    }

    // ---- cancellation ------------------------------------------------------------------------------------

    /**
     * Requests cancellation (see the class comment). Returns false if the task is already done.
     * Each call counts in {@link #cancelling()}.
     */
    @Override
    public boolean cancel(String msg) {
        loop.ensureOnLoopThread("Task.cancel()");
        if (done()) {
            markRetrieved(); // as Future.cancel(): asyncio clears _log_traceback first
            return false;
        }
        cancelRequests++;
        deliverCancel(msg);
        return true;
    }

    /** How many cancellation requests are pending: {@code cancel()} calls minus {@code uncancel()} calls. */
    public int cancelling() {
        return cancelRequests;
    }

    /**
     * Decrements the count of cancellation requests and returns the new count; when it reaches zero, a
     * cancel not yet delivered is withdrawn (asyncio 3.13+). Used by structured scopes that absorb a
     * cancellation they caused themselves.
     */
    public int uncancel() {
        loop.ensureOnLoopThread("Task.uncancel()");
        if (cancelRequests > 0) {
            cancelRequests--;
            if (cancelRequests == 0) {
                withdrawPendingCancel();
            }
        }
        return cancelRequests;
    }

    /** Tasks do not support it: a task's result is what its body returns. */
    @Override
    public void setResult(T value) {
        throw new IllegalStateException("Task does not support setResult(): its result is what its body returns");
    }

    /** Tasks do not support it: a task fails when its body throws. */
    @Override
    public void setException(Throwable exception) {
        throw new IllegalStateException("Task does not support setException(): it fails when its body throws");
    }

    // ---- introspection -----------------------------------------------------------------------------------

    /**
     * The task's name: the one given at creation or by {@link #setName}, else asyncio's {@code Task-N} (N
     * counts the loop's unnamed tasks). The default name is made when asked for, and only a given name is
     * also the name of the task's virtual thread (a thread dump shows an unnamed task's thread without a
     * name; {@code asyncio4j ps}, the watchdog and the JFR task events show {@code Task-N}).
     */
    public String getName() {
        String n = name;
        return n != null ? n : "Task-" + number;
    }

    /** Renames the task (and its thread, as seen in thread dumps). */
    public void setName(String name) {
        Objects.requireNonNull(name, "name");
        this.name = name;
        if (loop.isLoopThread()) {
            Thread t = thread(); // null before the first step and after the body ended
            if (t != null) {
                t.setName(name);
            }
        }
    }

    /**
     * The body this task runs: the {@code Callable} it was created with, or for a void body (a
     * {@link ThrowingRunnable}) that body as a {@code Callable} returning null.
     */
    @SuppressWarnings("unchecked")
    public Callable<T> getCoro() {
        return coro instanceof Callable<?> c ? (Callable<T>) c : (Callable<T>) ((ThrowingRunnable) coro).asCallable();
    }

    /**
     * The task's stack where it waits or runs now, innermost frame first, without the frames of the JDK's
     * virtual-thread machinery and of this library's waits. Empty once the task is done.
     */
    public List<StackTraceElement> getStack() {
        if (done()) {
            return List.of();
        }
        List<StackTraceElement> out = new ArrayList<>();
        for (StackTraceElement e : stackTrace()) {
            if (!isMachineryFrame(e)) {
                out.add(e);
            }
        }
        return List.copyOf(out);
    }

    private StackTraceElement[] stackTrace() {
        Thread thread = thread();
        if (thread == null) {
            return new StackTraceElement[0]; // not started: nothing has run yet
        }
        if (Thread.currentThread() == thread || !loop.isLoopThread() || thread.getState() != Thread.State.RUNNABLE) {
            return thread.getStackTrace();
        }
        // Woken and waiting in the ready queue (on the loop thread no other task can be mounted). To read an
        // unmounted thread's stack the JDK suspends it and then submits it again, "as it may have run while
        // suspended": a second entry in the ready queue. It could not run (we hold the loop), so the carrier
        // drops that submission; otherwise the task would later get an extra turn ahead of the tasks queued
        // behind it.
        Carrier c = carrier;
        c.ignoreResubmit = true;
        try {
            return thread.getStackTrace();
        } finally {
            c.ignoreResubmit = false;
        }
    }

    /** Prints {@link #getStack()} to standard error, like asyncio's {@code Task.print_stack()}. */
    public void printStack() {
        StringBuilder sb = new StringBuilder("Stack for ").append(this).append(" (most recent call first):\n");
        for (StackTraceElement e : getStack()) {
            sb.append("\tat ").append(e).append('\n');
        }
        System.err.print(sb);
    }

    /** Library classes whose frames a user never wants to see in a task's stack. */
    private static final java.util.Set<String> LIBRARY_CLASSES = java.util.Set.of(
            "io.asyncio4j.Asyncio", "io.asyncio4j.Task", "io.asyncio4j.Future", "io.asyncio4j.EventLoop",
            "io.asyncio4j.Handle", "io.asyncio4j.TimerHandle", "io.asyncio4j.Runner", "io.asyncio4j.Context",
            "io.asyncio4j.ExecutorBridge", "io.asyncio4j.ThrowingRunnable", "io.asyncio4j.KernelWait",
            "io.asyncio4j.ParkingAccess", "io.asyncio4j.LoopSelector");

    /** Whether a frame belongs to the JDK's virtual-thread machinery or to this library's waits. */
    static boolean isMachineryFrame(StackTraceElement e) {
        String c = e.getClassName();
        int nested = c.indexOf('$');
        String top = nested < 0 ? c : c.substring(0, nested);
        return LIBRARY_CLASSES.contains(top) || top.startsWith("io.asyncio4j.internal.")
                || c.startsWith("java.lang.VirtualThread") || c.startsWith("jdk.internal.")
                || c.startsWith("java.lang.System$") // JavaLangAccess, e.g. System$1.parkVirtualThread
                || c.startsWith("java.lang.ScopedValue") || c.equals("java.util.concurrent.locks.LockSupport")
                || c.equals("java.lang.Thread") && (e.getMethodName().equals("yield") || e.getMethodName().equals("run")
                || e.getMethodName().equals("getStackTrace"));
    }

    @Override
    public String toString() {
        return "Task[name=" + getName() + ", " + stateText() + (cancelRequests > 0 && !done() ? ", cancelling" : "") + "]";
    }

    // ---- the scheduler of a task's virtual thread ---------------------------------------------------------

    /**
     * The scheduler of one virtual thread of the loop, which runs one task after another. The JDK calls
     * {@link #execute} with the thread's continuation each time the thread becomes runnable; the loop later
     * runs it in {@link Task#step}. The carrier is also the thread's body ({@link #run}: the bodies of the
     * tasks it is given, one after the other) and the wakeup element and {@link Abort} of its task's await on
     * a future ({@link #wakeCurrentWait}): one object for these roles, none allocated per task or per await.
     */
    static final class Carrier implements Executor, Runnable, Abort {
        // (no field for the loop: it is its task's, read from `task` while there is one, which keeps a carrier,
        // one per parked task, at 32 B)
        // the thread this carrier schedules; written once on the loop thread before the thread starts
        Thread thread;
        // the task the thread runs now, null while it waits in the pool; written on the loop thread (Task.step,
        // Task.unbind); read by any thread (currentOrNull on the thread itself, execute)
        volatile Task<?> task;
        // the future the task awaits, from the start of its await until it resumes (asyncio's _fut_waiter);
        // task thread and loop thread (the same thread, one at a time)
        Future<?> awaited;
        // the thread's continuation, learnt from the first execute (the thread's start); then final
        Runnable step;
        // true while Task.stackTrace() reads the stack of this queued task; loop thread only (read by
        // execute() only after `r == step`, which a foreign thread never sees for a queued task)
        boolean ignoreResubmit;
        // the pool's claim on this carrier (CarrierPool): BUSY while it runs a task, IDLE while pooled, RETIRED
        // once it must end; changed by compare-and-set, from the loop thread and from any thread (execute)
        volatile byte state = CarrierPool.BUSY;
        // true on the loop thread while resume() unparks the thread (its execute then belongs to resume), and
        // set by that execute; loop thread only
        private boolean resuming;
        private boolean resumedHere;

        Carrier() {
        }

        @Override
        public void execute(Runnable r) {
            if (step == null) {
                step = r; // the thread's start, inside Task.step(): it runs this first step at once
                return;
            }
            if (r != step) {
                // A virtual thread created inside the task inherited this scheduler: it is not a task, so it
                // runs where ordinary virtual threads run (see docs/architecture.md).
                CarrierBackend.get().defaultScheduler().execute(r);
                return;
            }
            if (resuming) {
                Task<?> t = task; // bound: resume() runs only for a task just bound
                if (t != null && Thread.currentThread() == t.loop.thread()) {
                    resumedHere = true; // resume() runs the step at once
                    return;
                }
            }
            if (ignoreResubmit) {
                return; // a duplicate: the step is in the ready queue already (see Task.stackTrace)
            }
            if (state != CarrierPool.BUSY) {
                // Released by the pool, or a pooled thread woken without a task (someone unparked or interrupted
                // it through a reference kept from its last task): it will not serve again, and runs to its
                // end where ordinary virtual threads run.
                if (CarrierPool.retire(this) || state == CarrierPool.RETIRED) {
                    CarrierBackend.get().defaultScheduler().execute(r);
                    return;
                }
                // else take() claimed it meanwhile: it runs its new task
            }
            Task<?> t = task; // BUSY: bound to a task (take() binds it before the claim)
            t.loop.submitStep(t);
        }

        /** Runs the task just bound to this pooled carrier: unparks its thread and mounts it. */
        void resume() {
            resuming = true;
            try {
                LockSupport.unpark(thread); // calls execute() here, unless a foreign wake-up queued it already
            } finally {
                resuming = false;
            }
            if (resumedHere) {
                resumedHere = false;
                task.loop.runStep(task, step);
            }
        }

        /**
         * The virtual thread's body (what {@code Thread.run} calls, once): runs its task's body; then cleans the
         * thread and waits in the loop's pool for the next task, until the pool is full or released.
         */
        @Override
        public void run() {
            Task<?> t = task;
            EventLoop loop = t.loop; // the thread starts for its first task; every later one is of the same loop
            while (t != null) {
                // the task's body, called here rather than in a method of Task: a frame fewer under the body
                Object value = null;
                Throwable failure = null;
                if (t.hasPendingCancel()) {
                    // cancelled before its first step: asyncio never runs the coroutine then
                    failure = new CancelledError(t.takePendingCancel());
                } else {
                    try {
                        Object body = t.coro;
                        if (body instanceof Callable<?> c) {
                            value = c.call();
                        } else {
                            ((ThrowingRunnable) body).run();
                        }
                    } catch (Throwable e) {
                        failure = e;
                    }
                }
                t.finish(value, failure);
                t.unbind();
                t = null;
                loop.backend().resetCurrentThread(loop.thread());
                if (loop.carrierPool().offer(this)) {
                    thread.setName(CarrierPool.IDLE_NAME); // in a thread dump: no task's name while idle
                    t = awaitTask();
                }
            }
        }

        /** Parks the pooled thread until a task is bound to it (returns it) or the pool released it (null). */
        private Task<?> awaitTask() {
            while (true) {
                LockSupport.park(this);
                int s = state;
                if (s == CarrierPool.BUSY) {
                    Thread.interrupted();
                    return task;
                }
                if (s == CarrierPool.RETIRED) {
                    return null;
                }
                Thread.interrupted(); // a stray wake-up before the thread had parked: park again
            }
        }

        /** Ends the task's await on a future: fired by that future when it completes. */
        void wakeCurrentWait() {
            task.wakeCurrent();
        }

        /**
         * A cancel of the task awaiting a future goes to that future (asyncio); the task keeps waiting until
         * the future completes (an awaited task may take time to end, or even swallow the cancel).
         */
        @Override
        public boolean abort(String message) {
            return !awaited.cancel(message);
        }

        /**
         * The future completed, then the task was cancelled before it resumed: when the future was cancelled,
         * its own CancelledError is what the await raises (asyncio keeps the first cancel's message); else
         * the task raises the new cancel.
         */
        @Override
        public boolean cancelledAfterWake() {
            return !awaited.cancelled();
        }

        /** Runs the thread on a throwaway platform thread: its loop is closed. */
        void runOrphaned() {
            Task<?> t = task;
            Thread.ofPlatform().daemon(true).name("asyncio4j-orphan-" + (t != null ? t.getName() : thread.getName()))
                    .start(step);
        }

        @Override
        public String toString() {
            return "carrier of " + task;
        }
    }
}
