package io.asyncio4j.cli;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.ExceptionGroup;
import io.asyncio4j.Task;
import io.asyncio4j.cli.FetchResult.ErrorKind;
import io.asyncio4j.http.BodyTooLarge;
import io.asyncio4j.http.ClientConnectionError;
import io.asyncio4j.http.ClientError;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.ClientTimeoutError;
import io.asyncio4j.http.InvalidUrl;
import io.asyncio4j.http.RateLimitHeaders;
import io.asyncio4j.http.Response;
import io.asyncio4j.http.Retry;
import io.asyncio4j.sync.Event;

/**
 * One run of {@code crawl}, inside {@code Asyncio.run}: takes URLs from the {@link CrawlFrontier} level by
 * level, fetches each on a task of its own within the per-host rules ({@link CrawlHost}), writes its line and
 * queues the links it holds.
 * <pre>
 *   dispatcher ──take(depth L)──▶ page tasks (at most 2·c) ──▶ CrawlHost gate ──▶ session (at most c)
 *       ▲  waits until level L is done                │ line ─▶ CrawlOutput     links ─▶ frontier (L+1)
 *       └──────────────── frontier (SQLite) ◀─────────┘ every 100 ms: lines written, then URLs marked done
 * </pre>
 *
 * <h2>Level by level</h2>
 * The dispatcher hands out only URLs of the smallest queued depth L, and starts on depth L+1 only when every
 * page of depth L is done. So every URL is first found at its shortest distance from the start URLs, and the
 * set of pages a crawl fetches for a {@code --depth} does not depend on timing, concurrency or restarts. The
 * price: at the end of each level fewer than {@code -c} requests are in flight for a moment.
 *
 * <h2>Per host</h2>
 * A host has at most twice {@code --per-host} page tasks at once (its requests in flight and as many waiting
 * their turn): the dispatcher leaves a host's further URLs queued and takes other hosts' ones meanwhile, so a
 * host that answers slowly, or has a long crawl delay, does not hold every one of the 2·c tasks while the
 * other hosts' pages wait.
 * The first task that meets a host reads its robots.txt (and, with {@code --sitemaps}, the sitemaps it names,
 * else {@code /sitemap.xml}, queueing their pages one level deeper), while the host's other tasks wait. Each
 * request then takes a slot of the host's {@code --per-host} and its turn (with a gap, {@code --delay} or the
 * robots.txt crawl delay if longer, one request at a time, the gap after the previous one's end). A sitemap
 * is read only when its own host's robots.txt allows it (a sitemap on another host: that host's robots.txt is
 * read first). A 429 or 503 answer pauses the whole host for its {@code Retry-After}
 * (or an exponential backoff without one, both capped by {@code --max-crawl-delay}) and the URL is tried
 * again, {@value #ATTEMPTS} times in all. Redirects are not followed by the session: a 3xx is the URL's line
 * (its {@code final_url} the target), and the target is queued at the same depth if in scope, so every hop
 * is a request of its own host, with that host's robots.txt and gap.
 *
 * <h2>Resumable</h2>
 * A page's links are queued (one transaction) before its line is written; lines are written and then their
 * URLs marked done, with the output's new length, in one transaction every 100 ms ({@link #commit}). A rerun
 * cuts the output back to that length and puts in-flight URLs back in the queue ({@link CrawlOutput},
 * {@link CrawlFrontier}): a page is in the output once, and a page whose links may not all be queued is
 * fetched again.
 *
 * <h2>Cancellation</h2>
 * Ctrl-C cancels the run's task (see {@link Interruption}): the page tasks stop where they wait, the output is
 * written and, when the state file allows one more transaction, committed; what was not committed is
 * fetched again by the rerun.
 *
 * <p>Thread-safety: the tasks of the run share every field; they run one at a time on the loop thread.
 */
final class CrawlRun {

    /** The options that shape a crawl. */
    record Settings(List<String> startUrls, CrawlScope scope, UrlNormalizer normalizer, String userAgent,
                    int concurrency, int perHost, Duration delay, Duration maxCrawlDelay, boolean ignoreRobots,
                    boolean sitemaps, long maxPages) {
    }

    static final int ATTEMPTS = 4;
    private static final int MAX_SITEMAPS_PER_HOST = 50;
    private static final int ROBOTS_REDIRECTS = 5;
    // pages up to this size are parsed on the loop (the hand-off to a worker would cost more than jsoup takes);
    // a bigger page is parsed on a worker thread, so parsing runs on every core beside the loop's network work
    private static final int PARSE_ON_LOOP_BYTES = 16 * 1024;
    private static final Duration TICK = Duration.ofMillis(100);
    private static final Retry BACKOFF = Retry.of(ATTEMPTS).base(Duration.ofSeconds(1)).max(Duration.ofSeconds(30));
    private static final Pattern CHARSET = Pattern.compile("(?i)charset\\s*=\\s*\"?([^\\s;\"]+)");

    private final ClientSession session;
    private final Settings settings;
    private final CrawlFrontier frontier;
    private final CrawlOutput output;
    private final CrawlArchive archive;
    private final ProgressBar progress;
    private final CrawlSummary summary = new CrawlSummary();
    private final Map<String, CrawlHost> hosts = new HashMap<>();
    // page tasks started and not over, by origin: a host with its share is skipped by the dispatcher's take
    private final Map<String, Integer> tasksPerHost = new HashMap<>();
    private final Event changed = new Event();
    // what the dispatcher's last fruitless take saw, so that it does not scan the same queue again for nothing
    private final FruitlessTake fruitless = new FruitlessTake();
    // all below: written and read by the run's tasks on the loop thread
    private List<String> pendingDone = new ArrayList<>();
    private List<String> pendingExcluded = new ArrayList<>();
    private long queued;
    private int active;
    private int activeDepth = -1;
    // pages taken this run towards --max-pages (a URL kept out by robots.txt gives its place back)
    private long reserved;
    private long doneBefore;
    private boolean finished;
    private long start;

    /**
     * @param archive  where bodies go ({@code --save}, {@code --warc}), or null
     * @param progress the progress bar, or null
     */
    CrawlRun(ClientSession session, Settings settings, CrawlFrontier frontier, CrawlOutput output,
             CrawlArchive archive, ProgressBar progress) {
        this.session = session;
        this.settings = settings;
        this.frontier = frontier;
        this.output = output;
        this.archive = archive;
        this.progress = progress;
    }

    /** Crawls until nothing in scope is queued (or {@code --max-pages}); returns the summary. Runs on a task. */
    CrawlSummary run() {
        start = System.nanoTime();
        for (String url : settings.startUrls()) {
            frontier.offer(url, 0, null);
        }
        long[] counts = frontier.counts();
        queued = counts[0];
        doneBefore = counts[2];
        try {
            Asyncio.taskGroup(group -> {
                Task<Void> ticker = group.createTask(this::tick, "crawl ticker");
                try {
                    dispatch(group);
                } finally {
                    finished = true;
                }
                ticker.await();
                return null;
            });
        } catch (ExceptionGroup e) {
            throw e.exceptions().getFirst() instanceof RuntimeException first ? first : e;
        } catch (CancelledError e) {
            try {
                commit();
            } catch (RuntimeException | CancelledError late) {
                e.addSuppressed(late); // the rerun fetches what was not committed
            }
            throw e;
        } finally {
            if (progress != null) {
                progress.clear();
            }
        }
        commit();
        long[] end = frontier.counts();
        summary.robotsExcluded = end[3];
        summary.offScope = end[4];
        return summary;
    }

    /** The totals so far. */
    CrawlSummary summary() {
        return summary;
    }

    /** Nanoseconds since the run began. */
    long elapsed() {
        return System.nanoTime() - start;
    }

    /** Hands out URLs level by level, one task each, at most 2·c at once; returns when the crawl is done. */
    private void dispatch(io.asyncio4j.TaskGroup group) {
        int maxActive = 2 * settings.concurrency();
        while (true) {
            changed.clear();
            long left = settings.maxPages() == Long.MAX_VALUE ? Long.MAX_VALUE
                    : settings.maxPages() - doneBefore - reserved;
            // take in batches (a quarter of the tasks at least) rather than one frontier query per page done
            if (active > 0 && (maxActive - active < Math.max(1, maxActive / 4) || left <= 0)) {
                changed.await();
                continue;
            }
            if (left <= 0) {
                return; // the page limit is reached and nothing is in flight
            }
            OptionalInt level = frontier.minQueuedDepth();
            if (level.isEmpty() || active > 0 && activeDepth < level.getAsInt()) {
                if (active == 0) {
                    return; // nothing queued, nothing in flight: done
                }
                changed.await(); // a page task of this level may queue more of it, or the level ends
                continue;
            }
            int depth = level.getAsInt();
            List<String> busy = busyHosts();
            if (active > 0 && fruitless.wouldRepeat(depth, busy)) {
                changed.await(); // the same take found nothing, and neither the queue nor the busy hosts changed
                continue;
            }
            Map<String, Integer> inBatch = new HashMap<>();
            List<CrawlFrontier.Entry> batch = frontier.take((int) Math.min(maxActive - active, left), depth,
                    busy, url -> {
                        String origin = origin(url);
                        if (tasksPerHost.getOrDefault(origin, 0) + inBatch.getOrDefault(origin, 0) >= hostShare()) {
                            return false;
                        }
                        inBatch.merge(origin, 1, Integer::sum);
                        return true;
                    });
            if (batch.isEmpty() && active > 0) {
                fruitless.record(depth, busy);
                changed.await(); // every queued URL of the level is on a host that has its share of tasks
                continue;
            }
            activeDepth = depth;
            queued -= batch.size();
            for (CrawlFrontier.Entry e : batch) {
                active++;
                reserved++;
                String origin = origin(e.url());
                tasksPerHost.merge(origin, 1, Integer::sum);
                group.createTask(() -> {
                    try {
                        visit(e);
                    } finally {
                        active--;
                        tasksPerHost.merge(origin, -1, (a, b) -> a + b == 0 ? null : a + b);
                        changed.set();
                    }
                }, "crawl " + e.url());
            }
        }
    }

    /**
     * The hosts that have their share of page tasks, twice {@code --per-host} (as many as can be in flight to
     * it plus as many waiting their turn): the dispatcher takes no more of their URLs until one is over, so a
     * host that answers slowly holds its own tasks and not all of {@code -c}'s.
     */
    private List<String> busyHosts() {
        List<String> busy = new ArrayList<>();
        tasksPerHost.forEach((origin, n) -> {
            if (n >= hostShare()) {
                busy.add(origin);
            }
        });
        return busy;
    }

    private int hostShare() {
        return 2 * settings.perHost();
    }

    /** One URL: robots.txt, the request (again after a 429/503), its line and its links. */
    private void visit(CrawlFrontier.Entry e) {
        CrawlHost host = host(e.url());
        RobotsPolicy robots = robots(host, e.depth());
        if (!robots.allows(e.url())) {
            reserved--;
            pendingExcluded.add(e.url());
            return;
        }
        for (int attempt = 1; ; attempt++) {
            long t0 = System.nanoTime();
            boolean alone = host.acquire();
            CrawlPage page;
            Duration wait = null;
            try (Response r = session.request("GET", e.url(), archive == null ? Map.of() : archive.requestHeaders(), null)) {
                int status = r.status();
                if ((status == 429 || status == 503) && attempt < ATTEMPTS) {
                    wait = RateLimitHeaders.of(r).retryAfter().orElse(BACKOFF.backoff(attempt));
                    page = null;
                } else {
                    page = page(e, r, t0);
                    if (archive != null) {
                        archive.store(e.url(), r);
                    }
                }
            } catch (ClientError | IllegalArgumentException failure) {
                page = failed(e, failure, t0);
            } finally {
                host.release(alone);
            }
            if (page != null) {
                summary.add(page);
                output.append(page);
                pendingDone.add(e.url());
                return;
            }
            host.backOff(wait.compareTo(settings.maxCrawlDelay()) > 0 ? settings.maxCrawlDelay() : wait);
        }
    }

    /** The line of a response, after queueing its links (or its redirect's target). */
    private CrawlPage page(CrawlFrontier.Entry e, Response r, long t0) {
        int status = r.status();
        byte[] body = r.bytes();
        String type = r.headers().firstValue("content-type").orElse(null);
        String finalUrl = e.url();
        String title = null;
        int links = 0;
        String location = status / 100 == 3 ? r.headers().firstValue("location").orElse(null) : null;
        if (location != null) {
            String target = settings.normalizer().resolve(e.url(), location).orElse(null);
            if (target != null) {
                finalUrl = target;
                queue(List.of(target), e.depth(), e.url());
                // a target already queued one level deeper (a link of a page of this level found it first) moves
                // up to this level: its depth is the shortest way to it, whichever page's answer came first
                frontier.lowerDepth(target, e.depth(), e.url());
            }
        } else if (status / 100 == 2 && PageLinks.isHtml(type)) {
            String html = new String(body, charset(type));
            // jsoup takes about a millisecond per 20 KiB of HTML: beyond a small page, parsed off the loop
            PageLinks parsed = body.length <= PARSE_ON_LOOP_BYTES ? PageLinks.parse(html, e.url(), settings.normalizer())
                    : Asyncio.toThread(() -> PageLinks.parse(html, e.url(), settings.normalizer()));
            title = parsed.title();
            links = parsed.links().size();
            queue(parsed.links(), e.depth() + 1, e.url());
        }
        ErrorKind kind = status >= 400 ? ErrorKind.HTTP_STATUS : null;
        FetchResult fetch = new FetchResult(e.url(), finalUrl, status, body.length, System.nanoTime() - t0, 1, kind,
                kind == null ? null : String.valueOf(status));
        return new CrawlPage(fetch, e.depth(), e.referrer(), type, title, links);
    }

    private CrawlPage failed(CrawlFrontier.Entry e, Exception failure, long t0) {
        ErrorKind kind;
        String message = failure.getMessage();
        switch (failure) {
            case BodyTooLarge b -> kind = ErrorKind.TOO_LARGE;
            case ClientTimeoutError t -> kind = ErrorKind.TIMEOUT;
            case InvalidUrl i -> kind = ErrorKind.INVALID_URL;
            case ClientConnectionError c -> {
                kind = ErrorKind.CONNECTION;
                message = Fetcher.connectionProblem(c);
            }
            default -> kind = ErrorKind.OTHER;
        }
        FetchResult fetch = new FetchResult(e.url(), null, null, 0, System.nanoTime() - t0, 1, kind, message);
        return new CrawlPage(fetch, e.depth(), e.referrer(), null, null, 0);
    }

    /** Queues the in-scope ones of {@code urls} found at {@code depth}, and counts the others. */
    private void queue(List<String> urls, int depth, String referrer) {
        List<String> in = new ArrayList<>();
        List<String> off = new ArrayList<>();
        for (String url : urls) {
            switch (settings.scope().check(url, depth)) {
                case IN -> in.add(url);
                case OFF_SCOPE -> off.add(url);
                case TOO_DEEP -> summary.tooDeep++;
            }
        }
        int added = frontier.offerAll(in, depth, referrer, off);
        queued += added;
        if (added > 0) {
            fruitless.offered(depth);
        }
        summary.duplicates += in.size() - added;
    }

    private CrawlHost host(String url) {
        return hosts.computeIfAbsent(origin(url), o -> new CrawlHost(o, settings.perHost(), settings.delay()));
    }

    /** {@code scheme://authority} of a normalised URL: the key of its host. */
    private static String origin(String url) {
        URI u = URI.create(url);
        return u.getScheme() + "://" + u.getRawAuthority();
    }

    /**
     * The host's robots.txt policy: from the state file when a previous run read it, else read now (with the
     * sitemaps) by the first task that asks, while the others wait.
     */
    private RobotsPolicy robots(CrawlHost host, int depth) {
        if (!host.claimLoad()) {
            return host.robots();
        }
        try {
            String robotsUrl = host.origin + "/robots.txt";
            // with --ignore-robots nothing is read nor stored: a later run without it reads the real file
            CrawlFrontier.RobotsAnswer known = settings.ignoreRobots() ? null
                    : frontier.robots(host.origin).orElse(null);
            if (known != null) {
                RobotsPolicy p = RobotsPolicy.fromResponse(robotsUrl, known.status(), known.body(),
                        settings.userAgent(), settings.maxCrawlDelay());
                host.robots(p);
                return p;
            }
            RobotsPolicy policy = RobotsPolicy.allowAll();
            int status = 404;
            byte[] body = new byte[0];
            if (!settings.ignoreRobots()) {
                Response r = getFollowing(host, robotsUrl);
                status = r == null ? 0 : r.status();
                body = r == null ? body : r.bytes();
                policy = RobotsPolicy.fromResponse(robotsUrl, status, body, settings.userAgent(),
                        settings.maxCrawlDelay());
            }
            host.robots(policy);
            if (settings.sitemaps()) {
                List<String> maps = policy.sitemaps().isEmpty()
                        ? List.of(Sitemaps.defaultLocation(host.origin + "/")) : policy.sitemaps();
                readSitemaps(maps, depth + 1);
            }
            // recorded last: a run killed before this point reads robots.txt and the sitemaps again
            if (!settings.ignoreRobots()) {
                frontier.putRobots(host.origin, status, body);
            }
            return policy;
        } catch (RuntimeException | Error failure) {
            if (host.robots() == null) {
                host.loadFailed();
            }
            throw failure;
        }
    }

    /** Reads sitemaps (and the sitemaps of an index), queueing their in-scope pages at {@code depth}. */
    private void readSitemaps(List<String> first, int depth) {
        List<String> todo = new ArrayList<>(first);
        for (int read = 0; !todo.isEmpty() && read < MAX_SITEMAPS_PER_HOST; read++) {
            String url = settings.normalizer().resolve(null, todo.removeFirst()).orElse(null);
            if (url == null || !settings.scope().hostInScope(URI.create(url).getHost())) {
                continue;
            }
            // a sitemap is a request like any other: its host's robots.txt must allow it (for a sitemap on
            // another host, this reads that host's robots.txt first; the reading host's policy is set already,
            // so two hosts naming each other's sitemaps do not wait for each other)
            CrawlHost sitemapHost = host(url);
            if (!robots(sitemapHost, depth - 1).allows(url)) {
                summary.sitemapsExcluded++;
                continue;
            }
            Response r = getFollowing(sitemapHost, url);
            if (r == null || r.status() != 200) {
                summary.sitemapsFailed++;
                continue;
            }
            try {
                String type = r.headers().firstValue("content-type").orElse(null);
                byte[] body = r.bytes();
                String from = r.url().toString();
                // up to --max-bytes of XML (or gzip), tens of thousands of URLs: parsed and normalised on a
                // worker thread, not on the loop (the normaliser is immutable)
                Sitemaps.Content c = Asyncio.toThread(() -> {
                    Sitemaps.Content raw = Sitemaps.parse(from, type, body);
                    List<String> normal = new ArrayList<>();
                    for (String page : raw.pages()) {
                        settings.normalizer().resolve(null, page).ifPresent(normal::add);
                    }
                    return new Sitemaps.Content(normal, raw.sitemaps());
                });
                summary.sitemapsRead++;
                todo.addAll(c.sitemaps());
                List<String> pages = c.pages();
                summary.sitemapUrls += pages.size();
                queue(pages, depth, url);
            } catch (IllegalArgumentException | java.util.concurrent.CompletionException notASitemap) {
                summary.sitemapsFailed++;
            }
        }
    }

    /**
     * GET with the host's turn, following up to {@value #ROBOTS_REDIRECTS} redirects (robots.txt and
     * sitemaps only; pages' redirects are lines of their own); null when no response came.
     */
    private Response getFollowing(CrawlHost host, String url) {
        String next = url;
        for (int hop = 0; hop <= ROBOTS_REDIRECTS; hop++) {
            CrawlHost h = hop == 0 ? host : host(next);
            boolean alone = h.acquire();
            try (Response r = session.request("GET", next, Map.of(), null)) {
                String location = r.status() / 100 == 3 ? r.headers().firstValue("location").orElse(null) : null;
                if (location == null) {
                    return r;
                }
                next = settings.normalizer().resolve(next, location).orElse(null);
                if (next == null) {
                    return r;
                }
            } catch (ClientError | IllegalArgumentException e) {
                return null;
            } finally {
                h.release(alone);
            }
        }
        return null;
    }

    /**
     * Writes the waiting lines, then marks their URLs done with the output's new length, in one transaction.
     * The lists are swapped before the transaction's wait: what finishes meanwhile goes to the next commit.
     */
    private void commit() {
        Map<String, Long> offsets = new LinkedHashMap<>();
        offsets.put("output", output.write());
        if (archive != null) {
            offsets.putAll(archive.offsets());
        }
        List<String> done = pendingDone;
        List<String> excluded = pendingExcluded;
        pendingDone = new ArrayList<>();
        pendingExcluded = new ArrayList<>();
        frontier.commit(done, excluded, offsets);
    }

    /** Every 100 ms until the dispatcher is done: commits, and redraws the progress bar. */
    private void tick() {
        while (!finished) {
            Asyncio.sleep(TICK);
            commit();
            if (progress != null) {
                FetchSummary f = summary.fetches;
                progress.draw(f.done(), -1, f.ok(), f.failed(), elapsed(),
                        "queued " + Math.max(0, queued) + "  hosts " + hosts.size());
            }
        }
    }

    /** The charset of a Content-Type, UTF-8 when it names none or one the JDK does not know. */
    static Charset charset(String contentType) {
        if (contentType != null) {
            Matcher m = CHARSET.matcher(contentType);
            if (m.find()) {
                try {
                    return Charset.forName(m.group(1).toLowerCase(Locale.ROOT));
                } catch (IllegalArgumentException unknown) {
                    // UTF-8 below
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
