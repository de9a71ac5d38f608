package io.asyncio4j.sqlite;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.sql.SQLException;
import java.time.Duration;

/** Turns JDBC's {@link SQLException} into the {@link DatabaseError} family, with a message a person can act on. */
final class Errors {
    private static final int SQLITE_ERROR = 1;
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_INTERRUPT = 9;
    private static final int SQLITE_CONSTRAINT = 19;
    private static final int SQLITE_MISUSE = 21;
    private static final int SQLITE_RANGE = 25;

    private Errors() {
    }

    /** The error for a failure of {@code sql} (may be null) seen by {@code api}. */
    static DatabaseError translate(SQLException e, String api, String sql, Duration busyTimeout) {
        int code = e instanceof SQLiteException s ? s.getResultCode().code : e.getErrorCode();
        int primary = code & 0xff;
        String what = describe(e);
        String where = sql == null ? "" : " [SQL: " + DatabaseError.shorten(sql) + "]";
        return switch (primary) {
            case SQLITE_CONSTRAINT -> new IntegrityError(api + ": " + what + where, code, sql, e);
            case SQLITE_BUSY, SQLITE_LOCKED -> new OperationalError(api + ": " + what + ": "
                    + (primary == SQLITE_BUSY
                    ? "another connection or process held the database lock for longer than the busy timeout ("
                      + seconds(busyTimeout) + "). Retry later, raise ConnectOptions.busyTimeout, or keep the other "
                      + "side's transactions short"
                    : "a table is locked by another statement of this connection or a shared-cache connection; "
                      + "finish or close that statement (or stream) first") + where, code, sql, e);
            case SQLITE_INTERRUPT -> new OperationalError(api + ": " + what + ": the statement was interrupted"
                    + where, code, sql, e);
            case SQLITE_ERROR, SQLITE_MISUSE, SQLITE_RANGE -> new ProgrammingError(api + ": " + what + where, code, sql, e);
            case 0 -> new ProgrammingError(api + ": " + what + where, -1, sql, e);
            default -> isOperational(primary)
                    ? new OperationalError(api + ": " + what + where, code, sql, e)
                    : new DatabaseError(api + ": " + what + where, code, sql, e);
        };
    }

    /** READONLY, IOERR, FULL, CANTOPEN, PROTOCOL, NOLFS, AUTH: the environment, not the program. */
    private static boolean isOperational(int primary) {
        return primary == 8 || primary == 10 || primary == 13 || primary == 14 || primary == 15 || primary == 22
                || primary == 23 || primary == 3 || primary == 4;
    }

    /** SQLite's own words and the code's name, e.g. "UNIQUE constraint failed: users.id (SQLITE_CONSTRAINT_UNIQUE)". */
    private static String describe(SQLException e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof SQLiteException s && s.getResultCode() != SQLiteErrorCode.UNKNOWN_ERROR) {
            String name = s.getResultCode().name();
            // xerial's form: "[SQLITE_CONSTRAINT_UNIQUE] A UNIQUE constraint failed (UNIQUE constraint failed: t.id)"
            int open = msg.lastIndexOf(" (");
            if (msg.startsWith("[") && open > 0 && msg.endsWith(")")) {
                msg = msg.substring(open + 2, msg.length() - 1);
            } else if (msg.startsWith("[" + name + "] ")) {
                msg = msg.substring(name.length() + 3);
            }
            return msg + " (" + name + ")";
        }
        return msg;
    }

    private static String seconds(Duration d) {
        if (d == null) {
            return "as configured";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** A {@link ProgrammingError} of this module's own checks. */
    static ProgrammingError programming(String message, String sql) {
        return new ProgrammingError(message + (sql == null ? "" : " [SQL: " + DatabaseError.shorten(sql) + "]"), -1, sql,
                null);
    }
}
