package io.asyncio4j.sqlite;

/**
 * A failure reported by SQLite or by this module's checks (Python DB-API's {@code sqlite3.DatabaseError}).
 * Unchecked, as every asyncio4j failure. The subclasses say what kind of mistake it was:
 * <table>
 *   <caption>The family</caption>
 *   <tr><th>Type</th><th>When</th><th>SQLite result codes</th></tr>
 *   <tr><td>{@link IntegrityError}</td><td>a constraint failed: UNIQUE, NOT NULL, CHECK, FOREIGN KEY</td>
 *       <td>{@code SQLITE_CONSTRAINT} (19) and its extended codes</td></tr>
 *   <tr><td>{@link OperationalError}</td><td>the database could not do it now: locked or busy after the busy
 *       timeout, interrupted, read-only, disk full, cannot open</td>
 *       <td>{@code BUSY} (5), {@code LOCKED} (6), {@code READONLY} (8), {@code INTERRUPT} (9), {@code IOERR}
 *       (10), {@code FULL} (13), {@code CANTOPEN} (14), ...</td></tr>
 *   <tr><td>{@link ProgrammingError}</td><td>the program is wrong: bad SQL, no such table, wrong number of
 *       parameters, a parameter of a type SQLite cannot store, use after {@code close()}</td>
 *       <td>{@code SQLITE_ERROR} (1), {@code RANGE} (25), {@code MISUSE} (21), or -1 for this module's checks</td></tr>
 *   <tr><td>{@code DatabaseError} itself</td><td>anything else (corrupt file, out of memory, ...)</td><td>the rest</td></tr>
 * </table>
 * The message names the SQL (shortened to {@value #SQL_SHOWN} characters) and, for a parameter problem, the
 * parameter's index (1-based, as SQL's {@code ?1}). Parameter values are never shown: they may be secrets.
 *
 * <p>Python difference: Python's {@code sqlite3} raises {@code OperationalError} for a syntax error or a
 * missing table; here those are {@link ProgrammingError}s (they are mistakes in the program, and retrying
 * them cannot help, unlike a real {@code OperationalError}).
 */
public class DatabaseError extends RuntimeException {
    /** How much of the SQL a message shows. */
    public static final int SQL_SHOWN = 120;
    private static final long serialVersionUID = 1L;

    private final int resultCode;
    private final String sql;

    /**
     * @param message    what went wrong and what to do
     * @param resultCode SQLite's (extended) result code, or -1 when the error is this module's own check
     * @param sql        the statement concerned, or null
     * @param cause      the JDBC exception, or null
     */
    public DatabaseError(String message, int resultCode, String sql, Throwable cause) {
        super(message, cause);
        this.resultCode = resultCode;
        this.sql = sql;
    }

    /**
     * SQLite's result code (e.g. 19 {@code SQLITE_CONSTRAINT}, 5 {@code SQLITE_BUSY}, or an extended code such
     * as 2067 {@code SQLITE_CONSTRAINT_UNIQUE}), or -1 when the error comes from this module's own checks.
     * {@code resultCode() & 0xff} is always the primary code.
     */
    public int resultCode() {
        return resultCode;
    }

    /** The full SQL of the statement that failed, or null when the failure concerns no statement. */
    public String sql() {
        return sql;
    }

    /** {@code sql} on one line, shortened to {@value #SQL_SHOWN} characters with "…" when longer. */
    static String shorten(String sql) {
        if (sql == null) {
            return "";
        }
        String one = sql.strip().replaceAll("\\s+", " ");
        return one.length() <= SQL_SHOWN ? one : one.substring(0, SQL_SHOWN - 1) + "…";
    }
}
