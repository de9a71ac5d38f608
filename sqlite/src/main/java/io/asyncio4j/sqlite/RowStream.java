package io.asyncio4j.sqlite;

import io.asyncio4j.AsyncGenerator;
import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link Database#stream}: a generator whose body opens the query on the connection thread (its own
 * statement, never a cached one), fetches {@value Database#STREAM_CHUNK} rows per round trip as the consumer
 * asks, and closes the query when exhausted, failed, cancelled or closed early. It acts for {@code actor}, the
 * task that called {@code stream()}, so a stream inside that task's transaction is part of it.
 */
final class RowStream {
    private RowStream() {
    }

    static AsyncGenerator<Row> open(Database db, Worker worker, Task<?> actor, String sql, Object[] params) {
        return Asyncio.generator(out -> {
            // set on the connection thread once the query is open; read there by the closing work
            AtomicReference<Statements.Cursor> opened = new AtomicReference<>();
            try {
                Statements.Cursor cursor = db.call(actor, "Database.stream()", sql, true, c -> {
                    opened.set(Statements.Cursor.open(c, "Database.stream()", sql, params));
                    return opened.get();
                });
                boolean more = true;
                while (more) {
                    List<Row> rows = db.call(actor, "Database.stream()", sql, true, c -> cursor.fetch(Database.STREAM_CHUNK));
                    more = rows.size() == Database.STREAM_CHUNK;
                    for (Row row : rows) {
                        out.yield(row);
                    }
                }
            } finally {
                // queued after the open: closes the query even when this task was cancelled while it opened
                worker.execute(() -> {
                    Statements.Cursor c = opened.get();
                    if (c != null) {
                        try {
                            c.close();
                        } catch (SQLException | RuntimeException e) {
                            Database.LOG.log(System.Logger.Level.DEBUG, "closing a stream's query failed", e);
                        }
                    }
                });
            }
        });
    }
}
