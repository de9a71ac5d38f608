package io.asyncio4j.sqlite;

import io.asyncio4j.AsyncGenerator;
import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.sync.Event;
import io.asyncio4j.testing.AsyncioTest;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** transaction(): BEGIN IMMEDIATE, commit, rollback, savepoints, and exclusion of other tasks' statements. */
class TransactionTest {
    @TempDir
    Path dir;

    private Database open(String name) {
        Database db = Database.connect(dir.resolve(name).toString());
        db.execute("CREATE TABLE t(x INTEGER)");
        return db;
    }

    private static long count(Database db) {
        return db.queryOne("SELECT count(*) FROM t").orElseThrow().getLong(0);
    }

    @AsyncioTest
    void aTransactionCommitsWhenItsBodyReturnsAndReturnsTheBodysValue(Runner runner) {
        runner.run(() -> {
            try (Database db = open("commit.db")) {
                String v = db.transaction(tx -> {
                    assertSame(db, tx);
                    assertTrue(tx.inTransaction());
                    tx.execute("INSERT INTO t VALUES (1)");
                    return "done";
                });
                assertEquals("done", v);
                assertFalse(db.inTransaction());
                assertEquals(1, count(db));
            }
        });
    }

    @AsyncioTest
    void aTransactionRollsBackWhenItsBodyThrowsAndRethrowsTheFailure(Runner runner) {
        runner.run(() -> {
            try (Database db = open("rollback.db")) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> db.transaction(tx -> {
                    tx.execute("INSERT INTO t VALUES (1)");
                    throw new IllegalStateException("no");
                }));
                assertEquals("no", e.getMessage());
                CompletionException checked = assertThrows(CompletionException.class, () -> db.transaction(tx -> {
                    tx.execute("INSERT INTO t VALUES (2)");
                    throw new IOException("checked");
                }));
                assertInstanceOf(IOException.class, checked.getCause());
                assertEquals(0, count(db));
            }
        });
    }

    @AsyncioTest
    void aNestedTransactionIsASavepointWhoseFailureUndoesOnlyItsOwnWork(Runner runner) {
        runner.run(() -> {
            try (Database db = open("nested.db")) {
                db.transaction(tx -> {
                    tx.execute("INSERT INTO t VALUES (1)");
                    assertThrows(IllegalStateException.class, () -> tx.transaction(inner -> {
                        inner.execute("INSERT INTO t VALUES (2)");
                        throw new IllegalStateException("inner fails");
                    }));
                    tx.transaction(inner -> inner.execute("INSERT INTO t VALUES (3)"));
                    return null;
                });
                assertEquals(List.of(1L, 3L), db.query("SELECT x FROM t ORDER BY x").stream().map(r -> r.getLong(0)).toList());
            }
        });
    }

    @AsyncioTest
    void aStreamAndADumpOpenedInsideATransactionArePartOfItAndSeeItsWrites(Runner runner) {
        runner.run(() -> {
            try (Database db = open("stream-in-tx.db")) {
                db.transaction(tx -> {
                    tx.execute("INSERT INTO t VALUES (7)");
                    assertEquals(List.of(7L), tx.stream("SELECT x FROM t").toList().stream().map(r -> r.getLong(0)).toList());
                    assertTrue(tx.iterdump().toList().contains("INSERT INTO \"t\" VALUES(7);"));
                    return null;
                });
            }
        });
    }

    @AsyncioTest
    void anotherTasksStatementWaitsForTheTransactionInsteadOfJoiningIt(Runner runner) {
        List<String> events = runner.run(() -> {
            List<String> log = new ArrayList<>();
            try (Database db = open("wait.db")) {
                Task<Void> writer = Asyncio.createTask(() -> {
                    db.transaction(tx -> {
                        tx.execute("INSERT INTO t VALUES (1)");
                        log.add("tx inserted");
                        Asyncio.sleep(1); // the other task runs now
                        log.add("tx sees " + count(tx));
                        throw new IllegalStateException("roll back");
                    });
                    return null;
                });
                Asyncio.sleep(0.1);
                log.add("other executes");
                db.execute("INSERT INTO t VALUES (2)");
                log.add("other done, count " + count(db));
                assertThrows(IllegalStateException.class, writer::await);
            }
            return log;
        });
        assertEquals(List.of("tx inserted", "other executes", "tx sees 1", "other done, count 1"), events);
    }

    /**
     * 100 tasks each run a transaction that reads a counter, yields at random points, and writes it back plus
     * five log rows; readers outside transactions count the log meanwhile. If any statement interleaved into a
     * transaction, an increment would be lost or a reader would see a half-written transaction.
     */
    @AsyncioTest
    void transactionsOfAHundredTasksNeverInterleave(Runner runner) {
        for (long seed : new long[] {1, 42, 20261206}) {
            Random random = new Random(seed);
            int[] yieldsAt = random.ints(100, 0, 6).toArray();
            double[] sleeps = random.doubles(100, 0, 0.01).toArray();
            List<Long> seenByReaders = new ArrayList<>();
            long counter = runner.run(() -> {
                try (Database db = Database.connect(dir.resolve("hundred-" + seed + ".db").toString())) {
                    db.executeScript("CREATE TABLE counter(n INTEGER); INSERT INTO counter VALUES (0);"
                            + "CREATE TABLE log(task INTEGER, step INTEGER)");
                    List<Task<?>> tasks = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        int id = i;
                        tasks.add(Asyncio.createTask(() -> db.transaction(tx -> {
                            long n = tx.queryOne("SELECT n FROM counter").orElseThrow().getLong(0);
                            for (int step = 0; step < 5; step++) {
                                if (step == yieldsAt[id]) {
                                    Asyncio.sleep(sleeps[id]);
                                }
                                tx.execute("INSERT INTO log VALUES (?, ?)", id, step);
                            }
                            tx.execute("UPDATE counter SET n = ?", n + 1);
                            return null;
                        })));
                        if (i % 10 == 0) {
                            tasks.add(Asyncio.createTask(() -> seenByReaders.add(
                                    db.queryOne("SELECT count(*) FROM log").orElseThrow().getLong(0))));
                        }
                    }
                    Asyncio.gather(tasks);
                    // each transaction's five rows are consecutive in insertion order
                    List<Row> log = db.query("SELECT task, step FROM log ORDER BY rowid");
                    for (int r = 0; r < log.size(); r++) {
                        assertEquals(log.get(r - r % 5).getLong("task"), log.get(r).getLong("task"), "seed " + seed);
                        assertEquals(r % 5, log.get(r).getLong("step"), "seed " + seed);
                    }
                    return db.queryOne("SELECT n FROM counter").orElseThrow().getLong(0);
                }
            });
            assertEquals(100, counter, "seed " + seed);
            assertEquals(10, seenByReaders.size());
            for (long seen : seenByReaders) {
                assertEquals(0, seen % 5, "a reader saw half a transaction, seed " + seed + ": " + seenByReaders);
            }
        }
    }

    @AsyncioTest
    void aTaskCancelledInsideATransactionRollsItBackAndTheDatabaseStaysUsable(Runner runner) {
        runner.run(() -> {
            try (Database db = open("cancel-tx.db")) {
                Task<Object> t = Asyncio.createTask(() -> db.transaction(tx -> {
                    tx.execute("INSERT INTO t VALUES (1)");
                    Asyncio.sleep(60);
                    tx.execute("INSERT INTO t VALUES (2)");
                    return null;
                }));
                Asyncio.sleep(1);
                assertTrue(db.inTransaction());
                t.cancel();
                assertThrows(CancelledError.class, t::await);
                assertFalse(db.inTransaction());
                assertEquals(0, count(db));
                db.transaction(tx -> tx.execute("INSERT INTO t VALUES (3)"));
                assertEquals(1, count(db));
            }
        });
    }

    @AsyncioTest
    void aTaskCancelledWhileWaitingForAnotherTransactionLosesItsPlace(Runner runner) {
        List<String> events = runner.run(() -> {
            List<String> log = new ArrayList<>();
            try (Database db = open("cancel-wait.db")) {
                Task<Object> holder = Asyncio.createTask(() -> db.transaction(tx -> {
                    Asyncio.sleep(10);
                    return tx.execute("INSERT INTO t VALUES (1)");
                }));
                Asyncio.sleep(1);
                Task<Object> waiter = Asyncio.createTask(() -> db.execute("INSERT INTO t VALUES (2)"));
                Task<Object> next = Asyncio.createTask(() -> {
                    db.execute("INSERT INTO t VALUES (3)");
                    return log.add("next ran");
                });
                Asyncio.sleep(1);
                assertFalse(waiter.done());
                waiter.cancel();
                assertThrows(CancelledError.class, waiter::await);
                holder.await();
                next.await();
                assertEquals(List.of(1L, 3L), db.query("SELECT x FROM t ORDER BY x").stream().map(r -> r.getLong(0)).toList());
            }
            return log;
        });
        assertEquals(List.of("next ran"), events);
    }

    @AsyncioTest
    void tenTasksEachWithItsOwnConnectionAllCommitToTheSameFile(Runner runner) {
        String many = dir.resolve("many.db").toString();
        long rows = runner.run(() -> {
            try (Database db = Database.connect(many)) {
                db.execute("CREATE TABLE t(i INTEGER PRIMARY KEY, k INTEGER)");
            }
            Asyncio.gather(IntStream.range(0, 10).boxed().toList(), k -> {
                try (Database db = Database.connect(many)) {
                    return db.execute("INSERT INTO t(k) VALUES (?)", k);
                }
            });
            try (Database db = Database.connect(many)) {
                return db.queryOne("SELECT count(*) FROM t").orElseThrow().getLong(0);
            }
        });
        assertEquals(10L, rows);
    }

    @AsyncioTest
    void aStreamReadsOneChunkAheadButNeverIntoAnotherTasksTransaction(Runner runner) {
        runner.run(() -> {
            AtomicInteger read = new AtomicInteger(); // rows SQLite produced on the connection thread
            try (Database db = Database.connect(":memory:")) {
                db.createFunction("counted", 1, args -> {
                    read.incrementAndGet();
                    return args[0];
                });
                db.execute("CREATE TABLE t AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000) "
                        + "SELECT x FROM c");
                try (AsyncGenerator<Row> rows = db.stream("SELECT counted(x) FROM t")) {
                    assertEquals(1L, rows.next().get(0));
                    db.queryOne("SELECT 1"); // queued behind the chunk read ahead, so that read has finished
                    assertEquals(2 * Database.STREAM_CHUNK, read.get()); // one chunk ahead, no more
                    Event inside = new Event();
                    Event release = new Event();
                    Task<Object> writer = Asyncio.createTask(() -> db.transaction(tx -> {
                        inside.set();
                        release.await();
                        return null;
                    }));
                    inside.await();
                    for (int i = 2; i <= 2 * Database.STREAM_CHUNK; i++) {
                        assertEquals((long) i, rows.next().get(0)); // both chunks were read before the transaction
                    }
                    Task<Row> third = Asyncio.createTask(rows::next);
                    for (int i = 0; i < 5; i++) {
                        Asyncio.sleep(0);
                    }
                    assertFalse(third.done(), "the third chunk waits for the other task's transaction");
                    assertEquals(2 * Database.STREAM_CHUNK, read.get());
                    release.set();
                    writer.await();
                    assertEquals(2L * Database.STREAM_CHUNK + 1, third.await().get(0));
                }
            }
        });
    }
}
