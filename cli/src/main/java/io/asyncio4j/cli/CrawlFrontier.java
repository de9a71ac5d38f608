package io.asyncio4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

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
 * {@code robots(host PRIMARY KEY, status, body)}, {@code offsets(name PRIMARY KEY, bytes)} and
 * {@code options(name PRIMARY KEY, value)} (the scope options the crawl was started with, {@link #checkOptions}). Each call is
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
                    CREATE TABLE IF NOT EXISTS options(name TEXT PRIMARY KEY, value TEXT NOT NULL);
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
        // one executeMany per list: a page's hundred links are one hand-off to the database thread, not a hundred
        return db.transaction(tx -> {
            long added = 0;
            if (!urls.isEmpty()) {
                added = tx.executeMany("INSERT OR IGNORE INTO urls(url, depth, referrer, state) VALUES (?, ?, ?, ?)",
                        rows(urls, u -> new Object[] {u, depth, referrer, QUEUED})).rowsChanged();
            }
            if (!offScope.isEmpty()) {
                tx.executeMany("INSERT OR IGNORE INTO urls(url, depth, referrer, state) VALUES (?, -1, ?, ?)",
                        rows(offScope, u -> new Object[] {u, referrer, OFF_SCOPE}));
            }
            return (int) added;
        });
    }

    /**
     * Gives a queued URL the smaller {@code depth}, with {@code referrer}, when it was queued deeper; true if it
     * did. A redirect's target keeps the redirect's depth, so it may be found at the depth of the level being
     * crawled after a link of that level queued it one deeper: without this its depth, and with it the pages
     * within {@code --depth}, would depend on which of the two answers came first.
     */
    boolean lowerDepth(String url, int depth, String referrer) {
        return db.execute("UPDATE urls SET depth = ?, referrer = ? WHERE url = ? AND state = ? AND depth > ?",
                depth, referrer, url, QUEUED, depth).rowsChanged() == 1;
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
            if (!batch.isEmpty()) {
                tx.executeMany("UPDATE urls SET state = ? WHERE url = ?", rows(batch, e -> new Object[] {IN_FLIGHT, e.url()}));
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
        return take(max, depth, List.of(), url -> true);
    }

    /**
     * Of the oldest {@code max} queued URLs of {@code depth} whose origin is none of {@code skipOrigins}, those
     * {@code admit} accepts (asked in order, on the calling task), now marked in flight; the others stay queued
     * in their place. An origin is {@code scheme://authority} as the normalised URLs spell it: skipping the
     * hosts that have their share of tasks, and admitting no more than a host's share, keeps one slow host from
     * taking every task. The skipped URLs are still scanned (in the order of the index) before those returned.
     */
    List<Entry> take(int max, int depth, List<String> skipOrigins, Predicate<String> admit) {
        StringBuilder sql = new StringBuilder("SELECT url, referrer FROM urls WHERE state = ? AND depth = ?");
        List<Object> params = new ArrayList<>(List.of(QUEUED, depth));
        for (String origin : skipOrigins) {
            sql.append(" AND substr(url, 1, ?) <> ?");
            params.add(origin.length() + 1);
            params.add(origin + "/");
        }
        sql.append(" ORDER BY rowid LIMIT ?");
        params.add(max);
        return db.transaction(tx -> {
            List<Entry> batch = new ArrayList<>();
            for (Row r : tx.query(sql.toString(), params.toArray())) {
                if (admit.test(r.getString("url"))) {
                    batch.add(new Entry(r.getString("url"), depth, r.getString("referrer")));
                }
            }
            if (!batch.isEmpty()) {
                tx.executeMany("UPDATE urls SET state = ? WHERE url = ?", rows(batch, e -> new Object[] {IN_FLIGHT, e.url()}));
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
            if (!done.isEmpty()) {
                tx.executeMany("UPDATE urls SET state = ? WHERE url = ?", rows(done, u -> new Object[] {DONE, u}));
            }
            if (!excluded.isEmpty()) {
                tx.executeMany("UPDATE urls SET state = ? WHERE url = ?", rows(excluded, u -> new Object[] {ROBOTS_EXCLUDED, u}));
            }
            tx.executeMany("INSERT OR REPLACE INTO offsets(name, bytes) VALUES (?, ?)",
                    rows(List.copyOf(offsets.entrySet()), o -> new Object[] {o.getKey(), o.getValue()}));
            return null;
        });
    }

    /**
     * Compares the options that decide which pages a crawl fetches ({@code --depth}, {@code --include}, ...,
     * by name) with those the state file was made with, and records them when it holds none (a new crawl, or
     * one made before options were recorded). Returns a description of each difference, e.g.
     * {@code "--depth 3 (this run: 5)"}; empty when they agree.
     */
    List<String> checkOptions(Map<String, String> options) {
        return db.transaction(tx -> {
            Map<String, String> before = new LinkedHashMap<>();
            for (Row r : tx.query("SELECT name, value FROM options ORDER BY rowid")) {
                before.put(r.getString("name"), r.getString("value"));
            }
            List<String> differences = new ArrayList<>();
            if (before.isEmpty()) {
                tx.executeMany("INSERT INTO options(name, value) VALUES (?, ?)",
                        rows(List.copyOf(options.entrySet()), o -> new Object[] {o.getKey(), o.getValue()}));
                return differences;
            }
            Set<String> names = new LinkedHashSet<>(options.keySet());
            names.addAll(before.keySet());
            for (String name : names) {
                String was = before.getOrDefault(name, "");
                String now = options.getOrDefault(name, "");
                if (!was.equals(now)) {
                    differences.add(name + " " + shown(was) + " (this run: " + shown(now) + ")");
                }
            }
            return differences;
        });
    }

    private static String shown(String value) {
        return value.isEmpty() ? "none" : value;
    }

    private static <T> List<Object[]> rows(List<T> items, Function<T, Object[]> row) {
        List<Object[]> out = new ArrayList<>(items.size());
        for (T item : items) {
            out.add(row.apply(item));
        }
        return out;
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
