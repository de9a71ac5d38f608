package io.asyncio4j.files;

import io.asyncio4j.Asyncio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one JVM-wide pool that runs this module's blocking file calls, and the helper that runs a call there
 * while the calling task waits.
 *
 * <p>{@value #THREADS} daemon platform threads named {@code asyncio4j-files-N}, created on first use (the
 * pool itself is created when this class is first used) and ended after {@value #KEEP_ALIVE_SECONDS} s idle.
 * Work beyond {@value #THREADS} calls queues, unbounded, in submission order. Platform threads, not virtual
 * ones: a file read pins its carrier anyway, and a separate pool keeps slow disks from starving the loop's
 * default executor ({@code Asyncio.toThread}).
 */
final class FilesPool {
    /*
     * Implementation overview.
     *
     * A fixed ThreadPoolExecutor whose core threads time out, held in a lazy holder class. run() submits
     * with Asyncio.runInExecutor, so the task parks in the kernel's await and a cancel of the task cancels
     * only the future: work not started yet is skipped, work started runs to its end (never interrupted;
     * FileChannel would close itself on an interrupt). `pending` and `started` exist for tests: the first
     * says when work a cancelled task left behind has ended (runInExecutor runs a skipped item's Runnable
     * too, which returns at once), the second counts blocking calls.
     */
    static final int THREADS = 4;
    static final int KEEP_ALIVE_SECONDS = 30;

    // incremented by pool threads; read by tests
    private static final AtomicLong started = new AtomicLong();
    // work submitted and not yet ended (run or skipped): incremented by submitting tasks, decremented by pool threads
    private static final AtomicInteger pending = new AtomicInteger();

    private static final Object ABANDONED = new Object();

    private FilesPool() {
    }

    /** A blocking file call. */
    @FunctionalInterface
    interface IoCall<T> {
        T call() throws IOException;
    }

    private static final class Holder {
        static final ThreadPoolExecutor POOL = create();
        static final Executor EXECUTOR = work -> {
            pending.incrementAndGet();
            try {
                POOL.execute(() -> {
                    try {
                        work.run();
                    } finally {
                        pending.decrementAndGet();
                    }
                });
            } catch (RuntimeException e) {
                pending.decrementAndGet();
                throw e;
            }
        };

        private static ThreadPoolExecutor create() {
            AtomicInteger ids = new AtomicInteger();
            ThreadFactory factory = r -> {
                Thread t = new Thread(r, "asyncio4j-files-" + ids.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), factory);
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }

    /**
     * Runs {@code call} on the pool and returns its result once it is done; the calling task waits, other
     * tasks run. An {@link IOException} surfaces as an {@link UncheckedIOException} whose cause is the
     * JDK's exception ({@code NoSuchFileException}, ...).
     *
     * @throws io.asyncio4j.CancelledError if the task is cancelled while it waits; the call is not interrupted
     * @throws IllegalStateException       outside a task
     */
    static <T> T run(String api, IoCall<T> call) {
        ensureInTask(api);
        return Asyncio.runInExecutor(Holder.EXECUTOR, () -> {
            started.incrementAndGet();
            try {
                return call.call();
            } catch (IOException e) {
                throw new UncheckedIOException(api + " failed: " + e, e);
            }
        });
    }

    /**
     * {@link #run} for a call that opens a channel: if the task is cancelled while it waits (or the wait fails
     * otherwise), the channel is closed, now or as soon as the pool has opened it, instead of leaking.
     */
    static FileChannel open(String api, IoCall<FileChannel> opener) {
        // null: nobody is done yet; the channel: opened; ABANDONED: the task gave up waiting
        AtomicReference<Object> handOff = new AtomicReference<>();
        try {
            return run(api, () -> {
                FileChannel ch = opener.call();
                if (!handOff.compareAndSet(null, ch)) {
                    ch.close(); // the task was cancelled meanwhile: nobody will ever see this channel
                }
                return ch;
            });
        } catch (RuntimeException | Error e) {
            //   task waits ─▶ pool opens, hands off ─▶ task cancelled before it resumes: close it here
            if (handOff.getAndSet(ABANDONED) instanceof FileChannel ch) {
                try {
                    ch.close();
                } catch (IOException c) {
                    e.addSuppressed(c);
                }
            }
            throw e;
        }
    }

    /** Runs {@code work} on the pool without waiting for it (clean-up nobody waits for). */
    static void execute(Runnable work) {
        Holder.EXECUTOR.execute(work);
    }

    /** Throws the module's clear error when the caller is not a task: only a task can wait for the pool. */
    static void ensureInTask(String api) {
        if (Asyncio.currentTask() == null) {
            throw new IllegalStateException(api + " must be called inside a task (inside Asyncio.run(...) or a task it "
                    + "created): it waits for a file call on the asyncio4j-files pool; on thread '"
                    + Thread.currentThread().getName() + "' there is no task to wait. Outside a loop, use java.nio.file.Files");
        }
    }

    /** For tests: how many blocking calls the pool has started since the JVM started. */
    static long startedCalls() {
        return started.get();
    }

    /** For tests: waits (really, a few ms at a time) until the pool runs and queues nothing. */
    static void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pending.get() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the asyncio4j-files pool is still busy after 10 s");
            }
            Thread.sleep(2);
        }
    }
}
