package io.asyncio4j.cli;

import java.util.List;
import java.util.Optional;

import io.asyncio4j.sqlite.Database;
import io.asyncio4j.sqlite.Row;

/**
 * The state of a crawl, on disk: every URL it has seen (the seen set), which of them are queued, in flight
 * or done, and the robots.txt answers it has fetched, so that a crawl killed at any moment resumes where it
 * was and its memory does not grow with the number of URLs.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * try (CrawlFrontier f = CrawlFrontier.open("pages.jsonl.state")) {   // in flight -> queued again
 *     f.offer(startUrl, 0, null);                  // false if the URL was seen before
 *     for (CrawlFrontier.Entry e : f.take(32)) {   // queued -> in flight
 *         ... fetch e.url(), write its output line ...
 *         f.done(e.url());                         // in flight -> done
 *     }
 * }
 * }</pre>
 *
 * <h2>States of a URL</h2>
 * <pre>
 *   offer() ──▶ QUEUED ──take()──▶ IN_FLIGHT ──done()──▶ DONE
 *                  ▲                   │
 *                  └── open() after ───┘   (a run that ended without done(): killed, interrupted)
 * </pre>
 * A URL is offered at most once: {@link #offer} of a URL already known (in any state) changes nothing and
 * says so, which is how each normalised URL is fetched at most once per crawl, across restarts.
 * {@link #take} hands out queued URLs in the order they were offered (breadth-first when offered so).
 *
 * <h2>Storage</h2>
 * One SQLite file through the {@code sqlite} module: {@code urls(url PRIMARY KEY, depth, referrer, state)}
 * and {@code robots(host PRIMARY KEY, status, body)}. Each call is one statement or one transaction, so the
 * file is consistent whenever the process dies (SQLite's write-ahead log makes each commit durable or
 * absent).
 *
 * <h2>Cancellation and thread-safety</h2>
 * Every method parks the calling task while the database thread runs its statement (see {@link Database});
 * a task cancelled inside {@link #take} rolls its transaction back, leaving the URLs queued. Calls from
 * several tasks of one loop are run one at a time, in the order made.
 */
final class CrawlFrontier implements AutoCloseable {

    /** A URL to fetch: its normalised form, its depth from the start URLs and the page that linked it. */
    record Entry(String url, int depth, String referrer) {
    }

    /** A stored robots.txt answer: the HTTP status (0 when unreachable) and the body. */
    record RobotsAnswer(int status, byte[] body) {
    }

    private static final int QUEUED = 0;
    private static final int IN_FLIGHT = 1;
    private static final int DONE = 2;

    private final Database db;
    private final long requeued;

    private CrawlFrontier(Database db, long requeued) {
        this.db = db;
        this.requeued = requeued;
    }

    /**
     * Opens (or creates) the state file, and puts back into the queue every URL a previous run left in
     * flight.
     */
    static CrawlFrontier open(String path) {
        Database db = Database.connect(path);
        try {
            db.executeScript("""
                    CREATE TABLE IF NOT EXISTS urls(
                        url TEXT PRIMARY KEY, depth INTEGER NOT NULL, referrer TEXT, state INTEGER NOT NULL);
                    CREATE INDEX IF NOT EXISTS urls_by_state ON urls(state);
                    CREATE TABLE IF NOT EXISTS robots(host TEXT PRIMARY KEY, status INTEGER NOT NULL, body BLOB);
                    """);
            long requeued = db.execute("UPDATE urls SET state = ? WHERE state = ?", QUEUED, IN_FLIGHT).rowsChanged();
            return new CrawlFrontier(db, requeued);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** How many URLs {@link #open} put back into the queue because a previous run left them in flight. */
    long requeuedOnOpen() {
        return requeued;
    }

    /** Adds a URL to the queue unless it was ever seen; returns whether it was new. */
    boolean offer(String url, int depth, String referrer) {
        return db.execute("INSERT OR IGNORE INTO urls(url, depth, referrer, state) VALUES (?, ?, ?, ?)",
                url, depth, referrer, QUEUED).rowsChanged() == 1;
    }

    /** Whether a URL was ever offered (it is queued, in flight or done). */
    boolean seen(String url) {
        return db.queryOne("SELECT 1 FROM urls WHERE url = ?", url).isPresent();
    }

    /** Up to {@code max} queued URLs, oldest first, now marked in flight; empty when none is queued. */
    List<Entry> take(int max) {
        return db.transaction(tx -> {
            List<Entry> batch = tx.query(
                    "SELECT url, depth, referrer FROM urls WHERE state = ? ORDER BY rowid LIMIT ?", QUEUED, max)
                    .stream().map(r -> new Entry(r.getString("url"), r.getInt("depth"), r.getString("referrer")))
                    .toList();
            for (Entry e : batch) {
                tx.execute("UPDATE urls SET state = ? WHERE url = ?", IN_FLIGHT, e.url());
            }
            return batch;
        });
    }

    /** Marks a URL fetched (its output line written): it is never handed out again. */
    void done(String url) {
        db.execute("UPDATE urls SET state = ? WHERE url = ?", DONE, url);
    }

    /** Counts of URLs queued, in flight and done. */
    long[] counts() {
        long[] out = new long[3];
        for (Row r : db.query("SELECT state, COUNT(*) AS n FROM urls GROUP BY state")) {
            out[r.getInt("state")] = r.getLong("n");
        }
        return out;
    }

    /** Stores the robots.txt answer of a host ({@code scheme://host:port}). */
    void putRobots(String origin, int status, byte[] body) {
        db.execute("INSERT OR REPLACE INTO robots(host, status, body) VALUES (?, ?, ?)", origin, status, body);
    }

    /** The stored robots.txt answer of a host, if it was fetched in this crawl (or a run it resumes). */
    Optional<RobotsAnswer> robots(String origin) {
        return db.queryOne("SELECT status, body FROM robots WHERE host = ?", origin)
                .map(r -> new RobotsAnswer(r.getInt("status"), r.getBytes("body")));
    }

    @Override
    public void close() {
        db.close();
    }
}
