package io.asyncio4j.sqlite;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Runner;
import io.asyncio4j.testing.AsyncioTest;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Other processes on the same files: the {@code sqlite3} command-line tool holding the write lock or reading
 * while this JVM writes, and child JVMs that never close their database. The tool is installed from Debian's
 * {@code sqlite3} package when it is missing and the tests run as root; otherwise these tests are skipped.
 */
class ProcessTest {
    @TempDir
    Path dir;

    // ---- the sqlite3 tool ----------------------------------------------------------------------------

    /** The sqlite3 tool, installed with apt-get when missing (as root); skips the test when it cannot be had. */
    static String sqlite3() throws IOException, InterruptedException {
        if (onPath("sqlite3")) {
            return "sqlite3";
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        assumeTrue(root && onPath("apt-get"), "the sqlite3 command-line tool is missing and cannot be installed here "
                + "(needs root and apt-get): install Debian's sqlite3 package to run this test");
        run(List.of("apt-get", "update"), 300);
        run(List.of("apt-get", "install", "-y", "sqlite3"), 300);
        assumeTrue(onPath("sqlite3"), "apt-get could not install sqlite3");
        return "sqlite3";
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command to its end and returns its standard output; fails on a non-zero exit. */
    private static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), command + " did not end");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), command + " failed: " + text);
        return text;
    }

    /** Whether another connection holds the write lock: a BEGIN IMMEDIATE that does not wait fails. */
    private static boolean writeLocked(String path) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + path); Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = 0");
            try {
                st.execute("BEGIN IMMEDIATE");
                st.execute("ROLLBACK");
                return false;
            } catch (SQLException busy) {
                return true;
            }
        }
    }

    @AsyncioTest
    void aWriteWaitsTheBusyTimeoutForAnotherProcessHoldingTheLockThenFailsWithOperationalError(Runner runner)
            throws Exception {
        String path = dir.resolve("busy.db").toString();
        runner.run(() -> {
            try (Database db = Database.connect(path)) {
                db.execute("CREATE TABLE t(x)");
            }
        });
        Process cli = new ProcessBuilder(sqlite3(), path).redirectErrorStream(true)
                .redirectOutput(dir.resolve("cli.out").toFile()).start();
        try (OutputStream in = cli.getOutputStream()) {
            // The probe below (writeLocked) takes the write lock for a moment each time it looks: the tool
            // waits that moment out (.timeout) instead of failing its BEGIN with "database is locked" and
            // never holding the lock, which a busy machine made likely by descheduling the probe mid-look.
            in.write(".timeout 600000\nBEGIN IMMEDIATE;\nINSERT INTO t VALUES (1);\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!writeLocked(path)) {
                assertTrue(System.nanoTime() < deadline, "the sqlite3 process never took the write lock");
                Thread.sleep(10);
            }
            ConnectOptions shortWait = ConnectOptions.defaults().busyTimeout(Duration.ofMillis(300));
            runner.run(() -> {
                try (Database db = Database.connect(path, shortWait)) {
                    OperationalError e = org.junit.jupiter.api.Assertions.assertThrows(OperationalError.class,
                            () -> db.execute("INSERT INTO t VALUES (2)"));
                    assertEquals(5, e.resultCode() & 0xff); // SQLITE_BUSY
                    assertTrue(e.getMessage().contains("busy timeout (300 ms)"), e.getMessage());
                    OperationalError tx = org.junit.jupiter.api.Assertions.assertThrows(OperationalError.class,
                            () -> db.transaction(t -> t.execute("INSERT INTO t VALUES (3)")));
                    assertEquals("BEGIN IMMEDIATE", tx.sql());
                    assertFalse(db.inTransaction());
                }
            });
            in.write("COMMIT;\n".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(cli.waitFor(20, TimeUnit.SECONDS));
        long rows = runner.run(() -> {
            try (Database db = Database.connect(path)) {
                db.execute("INSERT INTO t VALUES (4)");
                return db.queryOne("SELECT count(*) FROM t").orElseThrow().getLong(0);
            }
        });
        assertEquals(2, rows); // the other process's row and ours
    }

    @AsyncioTest
    void theSqlite3ToolReadsCommittedRowsWhileOurConnectionIsOpenInWalMode(Runner runner) throws Exception {
        String tool = sqlite3();
        String path = dir.resolve("wal.db").toString();
        List<String> seen = runner.run(() -> {
            List<String> out = new ArrayList<>();
            try (Database db = Database.connect(path)) {
                db.execute("CREATE TABLE t(x)");
                db.executeMany("INSERT INTO t VALUES (?)", List.of(new Object[] {1}, new Object[] {2}, new Object[] {3}));
                out.add(Asyncio.toThread(() -> run(List.of(tool, path, "SELECT count(*) FROM t"), 30)).strip());
                db.transaction(tx -> {
                    tx.execute("INSERT INTO t VALUES (4)");
                    // our transaction holds the write lock; in WAL mode the reader neither waits nor sees row 4
                    out.add(Asyncio.toThread(() -> run(List.of(tool, path, "SELECT count(*) FROM t"), 30)).strip());
                    return null;
                });
                out.add(Asyncio.toThread(() -> run(List.of(tool, path, "SELECT group_concat(x) FROM t"), 30)).strip());
                out.add(Asyncio.toThread(() -> run(List.of(tool, path, "PRAGMA journal_mode"), 30)).strip());
            }
            return out;
        });
        assertEquals(List.of("3", "3", "1,2,3,4", "wal"), seen);
    }

    // ---- child JVMs ----------------------------------------------------------------------------------

    private record Child(int exit, String stdout, String stderr) {
    }

    private Child runChild(String path, String mode) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = dir.resolve(mode + ".out");
        Path err = dir.resolve(mode + ".err");
        Process p = new ProcessBuilder(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                NeverClosedMain.class.getName(), path, mode)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended, "the child JVM (" + mode + ") did not exit within 60 s: a connection thread keeps it alive");
        return new Child(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @AsyncioTest
    void aDatabaseNeverClosedDoesNotKeepTheJvmAlive() throws Exception {
        Child c = runChild(dir.resolve("left-open.db").toString(), "loop-left-open");
        assertEquals(0, c.exit(), c.stderr());
        assertEquals("main returned", c.stdout().strip());
        assertFalse(c.stderr().contains("restricted method"), "native access warning printed: " + c.stderr());
    }

    @AsyncioTest
    void theLoopClosesADatabaseLeftOpenWithAWarningNamingWhereItWasOpened() throws Exception {
        String path = dir.resolve("loop-closes.db").toString();
        Child c = runChild(path, "loop-closes");
        assertEquals(0, c.exit(), c.stderr());
        assertTrue(c.stderr().contains("Database '" + path + "' was never closed"), c.stderr());
        assertTrue(c.stderr().contains("at " + NeverClosedMain.class.getName()), c.stderr());
        assertFalse(c.stderr().contains("restricted method"), "native access warning printed: " + c.stderr());
        assertTrue(Files.exists(Path.of(path)));
        assertFalse(Files.exists(Path.of(path + "-wal")) && Files.size(Path.of(path + "-wal")) > 0,
                "a cleanly closed WAL database leaves no WAL content behind");
    }
}
