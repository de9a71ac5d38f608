package io.asyncio4j.sqlite;

/**
 * What a data-changing statement did (Python's {@code cursor.rowcount} and {@code cursor.lastrowid}).
 *
 * @param rowsChanged rows inserted, updated or deleted by the statement (for {@link Database#executeMany}, by
 *                    all of its runs); -1 for a statement that changes no rows by nature (a query, DDL, PRAGMA)
 * @param lastRowId   the rowid of the last row inserted by this connection, as SQLite's
 *                    {@code last_insert_rowid()} reports it after the statement; 0 when it never inserted
 */
public record Result(long rowsChanged, long lastRowId) {
}
