package io.asyncio4j.sqlite;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.testing.AsyncioTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Cancelling a task whose statement runs or waits on the connection thread. */
class CancellationTest {
    /** A query that would run for hours; started() tells the test the moment it runs inside SQLite. */
    static final String ENDLESS = "WITH RECURSIVE c(x) AS (SELECT started() UNION ALL SELECT x + 1 FROM c) "
            + "SELECT count(*) FROM c WHERE x < 1000000000000";

    @TempDir
    Path dir;

    private static Database openWithStartSignal(String path, CountDownLatch started) {
        Database db = Database.connect(path);
        db.createFunction("started", 0, args -> {
            started.countDown();
            return 1L;
        });
        db.execute("CREATE TABLE IF NOT EXISTS t(x)");
        return db;
    }

    @AsyncioTest
    void cancellingATaskDuringALongQueryInterruptsItAndTheConnectionStaysUsable(Runner runner) {
        runner.run(() -> {
            CountDownLatch started = new CountDownLatch(1);
            try (Database db = openWithStartSignal(dir.resolve("long.db").toString(), started)) {
                Task<Object> q = Asyncio.createTask(() -> db.query(ENDLESS));
                Asyncio.toThread(() -> started.await()); // the query now runs inside SQLite
                q.cancel();
                assertThrows(CancelledError.class, q::await);
                // without the interrupt this would wait for the endless query
                assertEquals(1L, db.queryOne("SELECT 1").orElseThrow().get(0));
                db.execute("INSERT INTO t VALUES (1)");
                assertEquals(1L, db.queryOne("SELECT count(*) FROM t").orElseThrow().get(0));
            }
        });
    }

    @AsyncioTest
    void aCancelledStatementThatWasStillQueuedNeverRuns(Runner runner) {
        runner.run(() -> {
            CountDownLatch started = new CountDownLatch(1);
            try (Database db = openWithStartSignal(dir.resolve("queued.db").toString(), started)) {
                Task<Object> slow = Asyncio.createTask(() -> db.query(ENDLESS));
                Asyncio.toThread(() -> started.await());
                Task<Object> queued = Asyncio.createTask(() -> db.execute("INSERT INTO t VALUES (1)"));
                Asyncio.sleep(0); // the insert is now queued behind the endless query
                queued.cancel();
                assertThrows(CancelledError.class, queued::await);
                slow.cancel();
                assertThrows(CancelledError.class, slow::await);
                assertEquals(0L, db.queryOne("SELECT count(*) FROM t").orElseThrow().get(0));
            }
        });
    }

    @AsyncioTest
    void cancellingAStreamsConsumerInterruptsTheReadAndClosesTheQuery(Runner runner) {
        runner.run(() -> {
            CountDownLatch started = new CountDownLatch(1);
            try (Database db = openWithStartSignal(dir.resolve("stream.db").toString(), started)) {
                Task<Object> consumer = Asyncio.createTask(() -> {
                    for (Row ignored : db.stream(ENDLESS)) {
                        return ignored;
                    }
                    return null;
                });
                Asyncio.toThread(() -> started.await());
                consumer.cancel();
                assertThrows(CancelledError.class, consumer::await);
                db.execute("INSERT INTO t VALUES (1)");
                assertEquals(1L, db.queryOne("SELECT count(*) FROM t").orElseThrow().get(0));
            }
        });
    }

    @AsyncioTest
    void aTaskCancelledDuringAStatementInsideATransactionRollsTheTransactionBack(Runner runner) {
        runner.run(() -> {
            CountDownLatch started = new CountDownLatch(1);
            try (Database db = openWithStartSignal(dir.resolve("tx.db").toString(), started)) {
                Task<Object> t = Asyncio.createTask(() -> db.transaction(tx -> {
                    tx.execute("INSERT INTO t VALUES (1)");
                    return tx.query(ENDLESS);
                }));
                Asyncio.toThread(() -> started.await());
                t.cancel();
                assertThrows(CancelledError.class, t::await);
                assertEquals(0L, db.queryOne("SELECT count(*) FROM t").orElseThrow().get(0));
                db.transaction(tx -> tx.execute("INSERT INTO t VALUES (2)"));
                assertEquals(1L, db.queryOne("SELECT count(*) FROM t").orElseThrow().get(0));
            }
        });
    }

    @AsyncioTest
    void aTaskCancelledWhileConnectingGetsCancelledErrorAndTheConnectionThreadEnds(Runner runner) {
        runner.run(() -> {
            String path = dir.resolve("cancelled-connect.db").toString();
            Task<Database> connecting = Asyncio.createTask(() -> Database.connect(path));
            Asyncio.sleep(0); // the task now waits for the connection thread to open the file
            List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("asyncio4j-sqlite-") && t.getName().endsWith(" " + path)).toList();
            assertEquals(1, threads.size(), threads.toString());
            connecting.cancel();
            assertThrows(CancelledError.class, connecting::await);
            for (Thread t : threads) {
                Asyncio.toThread(() -> t.join(5000));
                assertFalse(t.isAlive(), t.getName() + " still runs after its connect was cancelled");
            }
        });
    }

    @AsyncioTest
    void closingAStreamEarlyInterruptsTheChunkItWasReadingAhead(Runner runner) {
        runner.run(() -> {
            CountDownLatch started = new CountDownLatch(1);
            try (Database db = openWithStartSignal(dir.resolve("ahead.db").toString(), started)) {
                // one quick chunk, then a 65th row, then a scan that would run for hours without another row
                String sparse = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c "
                        + "WHERE x <= 64 OR (x = 65 AND started() = 1) OR x > 1000000000000";
                try (var rows = db.stream(sparse)) {
                    assertEquals(1L, rows.next().get(0));
                    Asyncio.toThread(() -> started.await()); // the read-ahead of the second chunk runs in SQLite
                }
                // without the interrupt this would wait behind the endless read-ahead
                assertEquals(1L, Asyncio.timeout(10.0, () -> db.queryOne("SELECT 1").orElseThrow().get(0)));
            }
        });
    }
}
