package io.asyncio4j.sqlite;

/**
 * The program is wrong: bad SQL, a missing table or column, the wrong number of parameters, a parameter of a type SQLite cannot store, or a call on a closed {@link Database} (Python's {@code sqlite3.ProgrammingError}). Retrying cannot help; the message says what to change.
 *
 * @see DatabaseError the family, and what its messages contain
 */
public final class ProgrammingError extends DatabaseError {
    private static final long serialVersionUID = 1L;

    /** See {@link DatabaseError#DatabaseError(String, int, String, Throwable)}. */
    public ProgrammingError(String message, int resultCode, String sql, Throwable cause) {
        super(message, resultCode, sql, cause);
    }
}
