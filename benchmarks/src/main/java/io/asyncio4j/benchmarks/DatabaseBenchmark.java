package io.asyncio4j.benchmarks;

import io.asyncio4j.AsyncGenerator;
import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;
import io.asyncio4j.sqlite.Database;
import io.asyncio4j.sqlite.Row;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The sqlite module's figures (issue 16), run by {@code benchmarks/sqlite/run} next to Python's aiosqlite
 * ({@code benchmarks/sqlite/aiosqlite_bench.py}, the same workloads) and plain JDBC on one platform thread
 * (the floor: the same SQLite library with nothing around it).
 *
 * <pre>
 *   java ... io.asyncio4j.benchmarks.DatabaseBenchmark setup DIR           the read workloads' database
 *   java ... io.asyncio4j.benchmarks.DatabaseBenchmark WORKLOAD SYSTEM DIR [--warmup N]
 *       WORKLOAD  insert  100,000 inserts in one transaction with executeMany
 *                 point   100 tasks x 1,000 point queries by primary key on a 100,000-row table
 *                 stream  every row of a 1,000,000-row table, streamed
 *       SYSTEM    asyncio4j | jdbc
 * </pre>
 * Prints one line {@code result workload=W system=S ms=T rows=N} for the measured run (after N unmeasured
 * warm-up runs in the same process, default 1). Every system uses the same file and the same pragmas: WAL,
 * {@code synchronous} left at SQLite's default, foreign keys on.
 */
public final class DatabaseBenchmark {
    static final int INSERTS = 100_000;
    static final int POINT_ROWS = 100_000;
    static final int TASKS = 100;
    static final int QUERIES_PER_TASK = 1_000;
    static final int STREAM_ROWS = 1_000_000;

    private DatabaseBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("setup")) {
            setup(Path.of(args[1]));
            return;
        }
        if (args.length < 3) {
            System.err.println("usage: DatabaseBenchmark setup DIR | (insert|point|stream) (asyncio4j|jdbc) DIR [--warmup N]");
            System.exit(2);
        }
        String workload = args[0];
        String system = args[1];
        Path dir = Path.of(args[2]);
        int warmup = args.length >= 5 && args[3].equals("--warmup") ? Integer.parseInt(args[4]) : 1;
        long rows = 0;
        for (int i = 0; i < warmup; i++) {
            once(workload, system, dir);
        }
        long t0 = System.nanoTime();
        rows = once(workload, system, dir);
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf(Locale.ROOT, "result workload=%s system=%s ms=%.1f rows=%d%n", workload, system, ms, rows);
    }

    private static long once(String workload, String system, Path dir) throws Exception {
        boolean ours = switch (system) {
            case "asyncio4j" -> true;
            case "jdbc" -> false;
            default -> throw new IllegalArgumentException("system must be asyncio4j or jdbc, got '" + system + "'");
        };
        Path read = dir.resolve("read.db");
        return switch (workload) {
            case "insert" -> {
                Path file = dir.resolve("insert-" + system + ".db");
                for (String suffix : new String[] {"", "-wal", "-shm"}) {
                    Files.deleteIfExists(Path.of(file + suffix));
                }
                yield ours ? insertOurs(file) : insertJdbc(file);
            }
            case "point" -> ours ? pointOurs(read) : pointJdbc(read);
            case "stream" -> ours ? streamOurs(read) : streamJdbc(read);
            default -> throw new IllegalArgumentException("workload must be insert, point or stream, got '" + workload + "'");
        };
    }

    static List<Object[]> insertRows() {
        List<Object[]> rows = new ArrayList<>(INSERTS);
        for (int i = 0; i < INSERTS; i++) {
            rows.add(new Object[] {i, "name-" + i, i * 0.5});
        }
        return rows;
    }

    static int[] pointIds(int task) {
        Random random = new Random(task);
        int[] ids = new int[QUERIES_PER_TASK];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1 + random.nextInt(POINT_ROWS);
        }
        return ids;
    }

    // ---- asyncio4j ---------------------------------------------------------------------------------------

    private static long insertOurs(Path file) {
        List<Object[]> rows = insertRows();
        return Asyncio.run(() -> {
            try (Database db = Database.connect(file)) {
                db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, value REAL)");
                return db.transaction(tx -> tx.executeMany("INSERT INTO t VALUES (?, ?, ?)", rows).rowsChanged());
            }
        });
    }

    private static long pointOurs(Path file) {
        return Asyncio.run(() -> {
            try (Database db = Database.connect(file)) {
                List<Task<Long>> tasks = new ArrayList<>();
                for (int t = 0; t < TASKS; t++) {
                    int[] ids = pointIds(t);
                    tasks.add(Asyncio.createTask(() -> {
                        long found = 0;
                        for (int id : ids) {
                            Row row = db.queryOne("SELECT name, value FROM points WHERE id = ?", id).orElseThrow();
                            found += row.getString(0).isEmpty() ? 0 : 1;
                        }
                        return found;
                    }));
                }
                long total = 0;
                for (long n : Asyncio.gather(tasks)) {
                    total += n;
                }
                return total;
            }
        });
    }

    private static long streamOurs(Path file) {
        return Asyncio.run(() -> {
            try (Database db = Database.connect(file);
                 AsyncGenerator<Row> rows = db.stream("SELECT id, name, value FROM big")) {
                long n = 0;
                long sum = 0;
                for (Row row : rows) {
                    sum += row.getLong(0);
                    n++;
                }
                return sum > 0 ? n : -1;
            }
        });
    }

    // ---- plain JDBC on one platform thread -------------------------------------------------------------

    private static Connection jdbc(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
            st.execute("PRAGMA foreign_keys = ON");
            st.execute("PRAGMA busy_timeout = 5000");
        }
        return c;
    }

    private static long insertJdbc(Path file) throws SQLException {
        List<Object[]> rows = insertRows();
        try (Connection c = jdbc(file)) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, value REAL)");
            }
            c.setAutoCommit(false);
            long n = 0;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?)")) {
                int pending = 0;
                for (Object[] r : rows) {
                    ps.setLong(1, (Integer) r[0]);
                    ps.setString(2, (String) r[1]);
                    ps.setDouble(3, (Double) r[2]);
                    ps.addBatch();
                    if (++pending == BATCH) {
                        n += sum(ps.executeBatch());
                        pending = 0;
                    }
                }
                n += sum(ps.executeBatch());
            }
            c.commit();
            return n;
        }
    }

    /** JDBC batches of this many rows: xerial's fastest way to run one statement many times. */
    static final int BATCH = 1_000;

    private static long sum(int[] counts) {
        long n = 0;
        for (int c : counts) {
            n += c;
        }
        return n;
    }

    private static long pointJdbc(Path file) throws SQLException {
        try (Connection c = jdbc(file);
             PreparedStatement ps = c.prepareStatement("SELECT name, value FROM points WHERE id = ?")) {
            long found = 0;
            for (int t = 0; t < TASKS; t++) {
                for (int id : pointIds(t)) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            Object name = rs.getObject(1);
                            rs.getObject(2);
                            found += name.toString().isEmpty() ? 0 : 1;
                        }
                    }
                }
            }
            return found;
        }
    }

    private static long streamJdbc(Path file) throws SQLException {
        try (Connection c = jdbc(file); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, name, value FROM big")) {
            long n = 0;
            long sum = 0;
            while (rs.next()) {
                sum += rs.getLong(1);
                rs.getObject(2);
                rs.getObject(3);
                n++;
            }
            return sum > 0 ? n : -1;
        }
    }

    // ---- setup -----------------------------------------------------------------------------------------

    /** Writes read.db: `points` (100,000 rows) and `big` (1,000,000 rows), with plain JDBC. */
    private static void setup(Path dir) throws SQLException {
        Path file = dir.resolve("read.db");
        try (Connection c = jdbc(file); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS points");
            st.execute("DROP TABLE IF EXISTS big");
            st.execute("CREATE TABLE points(id INTEGER PRIMARY KEY, name TEXT, value REAL)");
            st.execute("CREATE TABLE big(id INTEGER PRIMARY KEY, name TEXT, value REAL)");
            c.setAutoCommit(false);
            fill(c, "points", POINT_ROWS);
            fill(c, "big", STREAM_ROWS);
            c.commit();
            c.setAutoCommit(true);
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        System.out.println("setup " + file + ": points " + POINT_ROWS + " rows, big " + STREAM_ROWS + " rows");
    }

    private static void fill(Connection c, String table, int n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?)")) {
            for (int i = 1; i <= n; i++) {
                ps.setLong(1, i);
                ps.setString(2, "name-" + i);
                ps.setDouble(3, i * 0.5);
                ps.executeUpdate();
            }
        }
    }
}
