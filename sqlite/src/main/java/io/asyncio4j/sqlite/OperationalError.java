package io.asyncio4j.sqlite;

/**
 * The database could not run the statement now: it was locked by another connection or process beyond the busy timeout, the statement was interrupted, the file is read-only, the disk is full, the file cannot be opened (Python's {@code sqlite3.OperationalError}). Retrying later may succeed.
 *
 * @see DatabaseError the family, and what its messages contain
 */
public final class OperationalError extends DatabaseError {
    private static final long serialVersionUID = 1L;

    /** See {@link DatabaseError#DatabaseError(String, int, String, Throwable)}. */
    public OperationalError(String message, int resultCode, String sql, Throwable cause) {
        super(message, resultCode, sql, cause);
    }
}
