package io.asyncio4j;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A scope that owns the tasks created in it (asyncio's {@code asyncio.TaskGroup}): {@link #run} returns
 * only when the body and every task of the group have ended.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * List<String> pages = TaskGroup.run(g -> {
 *     Task<String> a = g.createTask(() -> fetch("a"));
 *     Task<String> b = g.createTask(() -> fetch("b"));
 *     return List.of(a, b);
 * }).stream().map(Task::result).toList();               // both are done here
 * }</pre>
 *
 * <h2>Failures and cancellation</h2>
 * The first task that fails cancels the body (at its current wait) and every other task of the group.
 * When everything has ended, the failures come out as one {@link ExceptionGroup}, in the order they
 * happened, the body's own failure last. A cancel of the task running the group cancels the body and the
 * tasks and propagates as {@link CancelledError} once they have ended, unless tasks failed (then the
 * {@code ExceptionGroup} wins and the task stays marked as cancelled). Cancel counts
 * ({@link Task#cancelling()}) are restored exactly: a group that cancelled its body itself withdraws
 * that cancel. {@link #cancel()} (asyncio 3.15) cancels the body and the tasks and makes {@code run}
 * return normally (with null when the body was cut short). A {@link VirtualMachineError} in a task or
 * the body propagates as itself.
 *
 * <h2>States</h2>
 * <pre>
 *   running body ──body ends──▶ exiting: waits for tasks ──all ended──▶ finished
 *        └──a task fails / cancel()──▶ aborting: body and tasks cancelled ─┘
 * </pre>
 * {@link #createTask} works while the body runs and while the group waits for its tasks (a task may
 * add siblings); it fails once the group is aborting or finished.
 *
 * <h2>Why a lambda and not try-with-resources</h2>
 * {@code close()} cannot see the body's exception, and a group must cancel its tasks when the body
 * fails instead of waiting for them. See {@link ScopeBody}.
 *
 * <h2>Thread-safety</h2>
 * Loop thread only: create tasks from the body or from tasks of the same loop.
 */
public final class TaskGroup {
    /*
     * Implementation overview: a line-by-line port of asyncio 3.14's taskgroups.py (plus 3.15's cancel()),
     * which is the spec. The body runs in the parent task; at exit the parent waits on `onCompleted`, a
     * future set when the last task ends. The subtle part is the parent's cancel count:
     *   - a task fails while the body runs → the group cancels the parent itself (parentCancelRequested)
     *     and must uncancel() it at exit, so the parent's count is as before;
     *   - the parent is cancelled from outside while waiting at exit → the group aborts its tasks, keeps
     *     waiting (the wait is repeated, because it can be cancelled again), and re-raises that cancel;
     *   - failures and an outside cancel together → ExceptionGroup wins, and the parent is uncancelled and
     *     cancelled again so that its count stays stable.
     */
    private final EventLoop loop;
    private final Task<?> parent;
    private final LinkedHashSet<Task<?>> tasks = new LinkedHashSet<>();
    private final List<Throwable> errors = new ArrayList<>();
    // all fields: loop thread only
    private boolean exiting;
    private boolean aborting;
    private boolean finished;
    private boolean parentCancelRequested;
    private Throwable baseError;
    private Future<Boolean> onCompleted;

    private TaskGroup(Task<?> parent) {
        this.loop = parent.loop;
        this.parent = parent;
    }

    /**
     * Runs {@code body} with a new group and waits for all its tasks; returns the body's value. Must be
     * called in a task.
     *
     * @throws ExceptionGroup  if tasks or the body failed
     * @throws CancelledError  if the task running the group was cancelled from outside
     */
    public static <T> T run(ScopeBody<TaskGroup, T> body) {
        Objects.requireNonNull(body, "body");
        TaskGroup group = new TaskGroup(Task.requireCurrent("TaskGroup.run()"));
        T result = null;
        Throwable failure = null;
        try {
            result = body.run(group);
        } catch (Throwable e) {
            failure = e;
        }
        group.exit(failure);
        return failure == null ? result : null;
    }

    /**
     * {@link #run(ScopeBody)} for a body that returns nothing, as asyncio's {@code async with TaskGroup() as tg:}
     * block: {@code TaskGroup.run(g -> { g.createTask(a); g.createTask(b); })}. A lambda that returns a value
     * goes to {@link #run(ScopeBody)} instead. Failures and cancellation as there.
     *
     * @throws ExceptionGroup  if tasks or the body failed
     * @throws CancelledError  if the task running the group was cancelled from outside
     */
    public static void run(ScopeStatements<TaskGroup> body) {
        Objects.requireNonNull(body, "body");
        run((ScopeBody<TaskGroup, Void>) g -> {
            body.runStatements(g);
            return null;
        });
    }

    /** Creates a task in this group (see the class comment for when that is allowed). */
    public <T> Task<T> createTask(Callable<T> coro) {
        return createTask(coro, null);
    }

    /** Creates a named task in this group. */
    public <T> Task<T> createTask(Callable<T> coro, String name) {
        Objects.requireNonNull(coro, "coro");
        ensureAcceptsTasks();
        return joined(loop.createTask(coro, name));
    }

    /** Creates a task for a void body in this group. */
    public Task<Void> createTask(ThrowingRunnable coro) {
        return createTask(coro, null);
    }

    /** Creates a named task for a void body in this group. */
    public Task<Void> createTask(ThrowingRunnable coro, String name) {
        Objects.requireNonNull(coro, "coro");
        ensureAcceptsTasks();
        return joined(loop.createTask(coro, name));
    }

    private void ensureAcceptsTasks() {
        loop.ensureOnLoopThread("TaskGroup.createTask()");
        if (finished || exiting && tasks.isEmpty()) {
            throw new IllegalStateException("TaskGroup.createTask(): the group is finished; create tasks while its "
                    + "body or its tasks still run");
        }
        if (aborting) {
            throw new IllegalStateException("TaskGroup.createTask(): the group is shutting down (a task failed or "
                    + "the group was cancelled)");
        }
    }

    /** Makes the new {@code task} one of the group's. */
    private <T> Task<T> joined(Task<T> task) {
        task.addAwaitedBy(parent);
        tasks.add(task);
        task.addElement(new Future.DoneCallback<>(task, this::onTaskDone, null));
        return task;
    }

    /**
     * Cancels the body and every task of the group; {@link #run} then returns normally (asyncio 3.15's
     * {@code TaskGroup.cancel()}). Idempotent; does nothing once the group has finished.
     */
    public void cancel() {
        loop.ensureOnLoopThread("TaskGroup.cancel()");
        if (finished || aborting) {
            return;
        }
        abort();
        if (!parentCancelRequested) {
            // Also while the group waits for its tasks at exit: the parent's wait is then cancelled by us, and
            // that is how exit() tells our cancel from one of the outside that arrives meanwhile:
            //     body returns ─▶ exit waits ─▶ a task calls g.cancel() ─▶ an enclosing waitFor expires and
            //     cancels the parent ─▶ the tasks end ─▶ uncancel() leaves 1 ─▶ the outside cancel propagates
            parentCancelRequested = true;
            parent.cancel();
        }
    }

    private void exit(Throwable exc) {
        exiting = true;
        if (exc instanceof VirtualMachineError && baseError == null) {
            baseError = exc;
        }
        CancelledError propagateCancel = exc instanceof CancelledError ce ? ce : null;
        if (exc != null && !aborting) {
            // The body failed, or the parent is being cancelled: stop the tasks.
            abort();
        }
        // A loop, because the wait can be cancelled several times if the parent is cancelled repeatedly.
        CancelledError pendingCancel = null;
        while (!tasks.isEmpty()) {
            if (onCompleted == null) {
                onCompleted = new Future<>(loop);
            }
            try {
                onCompleted.await();
            } catch (CancelledError e) {
                pendingCancel = e;
                if (!aborting) {
                    // The parent is cancelled from outside while the group waits for its tasks.
                    propagateCancel = e;
                    abort();
                }
            }
            onCompleted = null;
        }
        finished = true;
        if (baseError != null) {
            throw Future.surface(baseError);
        }
        if (parentCancelRequested) {
            if (parent.uncancel() == 0) {
                // The only cancel was our own: do not propagate it.
                propagateCancel = null;
            } else if (propagateCancel == null) {
                // A cancel from outside arrived while we waited for the tasks after our own cancel (asyncio
                // gh-155433): it is not ours, so it must not be dropped.
                //     tg.cancel() ─▶ body ends ─▶ the group waits for a child's finally
                //       ─▶ an enclosing timeout expires: the parent's wait raises, swallowed while aborting
                //       ─▶ the child ends ─▶ uncancel() leaves 1 ─▶ that CancelledError leaves the group
                propagateCancel = pendingCancel;
            }
        }
        if (propagateCancel != null && errors.isEmpty()) {
            throw propagateCancel;
        }
        if (exc != null && !(exc instanceof CancelledError)) {
            errors.add(exc);
        }
        if (!errors.isEmpty()) {
            if (parent.cancelling() > 0) {
                // Cancelled from outside too: keep the parent's cancel count stable.
                parent.uncancel();
                parent.cancel();
            }
            throw new ExceptionGroup("unhandled errors in a TaskGroup", errors);
        }
    }

    private void abort() {
        aborting = true;
        for (Task<?> t : new ArrayList<>(tasks)) {
            if (!t.done()) {
                t.cancel();
            }
        }
    }

    private void onTaskDone(Future<?> f) {
        Task<?> task = (Task<?>) f;
        tasks.remove(task);
        task.discardAwaitedBy(parent);
        if (onCompleted != null && tasks.isEmpty() && !onCompleted.done()) {
            onCompleted.complete(true);
        }
        if (task.cancelled()) {
            return;
        }
        Throwable exc = task.exception();
        if (exc == null) {
            return;
        }
        errors.add(exc);
        if (exc instanceof VirtualMachineError && baseError == null) {
            baseError = exc;
        }
        if (parent.done()) {
            loop.callExceptionHandler(new ExceptionContext("Task " + task.getName() + " of a TaskGroup failed after "
                    + "the task running the group had ended", exc, task, task));
            return;
        }
        if (!aborting && !parentCancelRequested) {
            // Cancel the body so that it stops whatever it waits for; exit() withdraws this cancel:
            //     TaskGroup.run(g -> { g.createTask(crashSoon); await something; })   ← something is cancelled
            abort();
            parentCancelRequested = true;
            parent.cancel();
        }
    }

    @Override
    public String toString() {
        return "TaskGroup[tasks=" + tasks.size() + (aborting ? ", aborting" : "") + (finished ? ", finished" : "")
                + (exiting && !finished ? ", exiting" : "") + "]";
    }
}
