package io.asyncio4j.sqlite;

import io.asyncio4j.AsyncGenerator;
import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.ScopeBody;
import io.asyncio4j.Task;
import io.asyncio4j.ThrowingFunction;

import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A SQLite database connection for tasks (Python's {@code aiosqlite.Connection}): every call runs on the
 * connection's own thread while the calling task waits and the loop runs other tasks.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Asyncio.run(() -> {
 *     try (Database db = Database.connect("app.db")) {            // async with aiosqlite.connect(...) as db:
 *         db.execute("CREATE TABLE IF NOT EXISTS users(id INTEGER PRIMARY KEY, name TEXT)");
 *         db.execute("INSERT INTO users(name) VALUES (?)", "Ada");
 *         for (Row row : db.query("SELECT id, name FROM users")) {  // await (await db.execute(...)).fetchall()
 *             System.out.println(row.getLong("id") + " " + row.getString("name"));
 *         }
 *         db.transaction(tx -> {                                   // BEGIN IMMEDIATE ... COMMIT
 *             tx.execute("UPDATE users SET name = ? WHERE id = ?", "Grace", 1);
 *             return null;
 *         });
 *     }
 *     return null;
 * });
 * }</pre>
 *
 * <h2>The model</h2>
 * SQLite is a C library; a JDBC call into it blocks its thread and would freeze the loop if a task made it
 * directly. As in aiosqlite, each {@code Database} owns one daemon platform thread ({@code asyncio4j-sqlite-N})
 * that holds the JDBC connection and runs the connection's statements one after the other, in the order the
 * calls were made. A call parks the calling task until its statement is done. Tasks may share one
 * {@code Database}: their statements queue on its thread. A {@code Database} belongs to the event loop that
 * opened it; call it from that loop's tasks only.
 *
 * <h2>States</h2>
 * <pre>
 *   connect() ──▶ OPEN ──close()───────────────────────▶ CLOSED   (statements already queued finish first)
 *                   │  └─the loop closes, close() forgotten ─▶ CLOSED, with a warning naming where it was opened
 *                   └─ transaction(): IN TRANSACTION (one task owns it; others' statements wait) ─▶ OPEN
 * </pre>
 *
 * <h2>Transactions</h2>
 * Outside {@link #transaction} each statement commits on its own (autocommit). {@code transaction(tx -> ...)}
 * runs {@code BEGIN IMMEDIATE} (it takes the write lock at once, so it cannot fail half-way for a lock),
 * runs the body, and commits when it returns or rolls back when it throws or the task is cancelled. While
 * one task's transaction is open, every other task's statements on this {@code Database} wait, first come
 * first served, until it ends: they never interleave into it (aiosqlite lets them, the most common way to
 * lose a write there). A {@code transaction} inside a transaction of the same task is a savepoint.
 *
 * <h2>Cancellation</h2>
 * Cancelling a task whose statement runs interrupts that statement inside SQLite ({@code sqlite3_interrupt});
 * the task gets {@link CancelledError} at once and the connection stays usable for the next statement. A
 * statement still queued is skipped. A task cancelled inside {@link #transaction} rolls the transaction back.
 * {@code COMMIT} and {@code ROLLBACK} are never interrupted: a cancel that arrives while COMMIT runs may
 * find the transaction committed. A task waiting for another task's transaction loses its place when
 * cancelled.
 *
 * <h2>Thread-safety</h2>
 * Any task of the loop that opened it; never a plain thread or another loop's task ({@link #close()} excepted).
 * Functions given to {@link #createFunction} and backup progress callbacks run on the connection's thread.
 *
 * <h2>Pitfalls</h2>
 * <ul>
 *   <li>A transaction's body must not wait for another task that uses the same {@code Database}: that task's
 *       statements wait for the transaction to end, and the transaction waits for the task.</li>
 *   <li>{@code execute("BEGIN")} by hand opens a transaction nobody guards; use {@link #transaction}.</li>
 *   <li>Forgetting {@link #close()} never hangs the JVM (the thread is a daemon), but the connection stays open
 *       until the loop closes.</li>
 * </ul>
 */
public final class Database implements AutoCloseable {
    /*
     * Implementation overview.
     *
     * Every call is call(actor, api, sql, interruptible, work): wait for our turn (the transaction lock, only
     * when another task owns a transaction), then loop.runInExecutor(worker, ...) and await the future. The
     * kernel's await forwards a cancel to that future, and runInExecutor keeps virtual time still while the
     * work is in flight. A CancelledError from the await interrupts the job if it runs (Worker.interrupt).
     *
     * Exclusion of other tasks' statements from a transaction: see Transactions.
     *
     * Rollbacks are queued on the worker without waiting (so a cancelled task cannot skip one); the worker's
     * FIFO order puts them before any statement submitted after them.
     *
     * Streams and iterdump run in a generator's own task; they act for the task that created them (`actor`),
     * so a stream opened inside a transaction belongs to it.
     *
     * Loop close: connect() starts a small guard task that awaits `closedSignal`. If the loop closes while the
     * Database is open, Runner.close() cancels the guard, which warns (naming where the Database was opened)
     * and closes the connection.
     */
    static final System.Logger LOG = System.getLogger("io.asyncio4j.sqlite");

    /** Rows fetched per round trip to the connection thread by {@link #stream} (aiosqlite's {@code iter_chunk_size}). */
    public static final int STREAM_CHUNK = 64;

    private final String path;
    private final ConnectOptions options;
    private final EventLoop loop;
    private final Worker worker;
    private final Throwable openedAt;
    private final Transactions transactions = new Transactions(this);
    private final Future<Void> closedSignal;
    // loop thread only (written by tasks of `loop`); read by toString from any thread (volatile)
    private volatile boolean closed;
    // statements submitted by tasks and not yet answered: written on the loop thread; read by toString (volatile)
    private volatile int pending;

    private Database(String path, ConnectOptions options, EventLoop loop) {
        this.path = path;
        this.options = options;
        this.loop = loop;
        this.worker = new Worker(path, options.getBusyTimeout());
        this.openedAt = new Throwable("the Database was opened here");
        this.closedSignal = loop.createFuture();
    }

    // ---- connect -------------------------------------------------------------------------------------

    /** Opens (creating if needed) the database file at {@code path}, or {@code ":memory:"}, with the defaults. */
    public static Database connect(String path) {
        return connect(path, ConnectOptions.defaults());
    }

    /** Opens the database file at {@code path} with the defaults. */
    public static Database connect(Path path) {
        return connect(path.toString(), ConnectOptions.defaults());
    }

    /**
     * Opens the database at {@code path} ({@code ":memory:"} for a private in-memory database) with
     * {@code options}. The task waits while the connection thread opens the file.
     *
     * <p>Cancellation: a task cancelled while the file opens gets {@link CancelledError}; the connection, if it
     * opened, is closed and its thread ends.
     *
     * @throws OperationalError      if the file cannot be opened (missing directory, read-only and missing, ...)
     * @throws IllegalStateException outside a task
     */
    public static Database connect(String path, ConnectOptions options) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        ensureInTask("Database.connect()");
        Database db = new Database(path, options, Asyncio.getRunningLoop());
        try {
            db.submit("Database.connect()", null, false, c -> {
                db.worker.opened(open(path, options));
                return null;
            });
        } catch (Throwable e) {
            db.closed = true;
            db.worker.execute(db::closeOnWorkerQuietly); // runs after the open: closes what it may have opened
            db.worker.stop();
            throw e;
        }
        db.loop.createTask(db::guardUntilClosed, "sqlite-close-guard " + path);
        return db;
    }

    private static Connection open(String path, ConnectOptions options) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout((int) options.getBusyTimeout().toMillis());
        config.enforceForeignKeys(options.isForeignKeys());
        boolean memory = path.equals(":memory:") || path.isEmpty();
        if (options.isReadOnly()) {
            config.setReadOnly(true);
        } else if (options.isWal() && !memory) {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        }
        return config.createConnection("jdbc:sqlite:" + path);
    }

    // ---- statements ----------------------------------------------------------------------------------

    /**
     * Runs one statement with positional parameters ({@code ?}) and returns what it changed. A query run this
     * way runs and its rows are dropped ({@code rowsChanged} -1). Parameters may be {@code Long}, {@code Integer},
     * {@code Double}, {@code String}, {@code byte[]}, {@code Boolean} (stored as 1/0), an enum (its name) or
     * {@code null}.
     *
     * <p>Cancellation: interrupts the statement (see the class comment); the connection stays usable.
     *
     * @throws ProgrammingError for bad SQL, a wrong number of parameters, an unsupported parameter type, or a
     *                          closed database
     * @throws IntegrityError   when a constraint fails
     * @throws OperationalError when the database stays locked beyond the busy timeout
     */
    public Result execute(String sql, Object... params) {
        Task<?> actor = ensureUsable("Database.execute()");
        Object[] p = params.clone();
        return call(actor, "Database.execute()", sql, true, c -> Statements.execute(worker, "Database.execute()", sql, p));
    }

    /**
     * Runs one statement once per parameter list, on one prepared statement (Python's {@code executemany}).
     * Without a surrounding {@link #transaction} each run commits on its own; inside one, a million rows take
     * seconds, not hours. The parameter lists are copied before the call returns control to other tasks.
     *
     * <p>Cancellation: interrupts the runs; those done so far stay done unless a transaction rolls them back.
     *
     * @throws ProgrammingError naming the 1-based number of the parameter list that is wrong
     */
    public Result executeMany(String sql, Iterable<Object[]> paramsSeq) {
        Task<?> actor = ensureUsable("Database.executeMany()");
        List<Object[]> copy = new ArrayList<>();
        for (Object[] p : paramsSeq) {
            copy.add(p == null ? null : p.clone());
        }
        return call(actor, "Database.executeMany()", sql, true,
                c -> Statements.executeMany(worker, "Database.executeMany()", sql, copy));
    }

    /**
     * Runs several statements separated by {@code ;}, without parameters (Python's {@code executescript}), for
     * schemas and migrations. Unlike Python's, it does not commit first: inside a {@link #transaction} it is
     * part of it.
     *
     * <p>Cancellation: interrupts the script; statements already done stay done outside a transaction.
     */
    public Result executeScript(String script) {
        Task<?> actor = ensureUsable("Database.executeScript()");
        return call(actor, "Database.executeScript()", script, true, c -> Statements.executeScript(worker, script));
    }

    /**
     * All rows of a query (Python's {@code await (await db.execute(sql, params)).fetchall()}). For results too
     * big for memory, use {@link #stream}.
     *
     * <p>Cancellation: interrupts the query.
     */
    public List<Row> query(String sql, Object... params) {
        return queryAs(ensureUsable("Database.query()"), "Database.query()", sql, params.clone());
    }

    /** {@link #query(String, Object...)} on behalf of {@code actor} (a generator acting for its creator). */
    List<Row> queryAs(Task<?> actor, String api, String sql, Object[] params) {
        return call(actor, api, sql, true, c -> Statements.query(worker, api, sql, params, Integer.MAX_VALUE));
    }

    /**
     * All rows of a query as records of {@code type}: each record component takes the column of the same name
     * (ignoring case and underscores, so column {@code created_at} fills component {@code createdAt}).
     *
     * @throws ProgrammingError naming the component that has no column, or a NULL for a primitive component
     */
    public <R> List<R> query(String sql, Class<R> type, Object... params) {
        RecordMapper<R> mapper = RecordMapper.of(type);
        return mapper.map(query(sql, params), sql);
    }

    /** The first row of a query, if any (Python's {@code fetchone()}); the query stops after one row. */
    public Optional<Row> queryOne(String sql, Object... params) {
        Task<?> actor = ensureUsable("Database.queryOne()");
        Object[] p = params.clone();
        List<Row> rows = call(actor, "Database.queryOne()", sql, true,
                c -> Statements.query(worker, "Database.queryOne()", sql, p, 1));
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    /** The first row of a query as a record of {@code type}; see {@link #query(String, Class, Object...)}. */
    public <R> Optional<R> queryOne(String sql, Class<R> type, Object... params) {
        RecordMapper<R> mapper = RecordMapper.of(type);
        return queryOne(sql, params).map(row -> mapper.map(List.of(row), sql).getFirst());
    }

    /**
     * The rows of a query, fetched lazily {@value #STREAM_CHUNK} at a time (aiosqlite's {@code async for row in
     * cursor}, with its {@code iter_chunk_size}), so a result of millions of rows streams in bounded memory.
     * While you take one chunk, the connection thread already reads the next (at most two chunks in memory);
     * it does not read ahead while another task's transaction is open or waited for. Nothing runs before the
     * first {@code hasNext()}. Close the generator (try-with-resources) when you stop
     * early: that closes the query. The stream acts for the task that called {@code stream()}: inside that
     * task's transaction it reads the transaction's own writes.
     *
     * <p>Cancellation: a consumer cancelled while a chunk is read gets {@link CancelledError}; the read is
     * interrupted and the query closed.
     */
    public AsyncGenerator<Row> stream(String sql, Object... params) {
        Task<?> actor = ensureUsable("Database.stream()");
        return RowStream.open(this, worker, actor, sql, params.clone());
    }

    // ---- transactions --------------------------------------------------------------------------------

    /**
     * Runs {@code body} in a transaction: {@code BEGIN IMMEDIATE}, the body, {@code COMMIT} when it returns;
     * {@code ROLLBACK} when it throws or the task is cancelled, and the failure is rethrown (unchecked ones as
     * they are, checked ones wrapped in {@link java.util.concurrent.CompletionException}). {@code body} gets this database. While the
     * transaction is open, other tasks' statements on this database wait for it to end, in FIFO order. Inside
     * a transaction of the same task, a nested {@code transaction} is a savepoint: its failure rolls back only
     * its own work.
     *
     * <p>Cancellation: a task cancelled while it waits for another task's transaction loses its place; one
     * cancelled inside the body (or while BEGIN waits for another process's lock) rolls back.
     *
     * @throws OperationalError if another connection or process holds the write lock beyond the busy timeout
     */
    public <T> T transaction(ScopeBody<Database, T> body) {
        Objects.requireNonNull(body, "body");
        return transactions.run(ensureUsable("Database.transaction()"), body);
    }

    /** Whether a transaction (of any task) is open on this database. */
    public boolean inTransaction() {
        return transactions.owner() != null;
    }

    void runSql(Task<?> actor, String api, String sql, boolean interruptible) {
        call(actor, api, sql, interruptible, c -> {
            try (Statement st = c.createStatement()) {
                st.execute(sql);
            }
            return null;
        });
    }

    /**
     * Queues {@code sql} (a rollback) on the connection thread without waiting: a cancelled task cannot skip it,
     * and the worker runs it before anything submitted later. "No transaction is active" is expected (SQLite
     * rolls back by itself on some errors and interrupts) and ignored.
     */
    void rollbackLater(String sql) {
        worker.execute(() -> {
            Connection c = worker.connection();
            if (c == null) {
                return;
            }
            try (Statement st = c.createStatement()) {
                st.executeUpdate(sql);
            } catch (SQLException e) {
                String m = String.valueOf(e.getMessage());
                if (!m.contains("no transaction is active") && !m.contains("no such savepoint")) {
                    LOG.log(System.Logger.Level.WARNING, "sqlite: " + sql + " failed on " + path + ": " + m, e);
                }
            }
        });
    }

    // ---- the call path -------------------------------------------------------------------------------

    /** Waits for {@code actor}'s turn (see the overview), then runs {@code work} on the connection thread. */
    <T> T call(Task<?> actor, String api, String sql, boolean interruptible, Worker.SqlWork<T> work) {
        boolean held = transactions.waitForTurn(actor);
        try {
            return submit(api, sql, interruptible, work);
        } finally {
            transactions.endTurn(held);
        }
    }

    private <T> T submit(String api, String sql, boolean interruptible, Worker.SqlWork<T> work) {
        return start(api, sql, work).await(interruptible);
    }

    /**
     * Starts {@code work} on the connection thread now, without waiting for a turn, when {@code actor} could run
     * a statement at once (it owns the open transaction, or none is open or waited for); otherwise returns
     * null, also when the database is closed (the caller's next {@link #call} reports that). Used by streams
     * to read the next chunk while the consumer handles the current one: being queued now, the work runs
     * before any transaction another task begins later.
     */
    <T> StartedWork<T> startIfFree(Task<?> actor, String api, String sql, Worker.SqlWork<T> work) {
        if (closed || (actor != transactions.owner() && transactions.busy())) {
            return null;
        }
        return start(api, sql, work);
    }

    private <T> StartedWork<T> start(String api, String sql, Worker.SqlWork<T> work) {
        ensureOpen(api, sql);
        Worker.Job job = new Worker.Job();
        Future<T> f = loop.runInExecutor(worker, () -> {
            try {
                return worker.run(job, work);
            } catch (SQLException e) {
                if (job.cancelledWhileRunning()) {
                    worker.discardAll();
                } else {
                    worker.discard(sql);
                }
                throw Errors.translate(e, api, sql, options.getBusyTimeout());
            }
        });
        pending++;
        f.addDoneCallback(done -> pending--);
        return new StartedWork<>(worker, job, f);
    }

    // ---- backup, functions, dump ---------------------------------------------------------------------

    /** Receives a backup's progress, on the connection's thread: pages still to copy and pages in all. */
    @FunctionalInterface
    public interface BackupProgress {
        /** Called after each step of {@code pagesPerStep} pages. */
        void progress(int remaining, int total);
    }

    /**
     * Copies this database into the file {@code target} (replacing its content), {@code pagesPerStep} pages at a
     * time (-1 or 0: all at once), calling {@code progress} (may be null) after each step (Python's
     * {@code backup(target, pages=..., progress=...)}). Other tasks' statements on this database wait meanwhile.
     *
     * <p>Cancellation: the task gets {@link CancelledError} at once; the backup runs to its end on the
     * connection thread.
     */
    public void backup(Path target, int pagesPerStep, BackupProgress progress) {
        Objects.requireNonNull(target, "target");
        Task<?> actor = ensureUsable("Database.backup()");
        String dest = target.toAbsolutePath().toString();
        call(actor, "Database.backup()", null, false, c -> {
            ((org.sqlite.SQLiteConnection) c).getDatabase().backup("main", dest,
                    progress == null ? null : progress::progress, 0, 3, pagesPerStep <= 0 ? -1 : pagesPerStep);
            return null;
        });
    }

    /** Copies this database into {@code target}'s file; see {@link #backup(Path, int, BackupProgress)}. */
    public void backup(Database target, int pagesPerStep, BackupProgress progress) {
        if (target.path.isEmpty() || target.path.equals(":memory:")) {
            throw Errors.programming("Database.backup(): the target is an in-memory database; back up into a file "
                    + "(backup(Path, ...)) or a Database opened on a file", null);
        }
        backup(Path.of(target.path), pagesPerStep, progress);
    }

    /**
     * Makes the Java function {@code fn} callable from SQL as {@code name(arg, ...)} with {@code numArgs}
     * arguments (-1: any number) — Python's {@code create_function}. {@code fn} gets the arguments as
     * {@code Long}, {@code Double}, {@code String}, {@code byte[]} or null, and returns one of those (or an
     * {@code Integer}, {@code Boolean}); an exception it throws fails the statement with its message. It runs on
     * the connection's thread, inside the statement: it must not call asyncio4j APIs or block for long.
     *
     * @param deterministic whether the same arguments always give the same result (lets SQLite use it in indexes)
     */
    public void createFunction(String name, int numArgs, boolean deterministic, ThrowingFunction<Object[], Object> fn) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fn, "fn");
        Task<?> actor = ensureUsable("Database.createFunction()");
        call(actor, "Database.createFunction()", null, false, c -> {
            SqlFunction.register(c, name, numArgs, deterministic, fn);
            return null;
        });
    }

    /** {@link #createFunction(String, int, boolean, ThrowingFunction)}, not deterministic. */
    public void createFunction(String name, int numArgs, ThrowingFunction<Object[], Object> fn) {
        createFunction(name, numArgs, false, fn);
    }

    /**
     * The database as SQL text, one statement at a time (Python's {@code iterdump()}): {@code BEGIN TRANSACTION;},
     * each table's {@code CREATE TABLE} and its rows as {@code INSERT} statements, then indexes, triggers and
     * views, then {@code COMMIT;}. Feeding the lines to {@link #executeScript} or the {@code sqlite3} tool
     * rebuilds the database. Rows are streamed, so a big table does not have to fit in memory.
     */
    public AsyncGenerator<String> iterdump() {
        return Dump.of(this, worker, ensureUsable("Database.iterdump()"));
    }

    // ---- close ---------------------------------------------------------------------------------------

    /**
     * Closes the connection after the statements already queued, and ends its thread (Python's
     * {@code await db.close()}). Idempotent. Later calls throw {@link ProgrammingError}. From a task of its loop
     * the task waits until the file is closed; from anywhere else (a plain thread after the loop ended) the
     * close is queued and this method waits up to 5 s for it.
     *
     * <p>Cancellation: a task cancelled while it waits gets {@link CancelledError}; the close still happens.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        Task<?> task = Asyncio.currentTask();
        boolean inOwnLoop = task != null && task.getLoop() == loop;
        if (!inOwnLoop && !loop.isClosed()) {
            if (loop.isRunning() || task != null) {
                throw new IllegalStateException("Database.close(): this Database belongs to " + loop
                        + "; close it from one of that loop's tasks");
            }
        }
        closed = true;
        if (inOwnLoop) {
            if (!closedSignal.done()) {
                closedSignal.setResult(null); // the guard task ends
            }
            worker.execute(this::closeOnWorkerQuietly); // queued directly: a cancel of this task cannot skip it
            Future<Object> closedFile = loop.runInExecutor(worker, () -> null); // runs after the close
            worker.stop();
            closedFile.await();
        } else {
            closeAndJoin();
        }
    }

    /** Queues the close and the end of the thread, and waits (really) up to 5 s for them. */
    private void closeAndJoin() {
        worker.execute(this::closeOnWorkerQuietly);
        worker.stop();
        try {
            worker.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The guard task of connect(): closes the connection if the loop closes while it is open. */
    private Void guardUntilClosed() {
        try {
            closedSignal.await();
        } catch (CancelledError e) {
            if (!closed) {
                closed = true;
                LOG.log(System.Logger.Level.WARNING, "Database '" + path + "' was never closed; closing it as its event "
                        + "loop closes (its guard task was cancelled). Close it with try-with-resources or close(). "
                        + "It was opened at:", openedAt);
                closeAndJoin();
            }
            throw e;
        }
        return null;
    }

    private void closeOnWorkerQuietly() {
        try {
            worker.closeConnection();
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "sqlite: closing " + path + " failed", e);
        }
    }

    // ---- guards --------------------------------------------------------------------------------------

    private static void ensureInTask(String api) {
        if (Asyncio.currentTask() == null) {
            throw new IllegalStateException(api + " must be called inside a task (inside Asyncio.run(...) or a task it "
                    + "created): it waits for SQLite on the connection's thread; on thread '"
                    + Thread.currentThread().getName() + "' there is no task to wait. Outside a loop, use JDBC directly");
        }
    }

    /** Checks the call comes from a task of this database's loop and the database is open; returns the task. */
    private Task<?> ensureUsable(String api) {
        ensureInTask(api);
        Task<?> task = Asyncio.currentTask();
        if (task.getLoop() != loop) {
            throw new IllegalStateException(api + ": this Database belongs to " + loop + ", not to the loop of task '"
                    + task.getName() + "'; open one Database per event loop");
        }
        ensureOpen(api, null);
        return task;
    }

    private void ensureOpen(String api, String sql) {
        if (closed) {
            throw Errors.programming(api + ": cannot operate on a closed database (" + path + ")", sql);
        }
    }

    /** The file path given to {@code connect}, or {@code ":memory:"}. */
    public String path() {
        return path;
    }

    /** The options it was opened with. */
    public ConnectOptions options() {
        return options;
    }

    /** Whether {@link #close()} was called (or the loop closed it). */
    public boolean isClosed() {
        return closed;
    }

    /** e.g. {@code Database[app.db, open, 3 statements queued, in transaction of task 'writer']}. */
    @Override
    public String toString() {
        Task<?> owner = transactions.owner();
        int queued = pending;
        return "Database[" + path + ", " + (closed ? "closed" : "open") + ", " + queued
                + (queued == 1 ? " statement" : " statements") + " queued"
                + (owner != null ? ", in transaction of task '" + owner.getName() + "'" : "") + "]";
    }
}
