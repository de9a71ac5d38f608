package io.asyncio4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

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
 *   offer() ──▶ QUEUED ──take()──▶ IN_FLIGHT ──done()/commit()──▶ DONE            (fetched, line written)
 *                  ▲                   │    └──────commit()──────────▶ ROBOTS_EXCLUDED (robots.txt said no)
 *                  └── open() after ───┘   (a run that ended without done(): killed, interrupted)
 *   offerAll(.., offScope) ─────────────────────────────────────────▶ OFF_SCOPE       (seen, never fetched)
 * </pre>
 * A URL is offered at most once: {@link #offer} of a URL already known (in any state) changes nothing and
 * says so, which is how each normalised URL is fetched at most once per crawl, across restarts.
 * {@link #take} hands out queued URLs in the order they were offered (breadth-first when offered so);
 * {@link #take(int, int)} only those of one depth, which is how {@code crawl} goes level by level.
 *
 * <h2>Offsets</h2>
 * {@link #commit} marks a batch of URLs done and, in the same transaction, records how long the output
 * files were once their lines were written ({@link #offset}): a rerun cuts each file back to its recorded
 * length, so that a line is in the output if and only if its URL is done.
 *
 * <h2>Storage</h2>
 * One SQLite file through the {@code sqlite} module: {@code urls(url PRIMARY KEY, depth, referrer, state)},
 * {@code robots(host PRIMARY KEY, status, body)} and {@code offsets(name PRIMARY KEY, bytes)}. Each call is
 * one statement or one transaction, so the file is consistent whenever the process dies (SQLite's
 * write-ahead log makes each commit durable or absent). {@code synchronous=NORMAL}: a commit survives a
 * killed process at once and a power loss from the next checkpoint on, without an fsync per commit.
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
    private static final int ROBOTS_EXCLUDED = 3;
    private static final int OFF_SCOPE = 4;

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
                    PRAGMA synchronous = NORMAL;
                    CREATE TABLE IF NOT EXISTS urls(
                        url TEXT PRIMARY KEY, depth INTEGER NOT NULL, referrer TEXT, state INTEGER NOT NULL);
                    CREATE INDEX IF NOT EXISTS urls_by_state ON urls(state, depth);
                    CREATE TABLE IF NOT EXISTS robots(host TEXT PRIMARY KEY, status INTEGER NOT NULL, body BLOB);
                    CREATE TABLE IF NOT EXISTS offsets(name TEXT PRIMARY KEY, bytes INTEGER NOT NULL);
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

    /**
     * Adds the in-scope URLs found on one page to the queue and records its out-of-scope ones (so that each is
     * counted once), in one transaction; returns how many of {@code urls} were new (the others were seen
     * before).
     */
    int offerAll(List<String> urls, int depth, String referrer, List<String> offScope) {
        if (urls.isEmpty() && offScope.isEmpty()) {
            return 0;
        }
        return db.transaction(tx -> {
            int added = 0;
            for (String url : urls) {
                added += (int) tx.execute("INSERT OR IGNORE INTO urls(url, depth, referrer, state) VALUES (?, ?, ?, ?)",
                        url, depth, referrer, QUEUED).rowsChanged();
            }
            for (String url : offScope) {
                tx.execute("INSERT OR IGNORE INTO urls(url, depth, referrer, state) VALUES (?, -1, ?, ?)",
                        url, referrer, OFF_SCOPE);
            }
            return added;
        });
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

    /** The smallest depth of a queued URL, or empty when none is queued. */
    OptionalInt minQueuedDepth() {
        Optional<Row> r = db.queryOne("SELECT MIN(depth) AS d FROM urls WHERE state = ?", QUEUED);
        return r.isEmpty() || r.get().isNull("d") ? OptionalInt.empty() : OptionalInt.of(r.get().getInt("d"));
    }

    /** Up to {@code max} queued URLs of {@code depth}, oldest first, now marked in flight. */
    List<Entry> take(int max, int depth) {
        return db.transaction(tx -> {
            List<Entry> batch = new ArrayList<>();
            for (Row r : tx.query("SELECT url, referrer FROM urls WHERE state = ? AND depth = ? ORDER BY rowid LIMIT ?",
                    QUEUED, depth, max)) {
                batch.add(new Entry(r.getString("url"), depth, r.getString("referrer")));
                tx.execute("UPDATE urls SET state = ? WHERE url = ?", IN_FLIGHT, r.getString("url"));
            }
            return batch;
        });
    }

    /** Puts URLs taken but not fetched (a page limit was reached) back in the queue. */
    void requeue(List<String> urls) {
        if (!urls.isEmpty()) {
            db.transaction(tx -> {
                for (String url : urls) {
                    tx.execute("UPDATE urls SET state = ? WHERE url = ? AND state = ?", QUEUED, url, IN_FLIGHT);
                }
                return null;
            });
        }
    }

    /**
     * In one transaction: marks {@code done} URLs fetched, {@code excluded} ones kept out by robots.txt, and
     * records the length of each output file ({@code offsets}, by name) once their lines were written.
     */
    void commit(List<String> done, List<String> excluded, Map<String, Long> offsets) {
        db.transaction(tx -> {
            for (String url : done) {
                tx.execute("UPDATE urls SET state = ? WHERE url = ?", DONE, url);
            }
            for (String url : excluded) {
                tx.execute("UPDATE urls SET state = ? WHERE url = ?", ROBOTS_EXCLUDED, url);
            }
            for (Map.Entry<String, Long> o : offsets.entrySet()) {
                tx.execute("INSERT OR REPLACE INTO offsets(name, bytes) VALUES (?, ?)", o.getKey(), o.getValue());
            }
            return null;
        });
    }

    /** The length recorded for an output file by the last {@link #commit}, or -1 when none was. */
    long offset(String name) {
        return db.queryOne("SELECT bytes FROM offsets WHERE name = ?", name).map(r -> r.getLong("bytes")).orElse(-1L);
    }

    /** Marks a URL fetched (its output line written): it is never handed out again. */
    void done(String url) {
        db.execute("UPDATE urls SET state = ? WHERE url = ?", DONE, url);
    }

    /** Counts of URLs queued, in flight, done, kept out by robots.txt and out of scope, in that order. */
    long[] counts() {
        long[] out = new long[5];
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
