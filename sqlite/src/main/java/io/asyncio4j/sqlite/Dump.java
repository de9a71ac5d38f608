package io.asyncio4j.sqlite;

import io.asyncio4j.AsyncGenerator;
import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Database#iterdump()}: the statements that rebuild the database, in the order and form of Python's
 * {@code sqlite3} dump, each table's rows formatted by SQLite's own {@code quote()} and streamed.
 */
final class Dump {
    private static final String API = "Database.iterdump()";
    private static final Object[] NONE = {};

    private Dump() {
    }

    /** The dump generator; its queries act for {@code actor}, the task that called {@code iterdump()}. */
    static AsyncGenerator<String> of(Database db, Worker worker, Task<?> actor) {
        return Asyncio.generator(out -> {
            out.yield("BEGIN TRANSACTION;");
            List<String> sequence = new ArrayList<>();
            boolean writableSchema = false;
            for (Row table : db.queryAs(actor, API, "SELECT name, type, sql FROM sqlite_master "
                    + "WHERE sql NOT NULL AND type == 'table' ORDER BY name", NONE)) {
                String name = table.getString("name");
                String sql = table.getString("sql");
                if (name.equals("sqlite_sequence")) {
                    // statements about AUTOINCREMENT counters come last, after the tables' rows
                    sequence.add("DELETE FROM \"sqlite_sequence\";");
                    for (Row r : db.queryAs(actor, API, "SELECT name, seq FROM sqlite_sequence", NONE)) {
                        sequence.add("INSERT INTO \"sqlite_sequence\" VALUES(" + quoteValue(r.getString(0)) + ","
                                + r.getLong(1) + ");");
                    }
                    continue;
                } else if (name.equals("sqlite_stat1")) {
                    out.yield("ANALYZE \"sqlite_master\";");
                } else if (name.startsWith("sqlite_")) {
                    continue;
                } else if (sql.startsWith("CREATE VIRTUAL TABLE")) {
                    if (!writableSchema) {
                        writableSchema = true;
                        out.yield("PRAGMA writable_schema=ON;");
                    }
                    out.yield("INSERT INTO sqlite_master(type,name,tbl_name,rootpage,sql)VALUES('table',"
                            + quoteValue(name) + "," + quoteValue(name) + ",0," + quoteValue(sql) + ");");
                } else {
                    out.yield(sql + ";");
                }
                List<String> parts = new ArrayList<>();
                for (Row col : db.queryAs(actor, API, "PRAGMA table_info(" + quoteName(name) + ")", NONE)) {
                    parts.add("quote(" + quoteName(col.getString("name")) + ")");
                }
                String select = "SELECT 'INSERT INTO ' || " + quoteValue(quoteName(name)) + " || ' VALUES(' || "
                        + String.join(" || ',' || ", parts) + " || ');' FROM " + quoteName(name);
                try (AsyncGenerator<Row> rows = RowStream.open(db, worker, actor, select, NONE)) {
                    for (Row r : rows) {
                        out.yield(r.getString(0));
                    }
                }
            }
            for (Row other : db.queryAs(actor, API, "SELECT name, type, sql FROM sqlite_master "
                    + "WHERE sql NOT NULL AND type IN ('index', 'trigger', 'view')", NONE)) {
                out.yield(other.getString("sql") + ";");
            }
            if (writableSchema) {
                out.yield("PRAGMA writable_schema=OFF;");
            }
            for (String s : sequence) {
                out.yield(s);
            }
            out.yield("COMMIT;");
        });
    }

    /** {@code "name"} with inner quotes doubled. */
    static String quoteName(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code 'text'} with inner quotes doubled. */
    static String quoteValue(String value) {
        return '\'' + value.replace("'", "''") + '\'';
    }
}
