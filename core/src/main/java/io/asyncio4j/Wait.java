package io.asyncio4j;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * asyncio's {@code wait} and {@code as_completed}: waiting for some of several futures without taking their
 * results. The public entry points are {@link Asyncio#wait} and {@link Asyncio#asCompleted}.
 *
 * <h2>Cancellation</h2>
 * Neither cancels the futures it waits for: cancelling the waiting task ends only the wait (the task gets
 * a {@link CancelledError}); the futures go on. A timeout does not cancel them either: {@code wait} returns
 * what is done by then, {@code asCompleted}'s iterator raises {@link TimeoutError}.
 */
final class Wait {
    /*
     * Implementation overview (asyncio 3.14 tasks.py _wait and 3.13's _AsCompletedIterator).
     *
     * wait: one done callback (a single Consumer, so removeDoneCallback finds it) counts completions and
     * completes a private waiter future when the ReturnWhen condition holds; an optional timer completes
     * the waiter too. The task awaits the waiter (so a cancel of the task cancels only the waiter); on the
     * way out the timer is cancelled and the callbacks removed. Done callbacks run via callSoon even for
     * futures already done, so wait always lets other tasks run once, as asyncio.
     *
     * asCompleted: a done callback moves each future, as it completes, from `todo` to the `ready` deque;
     * the timer instead removes the callbacks and puts one TIMEOUT marker per future still to come. The
     * iterator's next() takes from `ready`, parking on a fresh getter future while it is empty (asyncio
     * uses a Queue there). Futures already done get their callbacks scheduled at once, in input order, so
     * they come first, in input order.
     */
    private static final Object TIMEOUT = new Object();

    private Wait() {
    }

    static <T> Done<T> wait(Collection<? extends Future<T>> fs, ReturnWhen when, Duration timeout) {
        Objects.requireNonNull(fs, "fs");
        Objects.requireNonNull(when, "Asyncio.wait(): when is null; pass ReturnWhen.ALL_COMPLETED, "
                + "FIRST_COMPLETED or FIRST_EXCEPTION");
        Task<?> task = Task.requireCurrent("Asyncio.wait()");
        Set<Future<T>> set = distinct("Asyncio.wait()", fs, task);
        if (set.isEmpty()) {
            throw new IllegalArgumentException("Asyncio.wait(): the set of tasks/futures is empty; "
                    + "pass at least one (asyncio: 'Set of Tasks/Futures is empty.')");
        }
        EventLoop loop = task.loop;
        Future<Void> waiter = new Future<>(loop);
        TimerHandle timer = timeout == null ? null
                : loop.callLaterInternal(toNanos(timeout), () -> releaseWaiter(waiter));
        Consumer<Future<T>> onCompletion = new Consumer<>() {
            private int counter = set.size();

            @Override
            public void accept(Future<T> f) {
                counter--;
                if (counter <= 0 || when == ReturnWhen.FIRST_COMPLETED
                        || when == ReturnWhen.FIRST_EXCEPTION && !f.cancelled() && f.exception() != null) {
                    if (timer != null) {
                        timer.cancel();
                    }
                    releaseWaiter(waiter);
                }
            }
        };
        for (Future<T> f : set) {
            f.addDoneCallback(onCompletion);
            f.addAwaitedBy(task);
        }
        try {
            waiter.await();
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            for (Future<T> f : set) {
                f.removeDoneCallback(onCompletion);
                f.discardAwaitedBy(task);
            }
        }
        Set<Future<T>> done = new LinkedHashSet<>();
        Set<Future<T>> pending = new LinkedHashSet<>();
        for (Future<T> f : set) {
            (f.done() ? done : pending).add(f);
        }
        return new Done<>(done, pending);
    }

    private static void releaseWaiter(Future<Void> waiter) {
        if (!waiter.done()) {
            waiter.complete(null);
        }
    }

    /** The futures without duplicates, in input order; each must belong to the task's loop. */
    private static <T> Set<Future<T>> distinct(String api, Collection<? extends Future<T>> fs, Task<?> task) {
        Set<Future<T>> set = new LinkedHashSet<>(); // Future keeps Object's identity equality
        int i = 0;
        for (Future<T> f : fs) {
            Objects.requireNonNull(f, api + ": future " + i + " is null");
            Gather.ensureSameLoop(api, f, task);
            set.add(f);
            i++;
        }
        return set;
    }

    static long toNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    static <T> Iterable<Future<T>> asCompleted(Collection<? extends Future<T>> fs, Duration timeout) {
        Objects.requireNonNull(fs, "fs");
        Task<?> task = Task.requireCurrent("Asyncio.asCompleted()");
        return new AsCompleted<>(task.loop, distinct("Asyncio.asCompleted()", fs, task), timeout);
    }

    /** The iterator of {@code asCompleted}; it is its own Iterable, so iterating again resumes it (asyncio). */
    private static final class AsCompleted<T> implements Iterable<Future<T>>, Iterator<Future<T>> {
        private final EventLoop loop;
        private final Duration timeout;
        // all fields below: loop thread only
        private final Set<Future<T>> todo;
        private final ArrayDeque<Object> ready = new ArrayDeque<>();
        private final Consumer<Future<T>> onCompletion = this::handleCompletion;
        private final TimerHandle timer;
        private int todoLeft;
        private Future<Void> getter;

        AsCompleted(EventLoop loop, Set<Future<T>> todo, Duration timeout) {
            this.loop = loop;
            this.todo = todo;
            this.timeout = timeout;
            this.todoLeft = todo.size();
            for (Future<T> f : todo) {
                f.addDoneCallback(onCompletion);
            }
            timer = !todo.isEmpty() && timeout != null ? loop.callLaterInternal(toNanos(timeout), this::handleTimeout)
                    : null;
        }

        private void handleTimeout() {
            for (Future<T> f : todo) {
                f.removeDoneCallback(onCompletion);
                put(TIMEOUT);
            }
            todo.clear();
        }

        private void handleCompletion(Future<T> f) {
            if (todo.isEmpty()) {
                return; // handleTimeout was here first
            }
            todo.remove(f);
            put(f);
            if (todo.isEmpty() && timer != null) {
                timer.cancel();
            }
        }

        private void put(Object item) {
            ready.add(item);
            if (getter != null) {
                releaseWaiter(getter);
            }
        }

        @Override
        public Iterator<Future<T>> iterator() {
            return this;
        }

        /** Whether futures are still to come; does not wait. */
        @Override
        public boolean hasNext() {
            return todoLeft > 0;
        }

        /**
         * Parks the current task until the next future is done and returns it; throws {@link TimeoutError}
         * once the timeout has passed, and {@link CancelledError} if the task is cancelled meanwhile (as
         * asyncio's {@code __anext__}, that future's turn is then used up).
         */
        @Override
        @SuppressWarnings("unchecked")
        public Future<T> next() {
            if (todoLeft <= 0) {
                throw new NoSuchElementException("Asyncio.asCompleted(): every future was already returned");
            }
            Task<?> task = Task.requireCurrent("iterating Asyncio.asCompleted()");
            if (task.loop != loop) {
                throw new IllegalStateException("iterating Asyncio.asCompleted(): task '" + task.getName()
                        + "' runs on another event loop than the futures; iterate in a task of their loop");
            }
            todoLeft--;
            while (ready.isEmpty()) {
                Future<Void> g = new Future<>(loop);
                getter = g;
                try {
                    g.await();
                } finally {
                    getter = null;
                }
            }
            Object item = ready.poll();
            if (item == TIMEOUT) {
                throw new TimeoutError("Asyncio.asCompleted(): the timeout of " + timeout
                        + " passed before every future was done");
            }
            return (Future<T>) item;
        }
    }
}
