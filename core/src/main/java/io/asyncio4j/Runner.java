package io.asyncio4j;

import io.asyncio4j.internal.carrier.CarrierBackend;
import io.asyncio4j.internal.introspect.Introspection;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs bodies on one event loop and cleans up after them (asyncio's {@code asyncio.Runner}).
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * try (Runner runner = Runner.builder().virtualTime(true).build()) {
 *     runner.run(() -> setUp());
 *     String answer = runner.run(() -> work());     // same loop: tasks left by setUp() go on running
 * }                                                // close(): cancel leftovers, report, shut down
 * }</pre>
 * {@link #run} runs the loop on the calling thread until the body's task ends, and returns its result
 * (or throws its failure, as {@link Future#result()}). Every body runs in the same {@link Context}, a copy
 * of the caller's taken by the first {@code run()}: a {@link ContextVar} set by one body is seen by the next
 * (asyncio's {@code Runner} does the same). Called on a virtual thread, it runs the loop on a
 * new platform thread and waits for it. Interrupting the thread that runs the loop cancels the body's task
 * (this library's Ctrl-C).
 *
 * <h2>States</h2>
 * <pre>
 *   CREATED ──run()──▶ INITIALIZED ──run()…──▶ INITIALIZED ──close()──▶ CLOSED
 *      └────────────────────────close()────────────────────────────────▶ CLOSED
 * </pre>
 * {@link #close()} cancels every task still alive (also tasks spawned while they shut down), runs the loop
 * until they are done, reports failures nobody retrieved to the loop's exception handler, shuts down the
 * default executor (waiting for its work) and closes the loop. {@code run()} after {@code close()} fails.
 *
 * <h2>Thread-safety</h2>
 * One thread at a time; {@code run()} cannot be called from inside a running loop.
 */
public final class Runner implements AutoCloseable {
    private static final AtomicInteger LOOP_THREADS = new AtomicInteger();

    private final Builder config;
    // written and read by the thread using the runner
    private EventLoop loop;
    private boolean closed;
    // the VirtualMachineError that the last run() threw, if any: close() does not throw it a second time
    private VirtualMachineError thrownFatal;
    // the context every run() runs its body in (asyncio.Runner's _context): a copy of the context of the
    // thread that first called run(); written and read by the thread using the runner
    private Context context;

    /** A runner with default settings (debug mode from the {@code ASYNCIO4J_DEBUG} environment variable). */
    public Runner() {
        this(new Builder());
    }

    private Runner(Builder config) {
        this.config = config.copy();
    }

    /** Settings for a runner. */
    public static Builder builder() {
        return new Builder();
    }

    /** Runs {@code main} as a task on this runner's loop until it ends; returns its result. */
    public <T> T run(Callable<T> main) {
        return run(main, "Runner.run()");
    }

    /** Runs a void body; see {@link #run(Callable)}. */
    public void run(ThrowingRunnable main) {
        Objects.requireNonNull(main, "main");
        run(main.asCallable(), "Runner.run()");
    }

    <T> T run(Callable<T> main, String api) {
        Objects.requireNonNull(main, "main");
        if (EventLoop.runningOrNull() != null) {
            throw new IllegalStateException(api + " cannot be called from a running event loop; inside a task, call "
                    + "the body directly, or start it concurrently with Asyncio.createTask(...)");
        }
        ensureNotClosed(api);
        if (context == null) {
            context = Context.copyContext(); // before a hop to a platform thread: the caller's context
        }
        if (Thread.currentThread().isVirtual()) {
            return onPlatformThread(() -> run(main, api));
        }
        EventLoop l = getLoop();
        Task<T> task = l.createTask(main, null, context);
        try {
            l.runUntilComplete(task);
        } catch (VirtualMachineError fatal) {
            thrownFatal = fatal;
            throw fatal;
        }
        return task.result();
    }

    /** The runner's loop, created on first use. */
    public EventLoop getLoop() {
        ensureNotClosed("Runner.getLoop()");
        if (loop == null) {
            CarrierBackend backend = CarrierBackend.get(); // fails at once, with instructions, without --add-opens
            loop = new EventLoop(config.debug(), config.virtualTime, config.slowCallback, config.executor, backend);
            if (!config.introspection) {
                Introspection.optOut(loop);
            }
        }
        return loop;
    }

    /**
     * Cancels and awaits leftover tasks, reports unretrieved failures, shuts down the default executor and
     * closes the loop. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (loop != null && EventLoop.runningOrNull() == loop) {
            throw new IllegalStateException("Runner.close() cannot be called from inside its own running loop");
        }
        if (loop != null && Thread.currentThread().isVirtual()) {
            onPlatformThread(() -> {
                close();
                return null;
            });
            return;
        }
        closed = true;
        EventLoop l = loop;
        if (l == null) {
            return;
        }
        try {
            cancelAllTasks(l);
            l.reportUnretrieved();
            l.shutdownDefaultExecutor();
        } finally {
            l.close();
        }
    }

    /**
     * Cancels the leftover tasks. A task that re-raises the fatal error run() already threw when it is
     * cancelled (a TaskGroup whose child hit it does) ends there; the shutdown goes on with the others
     * instead of throwing that error again, which in try-with-resources would replace it with a
     * "Self-suppression not permitted" error.
     */
    private void cancelAllTasks(EventLoop l) {
        while (true) {
            try {
                l.cancelAllTasks();
                return;
            } catch (VirtualMachineError again) {
                if (again != thrownFatal) {
                    throw again;
                }
            }
        }
    }

    private void ensureNotClosed(String api) {
        if (closed) {
            throw new IllegalStateException(api + ": the Runner is closed");
        }
    }

    /** Runs {@code body} on a new platform thread and waits for it: a loop cannot run on a virtual thread. */
    private static <T> T onPlatformThread(Callable<T> body) {
        Object[] outcome = new Object[2];
        Thread t = Thread.ofPlatform().name("asyncio4j-loop-" + LOOP_THREADS.incrementAndGet()).start(() -> {
            try {
                outcome[0] = body.call();
            } catch (Throwable e) {
                outcome[1] = e;
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                t.interrupt(); // cancels the body's task
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (outcome[1] != null) {
            throw Future.surface((Throwable) outcome[1]);
        }
        @SuppressWarnings("unchecked")
        T result = (T) outcome[0];
        return result;
    }

    /** Settings for a {@link Runner}. */
    public static final class Builder {
        private Boolean debug;
        private boolean virtualTime;
        private Duration slowCallback;
        private Executor executor;
        private boolean introspection = true;

        private Builder() {
        }

        /** Debug mode: a 100 ms watchdog threshold and creation traces of tasks. Default: {@code ASYNCIO4J_DEBUG=1}. */
        public Builder debug(boolean enabled) {
            this.debug = enabled;
            return this;
        }

        /** Virtual time: the clock jumps to the next timer when every task waits (see {@link EventLoop}). */
        public Builder virtualTime(boolean enabled) {
            this.virtualTime = enabled;
            return this;
        }

        /** The watchdog threshold: 1 s by default, 100 ms in debug mode. */
        public Builder slowCallbackDuration(Duration duration) {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("slowCallbackDuration must be positive, got " + duration);
            }
            this.slowCallback = duration;
            return this;
        }

        /**
         * The executor of {@code toThread} and {@code runInExecutor(null, ...)}. Default: a pool of up to
         * min(32, cores + 4) daemon platform threads, owned and shut down by the runner; an executor given
         * here is not shut down by the runner.
         */
        public Builder defaultExecutor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Introspection: while the loop runs, a platform MBean ({@code io.asyncio4j:type=EventLoop,name=EventLoop-N})
         * answers snapshots of its tasks to {@code asyncio4j ps PID} and {@code asyncio4j pstree PID} (through
         * the JDK's attach mechanism; the process needs no flag). Default: on, unless the JVM runs with
         * {@code -Dasyncio4j.introspection=false}. Off here, this runner's loop registers nothing.
         */
        public Builder introspection(boolean enabled) {
            this.introspection = enabled;
            return this;
        }

        public Runner build() {
            return new Runner(this);
        }

        boolean debug() {
            return debug != null ? debug : debugFromEnvironment();
        }

        Builder copy() {
            Builder b = new Builder();
            b.debug = debug;
            b.virtualTime = virtualTime;
            b.slowCallback = slowCallback;
            b.executor = executor;
            b.introspection = introspection;
            return b;
        }

        static boolean debugFromEnvironment() {
            String v = System.getenv("ASYNCIO4J_DEBUG");
            return v != null && !v.isEmpty() && !v.equals("0") && !v.equalsIgnoreCase("false");
        }
    }
}
