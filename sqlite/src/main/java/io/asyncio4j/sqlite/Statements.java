package io.asyncio4j.sqlite;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDBC work of each {@link Database} call, run on the connection's {@link Worker} thread: binding
 * parameters with the checks Python's {@code sqlite3} makes, running, reading rows, and the open cursors of
 * {@link Database#stream streams}.
 */
final class Statements {
    private Statements() {
    }

    /** Binds {@code params} to {@code ps}; the count and each type are checked first, with Python's wording. */
    static void bind(PreparedStatement ps, Object[] params, String api, String sql) throws SQLException {
        int expected = ps.getParameterMetaData().getParameterCount();
        int given = params == null ? 0 : params.length;
        if (expected != given) {
            throw Errors.programming(api + ": incorrect number of bindings supplied: the statement uses " + expected
                    + ", and there " + (given == 1 ? "is 1" : "are " + given) + " supplied", sql);
        }
        for (int i = 0; i < given; i++) {
            Object p = params[i];
            int at = i + 1;
            switch (p) {
                case null -> ps.setNull(at, java.sql.Types.NULL);
                case Long n -> ps.setLong(at, n);
                case Integer n -> ps.setLong(at, n);
                case Short n -> ps.setLong(at, n);
                case Byte n -> ps.setLong(at, n);
                case Double d -> ps.setDouble(at, d);
                case Float f -> ps.setDouble(at, f);
                case Boolean b -> ps.setLong(at, b ? 1 : 0);
                case CharSequence s -> ps.setString(at, s.toString());
                case byte[] b -> ps.setBytes(at, b);
                case Enum<?> e -> ps.setString(at, e.name());
                default -> throw Errors.programming(api + ": error binding parameter " + at + ": type '"
                        + p.getClass().getName() + "' is not supported; pass a Long, Integer, Double, String, byte[], "
                        + "Boolean or null (convert other values first, e.g. a date with toString())", sql);
            }
        }
    }

    /** Runs one statement; see {@link Result}. */
    static Result execute(Worker w, String api, String sql, Object[] params) throws SQLException {
        PreparedStatement ps = w.prepare(sql);
        bind(ps, params, api, sql);
        if (ps.execute()) {
            ps.getResultSet().close(); // a query through execute(): run, rows dropped (Python: rowcount -1)
            return new Result(-1, lastRowId(w));
        }
        return new Result(changesOf(w, ps), lastRowId(w));
    }

    /** Rows per JDBC batch in {@link #executeMany}: sqlite-jdbc runs a batch in one call, several times faster. */
    static final int BATCH = 1_000;

    /**
     * Runs one statement for each parameter list, in JDBC batches of {@value #BATCH}; the rows changed are
     * summed. A failing row is named by its 1-based number.
     */
    static Result executeMany(Worker w, String api, String sql, List<Object[]> paramsSeq) throws SQLException {
        PreparedStatement ps = w.prepare(sql);
        long total = 0;
        int start = 0;
        while (start < paramsSeq.size()) {
            int end = Math.min(start + BATCH, paramsSeq.size());
            for (int n = start; n < end; n++) {
                try {
                    bind(ps, paramsSeq.get(n), api, sql);
                } catch (ProgrammingError e) {
                    ps.clearBatch();
                    throw Errors.programming(api + ": parameter set " + (n + 1) + ": " + e.getMessage()
                            .replaceFirst("^[^:]+: ", "").replaceFirst(" \\[SQL: .*$", ""), sql);
                }
                ps.addBatch();
            }
            try {
                for (int c : ps.executeBatch()) {
                    total += Math.max(c, 0);
                }
            } catch (SQLException e) {
                ps.clearBatch();
                // sqlite-jdbc reports the rows done before the failing one only in a BatchUpdateException
                String where = e instanceof BatchUpdateException b && b.getUpdateCounts() != null
                        ? "parameter set " + (start + b.getUpdateCounts().length + 1)
                        : "parameter sets " + (start + 1) + "-" + end;
                throw Errors.translate(e, api + " at " + where, sql, w.busyTimeout());
            }
            start = end;
        }
        return new Result(total, lastRowId(w));
    }

    /** Runs a script of statements separated by ';', without parameters (Python's {@code executescript}). */
    static Result executeScript(Worker w, String script) throws SQLException {
        try (Statement st = w.connection().createStatement()) {
            st.executeUpdate(script);
        }
        return new Result(-1, lastRowId(w));
    }

    /** All rows of a query. */
    static List<Row> query(Worker w, String api, String sql, Object[] params, int limit) throws SQLException {
        PreparedStatement ps = w.prepare(sql);
        bind(ps, params, api, sql);
        List<Row> rows = new ArrayList<>();
        if (!ps.execute()) {
            return rows; // not a query: no rows, as Python's fetchall() after an INSERT
        }
        try (ResultSet rs = ps.getResultSet()) {
            Row.Columns columns = Row.Columns.of(rs.getMetaData());
            while (rows.size() < limit && rs.next()) {
                rows.add(columns.read(rs));
            }
        }
        return rows;
    }

    private static long changesOf(Worker w, PreparedStatement ps) throws SQLException {
        int n = ps.getUpdateCount();
        return n < 0 ? -1 : n;
    }

    private static long lastRowId(Worker w) throws SQLException {
        PreparedStatement ps = w.prepare("SELECT last_insert_rowid()");
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /**
     * An open query of a {@link Database#stream stream}: its own statement (never a cached one, which another
     * call could re-run meanwhile), read {@code chunk} rows at a time. Worker thread only.
     */
    static final class Cursor {
        private final PreparedStatement ps;
        private final ResultSet rs;
        private final Row.Columns columns;
        // worker thread only
        private boolean exhausted;

        private Cursor(PreparedStatement ps, ResultSet rs, Row.Columns columns) {
            this.ps = ps;
            this.rs = rs;
            this.columns = columns;
            exhausted = rs == null;
        }

        static Cursor open(Connection c, String api, String sql, Object[] params) throws SQLException {
            PreparedStatement ps = c.prepareStatement(sql);
            try {
                bind(ps, params, api, sql);
                if (!ps.execute()) {
                    return new Cursor(ps, null, null);
                }
                ResultSet rs = ps.getResultSet();
                return new Cursor(ps, rs, Row.Columns.of(rs.getMetaData()));
            } catch (SQLException | RuntimeException e) {
                ps.close();
                throw e;
            }
        }

        /** Up to {@code n} more rows; fewer (maybe none) at the end, after which the cursor is closed. */
        List<Row> fetch(int n) throws SQLException {
            List<Row> rows = new ArrayList<>(n);
            while (!exhausted && rows.size() < n) {
                if (rs.next()) {
                    rows.add(columns.read(rs));
                } else {
                    exhausted = true;
                    close();
                }
            }
            return rows;
        }

        boolean exhausted() {
            return exhausted;
        }

        void close() throws SQLException {
            exhausted = true;
            ps.close();
        }
    }
}
