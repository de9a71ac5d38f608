package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.sqlite.Database;
import io.asyncio4j.sqlite.Row;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * sqlite3 → aiosqlite: read a table without stopping the loop.
 *
 * <p>Tutorial: "async 라이브러리 — 쓰던 라이브러리의 형제" of "파이썬 async·await — asyncio"
 * ({@code async with aiosqlite.connect("db.sqlite") as db: async with db.execute("SELECT * FROM users") as cur:
 * rows = await cur.fetchall()}). Here {@code aiosqlite} is {@code io.asyncio4j.sqlite.Database}: the
 * try-with-resources block is {@code async with}, and {@code query} is {@code execute} + {@code fetchall}.
 * The tutorial's {@code db.sqlite} already has a {@code users} table; this example creates it with two
 * users first, in a temporary directory that it deletes.
 * <pre>
 * Row{id=1, name=Ada}
 * Row{id=2, name=Grace}
 * </pre>
 */
public final class AiosqliteExample {
    private final PrintStream out;

    AiosqliteExample(PrintStream out) {
        this.out = out;
    }

    List<Row> main() throws IOException {
        Path dir = Files.createTempDirectory("asyncio4j-example");
        Path file = dir.resolve("db.sqlite");
        try {
            try (Database db = Database.connect(file)) {
                db.executeScript("""
                        CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT);
                        INSERT INTO users(name) VALUES ('Ada'), ('Grace');
                        """);
            }

            // async with aiosqlite.connect("db.sqlite") as db:
            List<Row> rows;
            try (Database db = Database.connect(file)) {
                // async with db.execute("SELECT * FROM users") as cur: rows = await cur.fetchall()
                rows = db.query("SELECT * FROM users");
            }
            rows.forEach(out::println);
            return rows;
        } finally {
            for (String leftover : List.of("db.sqlite", "db.sqlite-wal", "db.sqlite-shm")) {
                Files.deleteIfExists(dir.resolve(leftover));
            }
            Files.delete(dir);
        }
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new AiosqliteExample(System.out).main());
    }
}
