package io.asyncio4j.sqlite;

/**
 * A constraint failed: a UNIQUE, PRIMARY KEY, NOT NULL, CHECK or FOREIGN KEY constraint (SQLite's {@code SQLITE_CONSTRAINT}, Python's {@code sqlite3.IntegrityError}). The statement changed nothing; inside a transaction, the transaction stays open.
 *
 * @see DatabaseError the family, and what its messages contain
 */
public final class IntegrityError extends DatabaseError {
    private static final long serialVersionUID = 1L;

    /** See {@link DatabaseError#DatabaseError(String, int, String, Throwable)}. */
    public IntegrityError(String message, int resultCode, String sql, Throwable cause) {
        super(message, resultCode, sql, cause);
    }
}
