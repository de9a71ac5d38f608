package io.asyncio4j;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * asyncio's {@code gather}: waits for several futures and returns their results in input order. The public
 * entry points are {@link Asyncio#gather} and {@link Asyncio#gatherSettled}.
 *
 * <h2>Cancellation</h2>
 * The awaiting task waits for a {@link GatheringFuture}. Cancelling the task forwards the cancel to it, and
 * it cancels every child that is not done yet; once the children have finished, the task gets a
 * {@link CancelledError}, in settled mode too (asyncio issue 32684). A child that is cancelled by other
 * means counts as a child that failed with a {@link CancelledError}: the other children are not cancelled.
 * When one child fails (plain mode) the failure reaches the awaiting task at once and the other children
 * keep running; their later failures are marked retrieved, so nothing is reported as never retrieved.
 */
final class Gather {
    /*
     * Implementation overview (asyncio 3.14 tasks.py gather and _done_callback).
     *
     * Every distinct child gets one done callback, the shared State; duplicates in the input are gathered
     * once (an IdentityHashMap from argument to child) and appear once per occurrence in `children`, so
     * their result appears once per occurrence too. `nfuts` counts distinct children, `nfinished` the
     * callbacks run so far. The outer future is completed by the first failure (plain mode) or by the
     * callback that sees nfinished == nfuts. Children already done when gather starts are processed
     * synchronously after the outer future exists (3.12+), so a gather of done futures completes before
     * it is awaited and the awaiting task does not switch.
     *
     * Call graph: each pending child records the current task as its awaiter until its callback runs;
     * the task itself records that it awaits the outer future (Task.awaitFuture).
     */

    private Gather() {
    }

    /** Creates a task per callable, in order, and gathers them. */
    static List<Object> gatherCallables(String api, List<? extends Callable<?>> coros, boolean settled) {
        Objects.requireNonNull(coros, "coros");
        Task<?> task = Task.requireCurrent(api);
        for (int i = 0; i < coros.size(); i++) {
            Objects.requireNonNull(coros.get(i), api + ": callable " + i + " is null");
        }
        List<Future<?>> tasks = new ArrayList<>(coros.size());
        for (Callable<?> coro : coros) {
            tasks.add(task.loop.createTask(coro, null));
        }
        return run(task, tasks, settled);
    }

    /** Gathers existing futures (tasks or plain futures) of the current task's loop. */
    static List<Object> gatherFutures(String api, Collection<? extends Future<?>> futures, boolean settled) {
        Objects.requireNonNull(futures, "futures");
        Task<?> task = Task.requireCurrent(api);
        List<Future<?>> list = new ArrayList<>(futures.size());
        int i = 0;
        for (Future<?> f : futures) {
            Objects.requireNonNull(f, api + ": future " + i + " is null");
            ensureSameLoop(api, f, task);
            list.add(f);
            i++;
        }
        return run(task, list, settled);
    }

    /** The rule asyncio's ensure_future enforces with ValueError. */
    static void ensureSameLoop(String api, Future<?> f, Task<?> task) {
        if (f.loop != task.loop) {
            throw new IllegalArgumentException(api + ": " + f + " belongs to a different event loop than task '"
                    + task.getName() + "'; combine only futures of the running loop (hand results between "
                    + "loops with toCompletableFuture() and Future.wrap())");
        }
    }

    private static List<Object> run(Task<?> task, List<Future<?>> args, boolean settled) {
        if (args.isEmpty()) {
            return new ArrayList<>(); // asyncio: a future that is already done; awaiting it does not switch
        }
        return start(task.loop, task, args, settled).await();
    }

    /**
     * Starts gathering {@code args} and returns the outer future, done already when every child was done.
     * {@code current} is the task that will await it (recorded in the call graph), or null.
     */
    static GatheringFuture<List<Object>> start(EventLoop loop, Task<?> current, List<? extends Future<?>> args,
                                               boolean settled) {
        Map<Future<?>, Future<?>> seen = new IdentityHashMap<>();
        List<Future<?>> children = new ArrayList<>(args.size());
        List<Future<?>> doneChildren = new ArrayList<>();
        State state = new State(children, settled, current);
        for (Future<?> f : args) {
            if (seen.putIfAbsent(f, f) == null) {
                state.nfuts++;
                if (f.done()) {
                    doneChildren.add(f);
                } else {
                    if (current != null) {
                        f.addAwaitedBy(current);
                    }
                    f.addDoneCallback(state);
                }
            }
            children.add(f);
        }
        GatheringFuture<List<Object>> outer = new GatheringFuture<>(loop, children);
        state.outer = outer;
        for (Future<?> f : doneChildren) {
            state.childDone(f);
        }
        return outer;
    }

    /** The done callback shared by all children of one gather. */
    private static final class State implements Consumer<Future<?>> {
        // all fields: loop thread only
        private final List<Future<?>> children;
        private final boolean settled;
        private final Task<?> current;
        private GatheringFuture<List<Object>> outer;
        private int nfuts;
        private int nfinished;

        State(List<Future<?>> children, boolean settled, Task<?> current) {
            this.children = children;
            this.settled = settled;
            this.current = current;
        }

        /** A child that was pending when gather started is done (run via callSoon). */
        @Override
        public void accept(Future<?> fut) {
            if (current != null) {
                fut.discardAwaitedBy(current);
            }
            childDone(fut);
        }

        void childDone(Future<?> fut) {
            nfinished++;
            if (outer.done()) {
                // The first failure already went to the awaiter: asyncio marks later failures retrieved.
                if (!fut.cancelled()) {
                    fut.exception();
                }
                return;
            }
            if (!settled) {
                if (fut.cancelled()) {
                    outer.fail(fut.newCancelledError());
                    return;
                }
                Throwable exc = fut.exception();
                if (exc != null) {
                    outer.fail(exc);
                    return;
                }
            }
            if (nfinished == nfuts) {
                List<Object> results = new ArrayList<>(children.size());
                for (Future<?> child : children) {
                    results.add(settled ? outcome(child) : child.result());
                }
                if (outer.cancelRequested) {
                    // gather was cancelled: the awaiter gets a CancelledError whatever the mode (asyncio
                    // issue 32684); asyncio makes it from the last child, as we do
                    outer.fail(children.getLast().newCancelledError());
                } else {
                    outer.complete(results);
                }
            }
        }

        private static Outcome<Object> outcome(Future<?> child) {
            if (child.cancelled()) {
                return new Outcome.Failure<>(new CancelledError(child.cancelMessage()));
            }
            Throwable exc = child.exception();
            return exc != null ? new Outcome.Failure<>(exc) : new Outcome.Success<>(child.result());
        }
    }
}
