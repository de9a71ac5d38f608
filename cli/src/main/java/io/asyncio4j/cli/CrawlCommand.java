package io.asyncio4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.ClientTimeout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code asyncio4j crawl}: a polite, resumable crawler. It fetches the start URLs and, level by level, the
 * links of their pages that are in scope, obeying robots.txt, and writes one JSON line per fetched URL; the
 * frontier lives in a SQLite file, so that a rerun after Ctrl-C or {@code kill -9} continues where the crawl
 * stopped. The crawl itself is {@link CrawlRun}; this class parses and checks the options (every mistake a
 * one-line usage error, exit 2, before any request), opens the files and reports.
 */
@Command(
        name = "crawl",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        header = "Crawl sites politely (robots.txt, crawl delay, per-host limits); resumable after a kill.",
        sortOptions = false,
        description = {
            "Fetches the start URLs, then the links of their HTML pages that are in scope, breadth-first, and"
                    + " writes one JSON line per fetched URL to -o:",
            "",
            "  {\"url\":\"https://example.com/a\",\"final_url\":\"https://example.com/a\",\"status\":200,\"depth\":1,",
            "   \"referrer\":\"https://example.com/\",\"content_type\":\"text/html\",\"bytes\":5120,\"title\":\"A\",",
            "   \"links\":42,\"elapsed_ms\":35.2,\"error\":null}",
            "",
            "A redirect is a line of its own (final_url: its target), and the target is queued at the same depth"
                    + " when in scope. Links come from <a href>, <area href>, <link rel=next|canonical> and <meta"
                    + " http-equiv=refresh>, resolved against <base href>; rel=nofollow and <meta name=robots"
                    + " content=nofollow> are honoured. Only HTML is parsed. Every URL is normalised (RFC 3986) and"
                    + " fetched at most once.",
            "",
            "Polite: robots.txt is obeyed (RFC 9309) with its Crawl-delay (at most --max-crawl-delay); at most"
                    + " --per-host requests to a host at once, their starts at least --delay (or the crawl delay)"
                    + " apart; a 429 or 503 pauses the host for its Retry-After and the URL is tried again (4"
                    + " attempts).",
            "",
            "Resumable: the queue, the seen URLs and the robots.txt answers are in the --state file (SQLite)."
                    + " Run the same command again after Ctrl-C, SIGTERM or kill -9: the URLs in flight are queued"
                    + " again, lines not committed are cut off, and no page appears twice in -o. Memory does not grow"
                    + " with the number of URLs. A rerun with other scope options (the URLs, --allow-domain, --include,"
                    + " --exclude, --depth, --strip-query-params, --sort-query, --ignore-robots, --[no-]sitemaps) is"
                    + " refused; --max-pages and the other options may change.",
            "",
            "On stderr: progress when a terminal (pages, queued, hosts, pages/s, errors), and a summary at the"
                    + " end (pages by status, errors by kind, bytes, robots-excluded, off-scope, duplicates, latency).",
            "",
            "Exit code: 0 when every fetched URL succeeded (status below 400), 1 when some failed, 2 for a usage"
                    + " error, 130 after Ctrl-C (143 after SIGTERM): what was fetched is kept; run again to continue.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  asyncio4j crawl https://docs.example.com/ -o pages.jsonl",
            "  asyncio4j crawl https://example.com/ -o pages.jsonl --depth 3 --exclude '/calendar/' -c 64",
            "  asyncio4j crawl https://example.com/ -o pages.jsonl --save site/ --warc site.warc",
            "  asyncio4j serve --site 1000 --port 8080 &",
            "  asyncio4j crawl http://127.0.0.1:8080/site/ -o site.jsonl --max-pages 500",
            "  jq -r 'select(.status == 404) | \"\\(.url) <- \\(.referrer)\"' pages.jsonl   # broken links"
        })
public final class CrawlCommand implements Callable<Integer> {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgKMG]i?[bB]?|[bB])?");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "URL", arity = "1..*", description = "Start URLs (http or https).")
    private List<String> urls = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, order = 1,
            description = "The JSON lines; continued by a rerun with the same state file.")
    private Path output;

    @Option(names = "--state", paramLabel = "FILE", order = 2,
            description = "The crawl's state (SQLite) (default: the output's name plus .state).")
    private Path state;

    @Option(names = "--allow-domain", paramLabel = "DOMAIN", order = 3,
            description = "Also crawl this domain and its subdomains; repeatable (default: the start URLs' hosts).")
    private List<String> allowDomains = new ArrayList<>();

    @Option(names = "--include", paramLabel = "REGEX", order = 4,
            description = "Only URLs in which one of these is found; repeatable.")
    private List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "REGEX", order = 5,
            description = "No URL in which one of these is found; repeatable.")
    private List<String> exclude = new ArrayList<>();

    @Option(names = "--depth", paramLabel = "N", defaultValue = "5", order = 6,
            description = "Follow links at most N away from a start URL (default: ${DEFAULT-VALUE}).")
    private int depth;

    @Option(names = "--max-pages", paramLabel = "N", order = 7,
            description = "Stop after N fetched URLs, across reruns (default: no limit).")
    private Long maxPages;

    @Option(names = "--max-bytes", paramLabel = "SIZE", defaultValue = "10MiB", order = 8,
            description = "Give up a body longer than SIZE: 500k, 10MiB, 1G (default: ${DEFAULT-VALUE}).")
    private String maxBytes;

    @Option(names = {"-c", "--concurrency"}, paramLabel = "N", defaultValue = "32", order = 9,
            description = "At most N requests in flight (default: ${DEFAULT-VALUE}).")
    private int concurrency;

    @Option(names = "--per-host", paramLabel = "N", defaultValue = "2", order = 10,
            description = "At most N requests in flight to one host (default: ${DEFAULT-VALUE}).")
    private int perHost;

    @Option(names = "--delay", paramLabel = "DURATION", defaultValue = "0s", order = 11,
            converter = DurationConverter.class,
            description = "At least this between the starts of two requests to one host (default: ${DEFAULT-VALUE}).")
    private Duration delay;

    @Option(names = "--max-crawl-delay", paramLabel = "DURATION", defaultValue = "30s", order = 12,
            converter = DurationConverter.class,
            description = "Honour a robots.txt Crawl-delay (and Retry-After) up to this (default: ${DEFAULT-VALUE}).")
    private Duration maxCrawlDelay;

    @Option(names = "--user-agent", paramLabel = "TEXT", order = 13,
            description = "The User-Agent; its first word is matched in robots.txt (default: asyncio4j-crawl/VERSION).")
    private String userAgent;

    @Option(names = "--ignore-robots", order = 14,
            description = "Do not read robots.txt (prints a warning): only for sites whose owners agree.")
    private boolean ignoreRobots;

    @Option(names = "--sitemaps", negatable = true, defaultValue = "true", fallbackValue = "true", order = 15,
            description = "Queue the pages of the sitemaps robots.txt names (else /sitemap.xml) (default: on).")
    private boolean sitemaps;

    @Option(names = "--strip-query-params", paramLabel = "NAMES", split = ",", order = 16,
            description = "Remove these query parameters (* is a wildcard), e.g. utm_*,sessionid.")
    private List<String> stripQueryParams = new ArrayList<>();

    @Option(names = "--sort-query", order = 17, description = "Sort query parameters by name.")
    private boolean sortQuery;

    @Option(names = "--save", paramLabel = "DIR", order = 18,
            description = "Store each 2xx body under DIR/HOST/PATH.")
    private Path save;

    @Option(names = "--warc", paramLabel = "FILE", order = 19,
            description = "Write every request and response to FILE, a WARC 1.1 file; continued by a rerun.")
    private Path warc;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", order = 20,
            converter = DurationConverter.class,
            description = "Give up a request without its whole response after this long (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto", order = 21,
            description = "Progress on stderr: auto (when a terminal), always, never (default: ${DEFAULT-VALUE}).")
    private FetchCommand.ProgressMode progress;

    private final IntPredicate isTerminal;
    private final IntSupplier columns;

    /** The command as the CLI runs it: the process's terminals. */
    public CrawlCommand() {
        this(Terminal::isTerminal, () -> Terminal.columns(Terminal.STDERR));
    }

    /** For tests: "is this file descriptor a terminal?" and the terminal's width. */
    CrawlCommand(IntPredicate isTerminal, IntSupplier columns) {
        this.isTerminal = isTerminal;
        this.columns = columns;
    }

    @Override
    public Integer call() throws IOException {
        UrlNormalizer normalizer = new UrlNormalizer(stripQueryParams, sortQuery);
        List<String> starts = new ArrayList<>();
        for (String url : urls) {
            String problem = FetchCommand.urlProblem(url);
            if (problem != null) {
                throw usage("Invalid URL '" + FetchCommand.escape(url) + "': " + problem);
            }
            starts.add(normalizer.normalize(url));
        }
        long bodyLimit = size("--max-bytes", maxBytes);
        positive("--concurrency", concurrency);
        positive("--per-host", perHost);
        if (maxPages != null && maxPages < 1) {
            throw usage("Invalid value for option '--max-pages': " + maxPages + " is not a positive integer");
        }
        if (depth < 0) {
            throw usage("Invalid value for option '--depth': " + depth + " is negative");
        }
        if (timeout.isZero()) {
            throw usage("Invalid value for option '--timeout': must be longer than 0");
        }
        for (String domain : allowDomains) {
            if (domain.isBlank() || !domain.matches("[A-Za-z0-9.-]+")) {
                throw usage("Invalid value for option '--allow-domain': '" + FetchCommand.escape(domain)
                        + "' is not a domain name (example: example.com)");
            }
        }
        CrawlScope scope = new CrawlScope(starts, allowDomains, patterns("--include", include),
                patterns("--exclude", exclude), depth, maxPages == null ? Long.MAX_VALUE : maxPages);
        String agent = userAgent != null ? userAgent : "asyncio4j-crawl/" + Main.version();
        if (agent.isBlank() || agent.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw usage("Invalid value for option '--user-agent': must be printable text, not empty");
        }
        Path stateFile = state != null ? state : output.resolveSibling(output.getFileName() + ".state");
        for (Path p : new Path[] {output, stateFile, warc}) {
            if (p != null && Files.isDirectory(p)) {
                throw usage("'" + p + "' is a directory; a file is needed");
            }
        }
        if (save != null && Files.exists(save) && !Files.isDirectory(save)) {
            throw usage("Invalid value for option '--save': '" + save + "' is not a directory");
        }
        PrintWriter err = spec.commandLine().getErr();
        if (ignoreRobots) {
            err.println(spec.qualifiedName() + ": warning: --ignore-robots: robots.txt is not read and its"
                    + " rules and crawl delay are not obeyed; crawl this way only sites whose owners agree");
        }
        CrawlRun.Settings settings = new CrawlRun.Settings(starts, scope, normalizer, agent, concurrency, perHost,
                delay, maxCrawlDelay, ignoreRobots, sitemaps, maxPages == null ? Long.MAX_VALUE : maxPages);
        boolean drawProgress = switch (progress) {
            case always -> true;
            case never -> false;
            case auto -> isTerminal.test(Terminal.STDERR);
        };
        ProgressBar bar = drawProgress ? new ProgressBar(err, columns) : null;
        return crawl(settings, stateFile, bodyLimit, bar, err, scopeOptions(starts));
    }

    /**
     * The options that decide which URLs the crawl fetches, as the state file records them: a rerun with
     * other values would mix two crawls' pages in one output, so it is refused ({@link CrawlFrontier#checkOptions}).
     * {@code --max-pages}, the politeness and output options may change between runs.
     */
    private Map<String, String> scopeOptions(List<String> starts) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("URL", String.join(" ", starts));
        o.put("--allow-domain", String.join(" ", allowDomains));
        o.put("--include", String.join(" ", include));
        o.put("--exclude", String.join(" ", exclude));
        o.put("--depth", String.valueOf(depth));
        o.put("--strip-query-params", String.join(",", stripQueryParams));
        o.put("--sort-query", sortQuery ? "on" : "off");
        o.put("--ignore-robots", ignoreRobots ? "on" : "off");
        o.put("--sitemaps", sitemaps ? "on" : "off");
        return o;
    }

    private int crawl(CrawlRun.Settings settings, Path stateFile, long bodyLimit, ProgressBar bar, PrintWriter err,
                      Map<String, String> scopeOptions) {
        CrawlRun[] started = {null};
        try (Interruption interruption = Interruption.install()) {
            try {
                return Asyncio.run(() -> {
                    interruption.arm();
                    try (CrawlFrontier frontier = CrawlFrontier.open(stateFile.toString())) {
                        List<String> changed = frontier.checkOptions(scopeOptions);
                        if (!changed.isEmpty()) {
                            err.println(spec.qualifiedName() + ": " + stateFile + " holds a crawl started with other"
                                    + " scope options: " + String.join(", ", changed) + "; run it again with the"
                                    + " options it was started with, or give another --state (or delete this one)"
                                    + " to start a new crawl");
                            return Main.USAGE_ERROR;
                        }
                        String refused = null;
                        CrawlOutput out = null;
                        CrawlArchive archive = null;
                        try {
                            out = CrawlOutput.open(output, frontier.offset("output"));
                            archive = CrawlArchive.open(save, warc, frontier.offset(CrawlArchive.WARC_OFFSET),
                                    settings.userAgent());
                        } catch (IOException e) {
                            refused = e.getMessage();
                        }
                        if (refused != null) {
                            if (out != null) {
                                out.close();
                            }
                            err.println(spec.qualifiedName() + ": " + refused);
                            return Main.USAGE_ERROR;
                        }
                        try (CrawlOutput lines = out; CrawlArchive kept = archive;
                             ClientSession session = session(settings, bodyLimit)) {
                            reportResume(err, frontier, lines);
                            CrawlRun run = new CrawlRun(session, settings, frontier, lines, kept, bar);
                            started[0] = run;
                            CrawlSummary s = run.run();
                            s.lines(run.elapsed()).forEach(err::println);
                            err.flush();
                            return s.failed() > 0 ? Main.FAILURE : 0;
                        }
                    }
                });
            } catch (CancelledError e) {
                if (!interruption.requested()) {
                    throw e;
                }
                CrawlRun run = started[0];
                return Interruption.reportResumable(err, spec.qualifiedName(),
                        run == null ? List.of() : run.summary().lines(run.elapsed()), "pages", output);
            }
        }
    }

    private ClientSession session(CrawlRun.Settings settings, long bodyLimit) {
        return ClientSession.builder()
                .limit(settings.concurrency())
                .limitPerHost(settings.perHost())
                .followRedirects(0)
                .maxBodySize(bodyLimit)
                .timeout(ClientTimeout.ofTotal(timeout))
                .header("User-Agent", settings.userAgent())
                .build();
    }

    private void reportResume(PrintWriter err, CrawlFrontier frontier, CrawlOutput out) {
        long[] counts = frontier.counts();
        if (counts[2] == 0 && frontier.requeuedOnOpen() == 0) {
            return;
        }
        err.println(spec.qualifiedName() + ": resuming the crawl in " + output + ": " + counts[2] + " pages done, "
                + counts[0] + " queued (" + frontier.requeuedOnOpen() + " of them were in flight)"
                + (out.cutBytes() > 0 ? "; " + out.cutBytes() + " bytes of lines not committed were cut off" : ""));
        err.flush();
    }

    private List<Pattern> patterns(String option, List<String> regexes) {
        List<Pattern> out = new ArrayList<>();
        for (String r : regexes) {
            try {
                out.add(Pattern.compile(r));
            } catch (PatternSyntaxException e) {
                throw usage("Invalid value for option '" + option + "': '" + FetchCommand.escape(r)
                        + "' is not a regular expression (" + e.getDescription() + ")");
            }
        }
        return out;
    }

    /** "10MiB", "500k", "1G", "4096": bytes (k, M, G are powers of 1024). */
    private long size(String option, String value) {
        Matcher m = SIZE.matcher(value.strip());
        if (!m.matches()) {
            throw usage("Invalid value for option '" + option + "': '" + FetchCommand.escape(value)
                    + "' is not a size (examples: 500k, 10MiB, 1G, 4096)");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long factor = switch (unit.charAt(0)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        long bytes = (long) (n * factor);
        if (bytes < 1) {
            throw usage("Invalid value for option '" + option + "': '" + value + "' is not a positive size");
        }
        return bytes;
    }

    private void positive(String option, int value) {
        if (value < 1) {
            throw usage("Invalid value for option '" + option + "': " + value + " is not a positive integer");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
