package io.asyncio4j.sqlite;

import io.asyncio4j.AsyncGenerator;
import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link Database#stream}: a generator whose body opens the query on the connection thread (its own
 * statement, never a cached one), fetches {@value Database#STREAM_CHUNK} rows per round trip, and closes the
 * query when exhausted, failed, cancelled or closed early. While the consumer takes one chunk, the connection
 * thread already reads the next one (one chunk ahead, so at most two chunks are in memory), unless another
 * task's transaction is open or waited for: then the next chunk waits its turn as any statement does. It acts for {@code actor}, the
 * task that called {@code stream()}, so a stream inside that task's transaction is part of it.
 */
final class RowStream {
    private RowStream() {
    }

    static AsyncGenerator<Row> open(Database db, Worker worker, Task<?> actor, String sql, Object[] params) {
        return Asyncio.generator(out -> {
            // set on the connection thread once the query is open; read there by the closing work
            AtomicReference<Statements.Cursor> opened = new AtomicReference<>();
            // this generator's task only: the next chunk, read ahead while the consumer takes the current one
            StartedWork<List<Row>> ahead = null;
            try {
                Statements.Cursor cursor = db.call(actor, "Database.stream()", sql, true, c -> {
                    opened.set(Statements.Cursor.open(c, "Database.stream()", sql, params));
                    return opened.get();
                });
                Worker.SqlWork<List<Row>> fetch = c -> cursor.fetch(Database.STREAM_CHUNK);
                List<Row> rows = db.call(actor, "Database.stream()", sql, true, fetch);
                while (true) {
                    boolean more = rows.size() == Database.STREAM_CHUNK;
                    // read the next chunk while the consumer takes this one (null: a transaction makes us wait)
                    ahead = more ? db.startIfFree(actor, "Database.stream()", sql, fetch) : null;
                    for (Row row : rows) {
                        out.yield(row);
                    }
                    if (!more) {
                        break;
                    }
                    if (ahead != null) {
                        StartedWork<List<Row>> next = ahead;
                        ahead = null;
                        rows = next.await(true);
                    } else {
                        rows = db.call(actor, "Database.stream()", sql, true, fetch);
                    }
                }
            } finally {
                if (ahead != null) {
                    ahead.abandon(); // closed early: the chunk read ahead is dropped
                }
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
