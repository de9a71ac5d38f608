package io.asyncio4j.sqlite;

import io.asyncio4j.AsyncGenerator;
import io.asyncio4j.Asyncio;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.testing.AsyncioTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour of aiosqlite's own test suite (connect, execute, cursors, fetch sizes, context managers, errors,
 * backup, iterdump), on real database files. */
class DatabaseTest {
    @TempDir
    Path dir;

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    // ---- connect and context managers ----------------------------------------------------------------

    @AsyncioTest
    void connectCreatesTheFileAndCloseClosesIt(Runner runner) {
        String path = file("a.db");
        runner.run(() -> {
            Database db = Database.connect(path);
            assertFalse(db.isClosed());
            db.execute("CREATE TABLE t(x)");
            db.close();
            assertTrue(db.isClosed());
            db.close(); // idempotent
        });
        assertTrue(Files.exists(Path.of(path)));
    }

    @AsyncioTest
    void tryWithResourcesClosesTheDatabaseAndLaterCallsAreProgrammingErrors(Runner runner) {
        runner.run(() -> {
            Database kept;
            try (Database db = Database.connect(file("ctx.db"))) {
                kept = db;
                db.execute("CREATE TABLE t(x)");
            }
            ProgrammingError e = assertThrows(ProgrammingError.class, () -> kept.execute("SELECT 1"));
            assertTrue(e.getMessage().contains("closed database"), e.getMessage());
        });
    }

    @AsyncioTest
    void memoryDatabasesArePrivateToTheirConnection(Runner runner) {
        runner.run(() -> {
            try (Database a = Database.connect(":memory:"); Database b = Database.connect(":memory:")) {
                a.execute("CREATE TABLE t(x)");
                assertEquals(1, a.query("SELECT name FROM sqlite_master").size());
                assertEquals(0, b.query("SELECT name FROM sqlite_master").size());
            }
        });
    }

    @AsyncioTest
    void fileDatabasesAreInWalModeAndEnforceForeignKeysByDefault(Runner runner) {
        runner.run(() -> {
            try (Database db = Database.connect(file("wal.db"))) {
                assertEquals("wal", db.queryOne("PRAGMA journal_mode").orElseThrow().getString(0));
                assertEquals(1L, db.queryOne("PRAGMA foreign_keys").orElseThrow().get(0));
                assertEquals(5000L, db.queryOne("PRAGMA busy_timeout").orElseThrow().get(0));
                db.executeScript("CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(p REFERENCES p(id));");
                assertThrows(IntegrityError.class, () -> db.execute("INSERT INTO c VALUES (42)"));
            }
        });
    }

    @AsyncioTest
    void readOnlyConnectionsRefuseWritesWithOperationalError(Runner runner) {
        String path = file("ro.db");
        runner.run(() -> {
            try (Database db = Database.connect(path)) {
                db.execute("CREATE TABLE t(x)");
            }
            try (Database ro = Database.connect(path, ConnectOptions.defaults().readOnly(true))) {
                OperationalError e = assertThrows(OperationalError.class, () -> ro.execute("INSERT INTO t VALUES (1)"));
                assertEquals(8, e.resultCode() & 0xff); // SQLITE_READONLY
                assertEquals(0, ro.query("SELECT * FROM t").size());
            }
        });
    }

    @AsyncioTest
    void connectingToAFileInAMissingDirectoryIsAnOperationalError(Runner runner) {
        runner.run(() -> {
            OperationalError e = assertThrows(OperationalError.class,
                    () -> Database.connect(dir.resolve("no/such/dir/x.db").toString()));
            assertEquals(14, e.resultCode() & 0xff); // SQLITE_CANTOPEN
            assertTrue(e.getMessage().contains("unable to open database"), e.getMessage());
        });
    }

    @AsyncioTest
    void callsOutsideATaskFailWithAClearMessage() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Database.connect(":memory:"));
        assertTrue(e.getMessage().contains("must be called inside a task"), e.getMessage());
    }

    // ---- execute, cursors, fetch sizes ---------------------------------------------------------------

    @AsyncioTest
    void executeReturnsRowsChangedAndTheLastRowId(Runner runner) {
        runner.run(() -> {
            try (Database db = Database.connect(file("exec.db"))) {
                db.execute("CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT)");
                assertEquals(new Result(1, 1), db.execute("INSERT INTO users(name) VALUES (?)", "Ada"));
                assertEquals(new Result(1, 2), db.execute("INSERT INTO users(name) VALUES (?)", "Grace"));
                assertEquals(2, db.execute("UPDATE users SET name = upper(name)").rowsChanged());
                assertEquals(-1, db.execute("SELECT * FROM users").rowsChanged());
            }
        });
    }

    @AsyncioTest
    void queryReturnsEveryRowWithValuesByIndexAndByName(Runner runner) {
        runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                db.execute("CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n)");
                db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", 7, 1.5, "x", new byte[] {1, 2}, null);
                Row row = db.query("SELECT * FROM t").getFirst();
                assertEquals(List.of("i", "r", "s", "b", "n"), row.columns());
                assertEquals(7L, row.get(0));
                assertEquals(1.5, row.get("r"));
                assertEquals("x", row.get("S")); // names ignore case, as sqlite3.Row
                assertArrayEquals(new byte[] {1, 2}, row.getBytes("b"));
                assertTrue(row.isNull("n"));
                assertEquals(7, row.getInt("i"));
                assertEquals("1.5", row.getString("r"));
                assertTrue(row.getBoolean("i"));
                assertThrows(NoSuchElementException.class, () -> row.get("missing"));
                assertThrows(IndexOutOfBoundsException.class, () -> row.get(5));
                assertEquals("Row{i=7, r=1.5, s=x, b=<blob 2 bytes>, n=null}", row.toString());
            }
        });
    }

    @AsyncioTest
    void toMapKeepsColumnOrder(Runner runner) {
        Map<String, Object> map = runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                return db.queryOne("SELECT 1 AS one, 'two' AS two, NULL AS three").orElseThrow().toMap();
            }
        });
        assertEquals(List.of("one", "two", "three"), List.copyOf(map.keySet()));
        assertEquals(1L, map.get("one"));
    }

    @AsyncioTest
    void queryOneReturnsTheFirstRowOrNothing(Runner runner) {
        runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                db.execute("CREATE TABLE t(x)");
                assertTrue(db.queryOne("SELECT x FROM t").isEmpty());
                db.executeMany("INSERT INTO t VALUES (?)", List.of(new Object[] {1}, new Object[] {2}));
                assertEquals(1L, db.queryOne("SELECT x FROM t ORDER BY x").orElseThrow().get(0));
            }
        });
    }

    record User(long id, String name, String createdAt, Double score) {
    }

    @AsyncioTest
    void queryMapsColumnsToRecordComponentsByName(Runner runner) {
        List<User> users = runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                db.execute("CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT, created_at TEXT, score REAL)");
                db.execute("INSERT INTO users VALUES (1, 'Ada', '1843', NULL)");
                db.execute("INSERT INTO users VALUES (2, 'Grace', '1952', 9.5)");
                return db.query("SELECT score, name, id, created_at FROM users ORDER BY id", User.class);
            }
        });
        assertEquals(List.of(new User(1, "Ada", "1843", null), new User(2, "Grace", "1952", 9.5)), users);
    }

    @AsyncioTest
    void recordMappingNamesTheComponentWithoutAColumn(Runner runner) {
        runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                ProgrammingError e = assertThrows(ProgrammingError.class,
                        () -> db.query("SELECT 1 AS id, 'x' AS name", User.class));
                assertTrue(e.getMessage().contains("'createdAt'"), e.getMessage());
                assertTrue(e.getMessage().contains("[id, name]"), e.getMessage());
            }
        });
    }

    @AsyncioTest
    void streamYieldsEveryRowInChunksAcrossTheChunkBoundary(Runner runner) {
        int n = Database.STREAM_CHUNK * 3 + 5;
        List<Long> seen = runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                db.execute("CREATE TABLE t(x INTEGER)");
                db.executeMany("INSERT INTO t VALUES (?)",
                        IntStream.range(0, n).mapToObj(i -> new Object[] {i}).toList());
                List<Long> out = new ArrayList<>();
                try (AsyncGenerator<Row> rows = db.stream("SELECT x FROM t ORDER BY x")) {
                    for (Row r : rows) {
                        out.add(r.getLong(0));
                    }
                }
                return out;
            }
        });
        assertEquals(IntStream.range(0, n).mapToObj(i -> (long) i).toList(), seen);
    }

    @AsyncioTest
    void aStreamClosedEarlyLeavesTheConnectionUsable(Runner runner) {
        runner.run(() -> {
            try (Database db = Database.connect(file("early.db"))) {
                db.execute("CREATE TABLE t(x INTEGER)");
                db.transaction(tx -> tx.executeMany("INSERT INTO t VALUES (?)",
                        IntStream.range(0, 1000).mapToObj(i -> new Object[] {i}).toList()));
                try (AsyncGenerator<Row> rows = db.stream("SELECT x FROM t")) {
                    assertEquals(0L, rows.iterator().next().get(0));
                }
                db.execute("DELETE FROM t"); // no statement left open in the way
                assertEquals(0L, db.queryOne("SELECT count(*) FROM t").orElseThrow().get(0));
            }
        });
    }

    @AsyncioTest
    void anEmptyStreamYieldsNothing(Runner runner) {
        runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                db.execute("CREATE TABLE t(x)");
                assertEquals(List.of(), db.stream("SELECT * FROM t").toList());
            }
        });
    }

    @AsyncioTest
    void executeScriptRunsEveryStatement(Runner runner) {
        runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                db.executeScript("""
                        CREATE TABLE a(x);
                        CREATE TABLE b(y);
                        INSERT INTO a VALUES (1);
                        INSERT INTO b VALUES (2);
                        """);
                assertEquals(3L, db.queryOne("SELECT (SELECT x FROM a) + (SELECT y FROM b)").orElseThrow().get(0));
            }
        });
    }

    @AsyncioTest
    void tasksSharingOneDatabaseAllGetTheirResults(Runner runner) {
        List<Long> got = runner.run(() -> {
            try (Database db = Database.connect(file("shared.db"))) {
                db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
                db.executeMany("INSERT INTO t VALUES (?, ?)", IntStream.range(0, 50).mapToObj(i -> new Object[] {i, i * i}).toList());
                return Asyncio.gather(IntStream.range(0, 50).boxed().toList(),
                        i -> db.queryOne("SELECT v FROM t WHERE id = ?", i).orElseThrow().getLong(0));
            }
        });
        assertEquals(IntStream.range(0, 50).mapToObj(i -> (long) i * i).toList(), got);
    }

    // ---- errors --------------------------------------------------------------------------------------

    @AsyncioTest
    void aUniqueViolationIsAnIntegrityErrorWithTheResultCodeAndTheSql(Runner runner) {
        runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY)");
                db.execute("INSERT INTO t VALUES (1)");
                IntegrityError e = assertThrows(IntegrityError.class, () -> db.execute("INSERT INTO t VALUES (?)", 1));
                assertEquals(19, e.resultCode() & 0xff);
                assertEquals("INSERT INTO t VALUES (?)", e.sql());
                assertTrue(e.getMessage().contains("UNIQUE constraint failed: t.id"), e.getMessage());
                assertTrue(e.getMessage().contains("[SQL: INSERT INTO t VALUES (?)]"), e.getMessage());
                assertEquals(1, db.query("SELECT * FROM t").size()); // still usable
            }
        });
    }

    @AsyncioTest
    void aConstraintFailureInExecuteManyNamesTheParameterSetAndKeepsTheRowsBeforeIt(Runner runner) {
        runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY)");
                List<Object[]> rows = new ArrayList<>();
                for (int i = 0; i < 2500; i++) {
                    rows.add(new Object[] {i == 1700 ? 5 : i});
                }
                IntegrityError e = assertThrows(IntegrityError.class, () -> db.executeMany("INSERT INTO t VALUES (?)", rows));
                // the batch of sets 1001-2000 failed; SQLite ran the sets before 1701 (no transaction around)
                assertTrue(e.getMessage().contains("parameter set 1701") || e.getMessage().contains("parameter sets 1001-2000"),
                        e.getMessage());
                assertTrue(e.getMessage().contains("UNIQUE constraint failed: t.id"), e.getMessage());
                assertEquals(1700L, db.queryOne("SELECT count(*) FROM t").orElseThrow().get(0)); // no transaction
                assertEquals(new Result(3, 9002), db.executeMany("INSERT INTO t VALUES (?)",
                        List.of(new Object[] {9000}, new Object[] {9001}, new Object[] {9002})));
            }
        });
    }

    @AsyncioTest
    void badSqlIsAProgrammingErrorThatNamesTheSql(Runner runner) {
        runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                ProgrammingError e = assertThrows(ProgrammingError.class, () -> db.query("SELEC 1"));
                assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
                assertTrue(e.getMessage().contains("SELEC 1"), e.getMessage());
                ProgrammingError missing = assertThrows(ProgrammingError.class, () -> db.query("SELECT * FROM nope"));
                assertTrue(missing.getMessage().contains("no such table: nope"), missing.getMessage());
            }
        });
    }

    @AsyncioTest
    void aWrongNumberOfParametersIsAProgrammingErrorWithBothCounts(Runner runner) {
        runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                ProgrammingError e = assertThrows(ProgrammingError.class, () -> db.query("SELECT ?, ?", 1, 2, 3));
                assertTrue(e.getMessage().contains("the statement uses 2, and there are 3 supplied"), e.getMessage());
            }
        });
    }

    @AsyncioTest
    void anUnsupportedParameterTypeNamesTheParameterIndex(Runner runner) {
        runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                ProgrammingError e = assertThrows(ProgrammingError.class,
                        () -> db.query("SELECT ?, ?", 1, new Object()));
                assertTrue(e.getMessage().contains("error binding parameter 2"), e.getMessage());
                db.execute("CREATE TABLE t(x)");
                ProgrammingError many = assertThrows(ProgrammingError.class, () -> db.executeMany("INSERT INTO t VALUES (?)",
                        List.of(new Object[] {1}, new Object[] {1, 2})));
                assertTrue(many.getMessage().contains("parameter set 2"), many.getMessage());
            }
        });
    }

    @AsyncioTest
    void longSqlIsShortenedInMessagesButKeptWhole(Runner runner) {
        String sql = "SELECT * FROM missing_table WHERE " + "x = 1 AND ".repeat(50) + "1";
        runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                ProgrammingError e = assertThrows(ProgrammingError.class, () -> db.query(sql));
                assertEquals(sql, e.sql());
                assertTrue(e.getMessage().contains("…]"), e.getMessage());
                assertFalse(e.getMessage().contains(sql));
            }
        });
    }

    // ---- backup, functions, iterdump, toString --------------------------------------------------------

    @AsyncioTest
    void backupCopiesTheDatabaseAndReportsProgress(Runner runner) {
        Path target = dir.resolve("backup.db");
        runner.run(() -> {
            List<Integer> remaining = new ArrayList<>();
            try (Database db = Database.connect(file("source.db"))) {
                db.execute("CREATE TABLE t(x TEXT)");
                db.transaction(tx -> tx.executeMany("INSERT INTO t VALUES (?)",
                        IntStream.range(0, 2000).mapToObj(i -> new Object[] {"row " + i + " ".repeat(100)}).toList()));
                db.backup(target, 5, (left, total) -> remaining.add(left));
            }
            assertTrue(remaining.size() > 1, "progress per step: " + remaining);
            assertEquals(0, remaining.getLast());
            try (Database copy = Database.connect(target.toString())) {
                assertEquals(2000L, copy.queryOne("SELECT count(*) FROM t").orElseThrow().get(0));
            }
        });
    }

    @AsyncioTest
    void aMemoryDatabaseBacksUpIntoAnotherDatabase(Runner runner) {
        runner.run(() -> {
            try (Database mem = Database.connect(":memory:"); Database disk = Database.connect(file("disk.db"))) {
                mem.execute("CREATE TABLE t(x)");
                mem.execute("INSERT INTO t VALUES ('kept')");
                mem.backup(disk, -1, null);
                assertEquals("kept", disk.queryOne("SELECT x FROM t").orElseThrow().getString(0));
            }
        });
    }

    @AsyncioTest
    void createFunctionMakesAJavaFunctionCallableFromSql(Runner runner) {
        runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                db.createFunction("twice", 1, true, args -> (Long) args[0] * 2);
                db.createFunction("greet", 1, args -> "hi " + args[0]);
                db.createFunction("boom", 0, args -> {
                    throw new IllegalStateException("nope");
                });
                assertEquals(42L, db.queryOne("SELECT twice(21)").orElseThrow().get(0));
                assertEquals("hi Ada", db.queryOne("SELECT greet('Ada')").orElseThrow().get(0));
                DatabaseError e = assertThrows(DatabaseError.class, () -> db.query("SELECT boom()"));
                assertTrue(e.getMessage().contains("nope"), e.getMessage());
            }
        });
    }

    @AsyncioTest
    void iterdumpProducesTheStatementsThatRebuildTheDatabase(Runner runner) {
        runner.run(() -> {
            List<String> dump;
            try (Database db = Database.connect(":memory:")) {
                db.executeScript("""
                        CREATE TABLE users(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, photo BLOB);
                        INSERT INTO users(name, photo) VALUES ('O''Brien', x'0102');
                        INSERT INTO users(name, photo) VALUES (NULL, NULL);
                        CREATE INDEX users_name ON users(name);
                        """);
                dump = db.iterdump().toList();
            }
            assertEquals("BEGIN TRANSACTION;", dump.getFirst());
            assertEquals("COMMIT;", dump.getLast());
            assertTrue(dump.contains("INSERT INTO \"users\" VALUES(1,'O''Brien',X'0102');"), dump.toString());
            assertTrue(dump.contains("INSERT INTO \"users\" VALUES(2,NULL,NULL);"), dump.toString());
            assertTrue(dump.contains("CREATE INDEX users_name ON users(name);"), dump.toString());
            assertTrue(dump.contains("INSERT INTO \"sqlite_sequence\" VALUES('users',2);"), dump.toString());
            try (Database copy = Database.connect(":memory:")) {
                copy.executeScript(String.join("\n", dump));
                assertEquals(2L, copy.queryOne("SELECT count(*) FROM users").orElseThrow().get(0));
                assertEquals("O'Brien", copy.queryOne("SELECT name FROM users WHERE id = 1").orElseThrow().get(0));
            }
        });
    }

    @AsyncioTest
    void toStringShowsThePathStateQueueAndTransaction(Runner runner) {
        runner.run(() -> {
            Database db = Database.connect(":memory:");
            assertEquals("Database[:memory:, open, 0 statements queued]", db.toString());
            db.transaction(tx -> {
                assertTrue(tx.toString().contains(", in transaction of task '"), tx.toString());
                return null;
            });
            db.close();
            assertEquals("Database[:memory:, closed, 0 statements queued]", db.toString());
        });
    }

    @AsyncioTest
    void nullParametersAndNullResultsRoundTrip(Runner runner) {
        runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                assertNull(db.queryOne("SELECT ?", (Object) null).orElseThrow().get(0));
            }
        });
    }

    // ---- ported one by one from aiosqlite's smoke tests (see docs/guide-sqlite.md) ----------------------

    @AsyncioTest
    void aPathAndAStringNamingTheSameFileOpenTheSameDatabase(Runner runner) {
        runner.run(() -> {
            try (Database db = Database.connect(dir.resolve("loc.db"))) {
                db.execute("CREATE TABLE foo(i INTEGER, k INTEGER)");
                db.execute("INSERT INTO foo VALUES (1, 5)");
            }
            for (Database db : List.of(Database.connect(dir.resolve("loc.db")), Database.connect(file("loc.db")))) {
                try (db) {
                    assertEquals(List.of(Map.of("i", 1L, "k", 5L)), db.query("SELECT * FROM foo").stream().map(Row::toMap).toList());
                }
            }
        });
    }

    @AsyncioTest
    void aDatabaseUsedFromAnotherThreadsLoopIsRefusedWithAClearMessage(Runner runner) {
        runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                db.execute("CREATE TABLE foo(id INTEGER)");
                // aiosqlite lets four loops share one connection; here each loop opens its own Database
                String refusal = Asyncio.toThread(() -> {
                    try (Runner second = new Runner()) {
                        return second.run(() -> assertThrows(IllegalStateException.class, () -> db.query("SELECT 1")).getMessage());
                    }
                });
                assertTrue(refusal.contains("open one Database per event loop"), refusal);
                assertEquals(0, db.query("SELECT * FROM foo").size()); // still usable by its own loop
            }
        });
    }

    @AsyncioTest
    void aDeterministicFunctionCanIndexAnExpressionAndANonDeterministicOneCannot(Runner runner) {
        runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                db.createFunction("twice", 1, true, args -> (Long) args[0] * 2);
                db.createFunction("noisy", 1, false, args -> (Long) args[0] * 2);
                db.execute("CREATE TABLE foo(id INTEGER, bar INTEGER)");
                db.execute("CREATE INDEX by_twice ON foo(twice(bar))");
                DatabaseError e = assertThrows(DatabaseError.class, () -> db.execute("CREATE INDEX by_noisy ON foo(noisy(bar))"));
                assertTrue(e.getMessage().contains("non-deterministic"), e.getMessage());
            }
        });
    }

    @AsyncioTest
    void iterdumpOfASmallTableIsExactlyTheLinesSqlite3Prints(Runner runner) {
        List<String> lines = runner.run(() -> {
            try (Database db = Database.connect(":memory:")) {
                db.execute("CREATE TABLE foo (i integer, k charvar(250))");
                db.executeMany("INSERT INTO foo VALUES (?, ?)", List.of(new Object[] {1, "hello"}, new Object[] {2, "world"}));
                return db.iterdump().toList();
            }
        });
        assertEquals(List.of("BEGIN TRANSACTION;", "CREATE TABLE foo (i integer, k charvar(250));",
                "INSERT INTO \"foo\" VALUES(1,'hello');", "INSERT INTO \"foo\" VALUES(2,'world');", "COMMIT;"), lines);
    }

    @AsyncioTest
    void aStreamCreatedBeforeCloseFailsWithAProgrammingErrorWhenReadAfterIt(Runner runner) {
        runner.run(() -> {
            Database db = Database.connect(file("closed.db"));
            AsyncGenerator<Row> rows = db.stream("SELECT 1, 2");
            db.close();
            ProgrammingError e = assertThrows(ProgrammingError.class, rows::next);
            assertTrue(e.getMessage().contains("closed database"), e.getMessage());
        });
    }

    @AsyncioTest
    void queriesRacingACloseEachSucceedOrFailWithAProgrammingError(Runner runner) {
        List<String> outcomes = runner.run(() -> {
            Database db = Database.connect(file("race.db"));
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                if (i == 50) {
                    calls.add(() -> {
                        db.close();
                        return "closed";
                    });
                }
                calls.add(() -> {
                    try {
                        return db.query("SELECT 1, 2").size() == 1 ? "ok" : "wrong";
                    } catch (ProgrammingError e) {
                        return "refused";
                    }
                });
            }
            return Asyncio.gather(calls, Callable::call);
        });
        assertEquals(101, outcomes.size());
        assertEquals("closed", outcomes.get(50));
        assertTrue(outcomes.subList(0, 50).stream().allMatch("ok"::equals), outcomes.toString());
        assertTrue(outcomes.subList(51, 101).stream().allMatch("refused"::equals), outcomes.toString());
    }

    @AsyncioTest
    void closeWaitsForTheStatementsAlreadyQueued(Runner runner) {
        runner.run(() -> {
            Database db = Database.connect(file("drain.db"));
            List<Task<Long>> queued = IntStream.range(0, 1000).mapToObj(i -> Asyncio.createTask(
                    () -> db.queryOne("SELECT ?", i).orElseThrow().getLong(0))).toList();
            Asyncio.sleep(0); // every task runs until it waits on its statement
            db.close();
            for (int i = 0; i < queued.size(); i++) {
                assertEquals(i, queued.get(i).result());
            }
            assertTrue(db.toString().endsWith(", closed, 0 statements queued]"), db.toString());
        });
    }
}
