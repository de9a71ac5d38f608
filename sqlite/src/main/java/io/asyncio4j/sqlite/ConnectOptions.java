package io.asyncio4j.sqlite;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Database#connect(String, ConnectOptions)} opens a database. Immutable: each {@code withX}
 * returns a copy.
 *
 * <pre>{@code
 * Database db = Database.connect("app.db", ConnectOptions.defaults().busyTimeout(Duration.ofSeconds(30)));
 * Database ro = Database.connect("app.db", ConnectOptions.defaults().readOnly(true));
 * }</pre>
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>Option</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@link #readOnly(boolean) readOnly}</td><td>false</td><td>open read-only; writes fail with
 *       {@link OperationalError}; the file must exist</td></tr>
 *   <tr><td>{@link #wal(boolean) wal}</td><td>true</td><td>switch a file database to write-ahead logging
 *       ({@code PRAGMA journal_mode=WAL}): readers never block the writer nor the writer them, and other
 *       processes (the {@code sqlite3} tool) read committed rows while this connection writes. Ignored for
 *       {@code :memory:} and read-only connections</td></tr>
 *   <tr><td>{@link #busyTimeout(Duration) busyTimeout}</td><td>5 s (Python's {@code timeout=5.0})</td>
 *       <td>how long a statement waits for a lock another connection or process holds before it fails
 *       with {@link OperationalError}</td></tr>
 *   <tr><td>{@link #foreignKeys(boolean) foreignKeys}</td><td>true</td><td>enforce FOREIGN KEY constraints
 *       ({@code PRAGMA foreign_keys=ON}); SQLite's own default is off</td></tr>
 * </table>
 */
public final class ConnectOptions {
    private static final ConnectOptions DEFAULTS = new ConnectOptions(false, true, Duration.ofSeconds(5), true);

    private final boolean readOnly;
    private final boolean wal;
    private final Duration busyTimeout;
    private final boolean foreignKeys;

    private ConnectOptions(boolean readOnly, boolean wal, Duration busyTimeout, boolean foreignKeys) {
        this.readOnly = readOnly;
        this.wal = wal;
        this.busyTimeout = busyTimeout;
        this.foreignKeys = foreignKeys;
    }

    /** The defaults: read-write, WAL, 5 s busy timeout, foreign keys enforced. */
    public static ConnectOptions defaults() {
        return DEFAULTS;
    }

    /** A copy that opens read-only (or not). */
    public ConnectOptions readOnly(boolean on) {
        return new ConnectOptions(on, wal, busyTimeout, foreignKeys);
    }

    /** A copy that switches file databases to WAL (or leaves the journal mode as the file has it). */
    public ConnectOptions wal(boolean on) {
        return new ConnectOptions(readOnly, on, busyTimeout, foreignKeys);
    }

    /**
     * A copy with this busy timeout.
     *
     * @throws IllegalArgumentException if negative or longer than {@code Integer.MAX_VALUE} ms (SQLite's limit)
     */
    public ConnectOptions busyTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ConnectOptions.busyTimeout must be between 0 and "
                    + Integer.MAX_VALUE + " ms, got " + timeout);
        }
        return new ConnectOptions(readOnly, wal, timeout, foreignKeys);
    }

    /** A copy that enforces FOREIGN KEY constraints (or not). */
    public ConnectOptions foreignKeys(boolean on) {
        return new ConnectOptions(readOnly, wal, busyTimeout, on);
    }

    /** Whether the database is opened read-only. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** Whether a file database is switched to WAL. */
    public boolean isWal() {
        return wal;
    }

    /** How long a statement waits for another connection's lock. */
    public Duration getBusyTimeout() {
        return busyTimeout;
    }

    /** Whether FOREIGN KEY constraints are enforced. */
    public boolean isForeignKeys() {
        return foreignKeys;
    }

    @Override
    public String toString() {
        return "ConnectOptions[readOnly=" + readOnly + ", wal=" + wal + ", busyTimeout=" + busyTimeout
                + ", foreignKeys=" + foreignKeys + "]";
    }
}
