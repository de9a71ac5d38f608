package io.asyncio4j.sqlite;

import io.asyncio4j.CancelledError;

import org.sqlite.SQLiteConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one platform thread of a {@link Database}: it owns the JDBC connection and runs the connection's
 * work items one after the other, in the order they were submitted (aiosqlite's connection thread).
 *
 * <p>A work item is a {@link Runnable} handed to {@link #execute}; {@link Database} submits them through
 * the loop's {@code runInExecutor}, so the task that waits for one parks in the kernel's await. A work item
 * that runs SQL goes through {@link #run(Job, SqlWork)}, which records it as the running {@link Job} so that
 * a cancel of the waiting task can interrupt exactly that statement ({@link #interrupt(Job)}).
 *
 * <p>The thread is a daemon: a {@code Database} nobody closed never keeps the JVM alive.
 */
final class Worker implements Executor {
    /*
     * Implementation overview.
     *
     * `queue` is an unbounded FIFO of Runnables; the thread takes them one at a time until it takes STOP,
     * which close() puts after the work that closes the connection. `current` is the Job whose SQL runs now;
     * it is set and cleared under `interruptLock`, and interrupt(job) calls sqlite3_interrupt under the
     * same lock only while `current == job`. So the interrupt can never land on the next job:
     *
     *   worker: current = A, runs A's statement ... statement ends ... current = null ─▶ takes B
     *   task:   cancel ─▶ interrupt(A): lock; current == A? interrupt : nothing; unlock
     *
     * If the interrupt comes while A's statement has already ended but `current` is still A, sqlite3_interrupt
     * finds no statement running and does nothing (SQLite resets its interrupt flag when no statement runs).
     * A job cancelled before it started is marked `cancelled` under the lock and never starts.
     *
     * `statements` caches prepared statements by SQL text (thread-confined, LRU of CACHE_SIZE, as Python's
     * sqlite3 caches 128), so a point query prepared once is only re-bound and re-run.
     */
    static final int CACHE_SIZE = 128;
    private static final Runnable STOP = () -> { };
    private static final AtomicInteger IDS = new AtomicInteger();

    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Object interruptLock = new Object();
    // written and read under interruptLock
    private Job current;
    // written once by the worker (open); read by the worker, and by interrupt() under interruptLock (volatile)
    private volatile Connection connection;
    // worker thread only
    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(16, 0.75f, true);

    /** One piece of SQL work whose waiting task may cancel it. */
    static final class Job {
        // written and read under the worker's interruptLock
        boolean cancelled;
        // written under the worker's interruptLock; read by the worker after the job (volatile)
        volatile boolean interrupted;

        boolean cancelledWhileRunning() {
            return interrupted;
        }
    }

    /** SQL work run on the connection thread. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    // final; read by the worker for error messages
    private final java.time.Duration busyTimeout;

    Worker(String name, java.time.Duration busyTimeout) {
        this.busyTimeout = busyTimeout;
        thread = Thread.ofPlatform().daemon(true).name("asyncio4j-sqlite-" + IDS.incrementAndGet() + " " + name)
                .unstarted(this::loop);
        thread.start();
    }

    @Override
    public void execute(Runnable work) {
        queue.add(work);
    }

    /** The connection's busy timeout, for error messages. */
    java.time.Duration busyTimeout() {
        return busyTimeout;
    }

    boolean isWorkerThread() {
        return Thread.currentThread() == thread;
    }

    private void loop() {
        while (true) {
            Runnable work;
            try {
                work = queue.take();
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread on purpose; keep serving the queue
            }
            if (work == STOP) {
                return;
            }
            try {
                work.run();
            } catch (Throwable e) {
                // runInExecutor's wrapper never throws; anything else is a bug worth seeing, not a dead thread
                Database.LOG.log(System.Logger.Level.ERROR, "sqlite connection thread: work item failed", e);
            }
        }
    }

    /** Sets the connection; worker thread only, once. */
    void opened(Connection c) {
        connection = c;
    }

    Connection connection() {
        return connection;
    }

    /**
     * Runs {@code work} as {@code job} on this (the worker) thread, interruptible by {@link #interrupt(Job)}.
     *
     * @throws CancelledError if the job was cancelled before it started
     */
    <T> T run(Job job, SqlWork<T> work) throws SQLException {
        synchronized (interruptLock) {
            if (job.cancelled) {
                throw new CancelledError("the statement was cancelled before it started");
            }
            current = job;
        }
        try {
            return work.run(connection);
        } finally {
            synchronized (interruptLock) {
                current = null;
            }
        }
    }

    /**
     * Interrupts {@code job}'s statement if it runs now ({@code sqlite3_interrupt}); marks it so that it never
     * starts if it has not started yet. Any thread.
     */
    void interrupt(Job job) {
        synchronized (interruptLock) {
            job.cancelled = true;
            if (current == job && connection instanceof SQLiteConnection c) {
                job.interrupted = true;
                try {
                    c.getDatabase().interrupt();
                } catch (SQLException e) {
                    Database.LOG.log(System.Logger.Level.DEBUG, "sqlite3_interrupt failed", e);
                }
            }
        }
    }

    /** The cached prepared statement for {@code sql}, preparing it on first use. Worker thread only. */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
            if (statements.size() > CACHE_SIZE) {
                Iterator<PreparedStatement> eldest = statements.values().iterator();
                PreparedStatement old = eldest.next();
                eldest.remove();
                old.close();
            }
        }
        return ps;
    }

    /**
     * Drops {@code sql}'s cached statement after it failed: closing it finalizes it in SQLite, which an
     * interrupted statement needs (until it is reset, SQLite keeps the interrupt pending and fails the next
     * statements with SQLITE_INTERRUPT too). Worker thread only.
     */
    void discard(String sql) {
        PreparedStatement ps = sql == null ? null : statements.remove(sql);
        if (ps != null) {
            try {
                ps.close();
            } catch (SQLException e) {
                Database.LOG.log(System.Logger.Level.DEBUG, "closing a failed statement failed", e);
            }
        }
    }

    /** Closes every cached statement: after an interrupt, none may stay active and keep the interrupt pending. */
    void discardAll() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                Database.LOG.log(System.Logger.Level.DEBUG, "closing a cached statement failed", e);
            }
        }
        statements.clear();
    }

    /** Closes the cached statements and the connection. Worker thread only. */
    void closeConnection() throws SQLException {
        try {
            for (PreparedStatement ps : statements.values()) {
                ps.close();
            }
            statements.clear();
        } finally {
            Connection c = connection;
            if (c != null) {
                c.close();
            }
        }
    }

    /** Ends the thread after the work queued so far; the work queued after this never runs. Any thread. */
    void stop() {
        execute(STOP);
    }

    /** Waits (really) until the thread has ended; for tests and the loop-close path on a plain thread. */
    boolean join(long millis) throws InterruptedException {
        return thread.join(java.time.Duration.ofMillis(millis));
    }

    String threadName() {
        return thread.getName();
    }
}
