package io.asyncio4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Future;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.InvalidUrl;
import io.asyncio4j.http.Request;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code asyncio4j fetch}: fetches many URLs concurrently and writes one JSON line per URL, in the order they
 * complete, with a progress bar and a summary on stderr. The asyncio pattern behind it, N worker tasks
 * pulling URLs from a bounded queue, is in {@link FetchRun}; one URL's request, body and retries are in
 * {@link Fetcher}.
 *
 * <p>This class parses and checks the options (every mistake is a one-line usage error, exit code 2, before
 * any request is sent), picks the input, the output and the progress display, and runs the fetch. Exit code
 * 0 when every URL succeeded, 1 when one failed or the run broke off.
 */
@Command(
        name = "fetch",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        header = "Fetch many URLs concurrently: a JSON line per URL, a progress bar and a summary.",
        sortOptions = false,
        description = {
            "Fetches URLs concurrently and prints one JSON line per URL, in the order they complete:",
            "",
            "  {\"url\":\"https://example.com\",\"final_url\":\"https://example.com\",\"status\":200,",
            "   \"bytes\":1256,\"elapsed_ms\":212.345,\"attempts\":1,\"error\":null}",
            "",
            "final_url is the URL after redirects; final_url and status are null when no response came."
                    + " bytes counts the body, which is read and thrown away. elapsed_ms covers all attempts.",
            "",
            "A URL succeeded when it got a status below 400 and its whole body. Otherwise error says why, as"
                    + " \"KIND: details\", KIND one of timeout, connection, invalid_url, too_many_redirects,"
                    + " http_status (a 4xx or 5xx: \"http_status: 404\") or other.",
            "",
            "URLs come from the arguments, from -i FILE, or from stdin (-i -, or when stdin is not a"
                    + " terminal): one per line; blank lines and lines starting with # are skipped. A malformed URL"
                    + " in the input gets a line with error \"invalid_url: ...\" and counts as failed; a malformed"
                    + " URL given as an argument is a usage error.",
            "",
            "On stderr: a progress bar (done/total, requests/s, ETA) when stderr is a terminal, and a summary"
                    + " at the end (counts by status and by error, latency p50/p95/max, requests/s).",
            "",
            "Exit code: 0 when every URL succeeded, 1 when some failed, 2 for a usage error, 130 after Ctrl-C"
                    + " (the lines of the URLs done so far are written, and the summary so far is printed).",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  asyncio4j fetch https://example.com",
            "  asyncio4j fetch -i urls.txt -c 200 -o results.jsonl",
            "  seq 1000 | sed 's|^|http://127.0.0.1:8080/json?n=|' \\",
            "    | asyncio4j fetch -i - --rate 50/s",
            "  asyncio4j fetch -i urls.txt --per-host 4 --timeout 10s --retries 3",
            "  asyncio4j fetch -H 'Content-Type: application/json' -d @query.json URL",
            "  asyncio4j fetch -i urls.txt | jq -r 'select(.error) | .url'   # the failed"
        })
public final class FetchCommand implements Callable<Integer> {

    /** --progress: draw the progress bar when stderr is a terminal, always, or never. */
    enum ProgressMode { auto, always, never }

    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:/\\s*(s|sec|m|min|h))?");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    // option values, set by picocli before call()
    private final List<String> urls = new ArrayList<>();
    private int concurrency = 20;
    private int perHost;
    private double ratePerSecond;
    private Duration timeout = Duration.ofSeconds(30);
    private int retries;
    private Duration retryDelay = Duration.ofMillis(500);

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", order = 1,
            description = "Read URLs from FILE, one per line; '-' reads stdin.")
    private String input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", order = 2,
            description = "Write the JSON lines to FILE instead of stdout. FILE appears complete when the run"
                    + " ends (written next to it, then renamed); an interrupted run leaves it untouched.")
    private Path output;

    @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto", order = 11,
            description = "Progress bar on stderr: auto (when stderr is a terminal), always, never"
                    + " (default: ${DEFAULT-VALUE}).")
    private ProgressMode progress;

    @Option(names = {"-X", "--request"}, paramLabel = "METHOD", order = 20,
            description = "HTTP method (default: GET, or POST with --data).")
    private String method;

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'", order = 21,
            description = "Send this header with every request; repeatable.")
    private List<String> headerLines = new ArrayList<>();

    @Option(names = {"-d", "--data"}, paramLabel = "TEXT|@FILE", order = 22,
            description = "Send this body (or FILE's bytes) with every request; implies POST unless -X,"
                    + " and Content-Type: application/x-www-form-urlencoded unless -H sets one (as curl).")
    private String data;

    /** Reads URLs when neither arguments nor -i give them; replaced by tests. */
    private final InputStream stdin;
    /** Whether a file descriptor (Terminal.STDIN/STDOUT/STDERR) is a terminal; replaced by tests. */
    private final IntPredicate isTerminal;
    /** The width of stderr's terminal, asked before each draw of the progress bar; replaced by tests. */
    private final IntSupplier columns;

    /** The command as the CLI runs it: the process's stdin and terminals. */
    public FetchCommand() {
        this(System.in, Terminal::isTerminal, () -> Terminal.columns(Terminal.STDERR));
    }

    /** For tests: {@code stdin} and the answers to "is this file descriptor a terminal?"; 80 columns. */
    FetchCommand(InputStream stdin, IntPredicate isTerminal) {
        this(stdin, isTerminal, () -> 80);
    }

    /** For tests: {@code stdin}, "is this file descriptor a terminal?" and the terminal's width. */
    FetchCommand(InputStream stdin, IntPredicate isTerminal, IntSupplier columns) {
        this.stdin = stdin;
        this.isTerminal = isTerminal;
        this.columns = columns;
    }

    @Parameters(paramLabel = "URL", arity = "0..*", description = "http or https URLs to fetch.")
    void setUrls(List<String> values) {
        for (String url : values) {
            String problem = urlProblem(url);
            if (problem != null) {
                throw usage("Invalid URL '" + escape(url) + "': " + problem);
            }
        }
        urls.clear();
        urls.addAll(values);
    }

    @Option(names = {"-c", "--concurrency"}, paramLabel = "N", defaultValue = "20", order = 3,
            description = "At most N requests in flight (default: ${DEFAULT-VALUE}).")
    void setConcurrency(int value) {
        concurrency = positive("--concurrency", value);
    }

    @Option(names = "--per-host", paramLabel = "N", order = 4,
            description = "At most N requests in flight to one host (scheme, host and port). Waiting for"
                    + " the host is not part of --timeout.")
    void setPerHost(int value) {
        perHost = positive("--per-host", value);
    }

    @Option(names = "--rate", paramLabel = "N/s", order = 5,
            description = "At most N requests per second: N/s, N/m per minute or N/h per hour; a bare N is"
                    + " per second (e.g. 50, 50/s, 2.5/s, 120/m, 500/h). Retries and redirect hops count too."
                    + " Waiting for the rate is not part of --timeout.")
    void setRate(String value) {
        Matcher m = RATE.matcher(value.strip());
        double n = m.matches() ? Double.parseDouble(m.group(1)) : 0;
        if (!m.matches() || !(n > 0) || Double.isInfinite(n)) {
            throw usage("Invalid value for option '--rate': '" + value
                    + "' is not a positive rate (examples: 50/s, 2.5/s, 120/m, 500/h)");
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        ratePerSecond = switch (unit) {
            case "m", "min" -> n / 60;
            case "h" -> n / 3600;
            default -> n;
        };
    }

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", order = 6,
            converter = DurationConverter.class,
            description = "Give up an attempt that has not got its whole response (body included) after"
                    + " this long, e.g. 500ms, 10s, 2m; a bare number is seconds (default: ${DEFAULT-VALUE}).")
    void setTimeout(Duration value) {
        if (value.isZero()) {
            throw usage("Invalid value for option '--timeout': must be longer than 0");
        }
        timeout = value;
    }

    @Option(names = "--retries", paramLabel = "N", defaultValue = "0", order = 7,
            description = "Retry a URL up to N times after a timeout, a connection error, or status 408, 429,"
                    + " 500, 502, 503 or 504, with exponential backoff, honouring Retry-After"
                    + " (default: ${DEFAULT-VALUE}). The attempts field counts every request sent: the retries,"
                    + " and the client's own resend of a GET (or other idempotent request) on a fresh connection"
                    + " when a kept-alive one turned out closed by the server.")
    void setRetries(int value) {
        if (value < 0) {
            throw usage("Invalid value for option '--retries': " + value + " is negative");
        }
        retries = value;
    }

    @Option(names = "--retry-delay", paramLabel = "DURATION", defaultValue = "500ms", order = 8,
            converter = DurationConverter.class,
            description = "The first backoff; it doubles with each retry, up to 30s (default: ${DEFAULT-VALUE}).")
    void setRetryDelay(Duration value) {
        retryDelay = value;
    }

    @Override
    public Integer call() throws IOException {
        // Building the session loads the JDK's TLS trust store (0.2-0.5 s, more on a busy machine): start it
        // now on a side thread, while the other options are checked and the event loop starts; the loop takes
        // the session over.
        CompletableFuture<ClientSession> sessionReady = CompletableFuture.supplyAsync(this::session,
                r -> Thread.ofPlatform().daemon().name("asyncio4j-fetch-session").start(r));
        try {
            return fetch(sessionReady);
        } finally {
            sessionReady.thenAccept(ClientSession::close); // idempotent; for a run that never took it over
        }
    }

    /**
     * Loads the JDK's default TLS context on a daemon thread. {@link Main#main} calls it before it parses a
     * {@code fetch} command line, so that the trust store is read while picocli works.
     */
    static void warmUp() {
        Thread.ofPlatform().daemon().name("asyncio4j-fetch-warm-up").start(() -> {
            try {
                javax.net.ssl.SSLContext.getDefault();
            } catch (java.security.NoSuchAlgorithmException | RuntimeException e) {
                // building the session meets it again and reports it
            }
        });
    }


    private int fetch(CompletableFuture<ClientSession> sessionReady) throws IOException {
        String verb = method != null ? method : data != null ? "POST" : "GET";
        Map<String, String> headers = headers(verb);
        byte[] body = body();
        if (body != null && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
            headers.put("Content-Type", "application/x-www-form-urlencoded");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean drawProgress = switch (progress) {
            case always -> true;
            case never -> false;
            case auto -> isTerminal.test(Terminal.STDERR);
        };
        ProgressBar bar = drawProgress ? new ProgressBar(err, columns) : null;
        try (UrlSource source = source();
             JsonLinesOutput sink = output == null
                     ? JsonLinesOutput.toStdout(out, bar != null && isTerminal.test(Terminal.STDOUT)
                             ? bar::clear : () -> { })
                     : outputFile()) {
            // a regular file can be read twice, to count its URLs for the bar; a pipe (-i /dev/stdin) cannot
            Path countable = input != null && !input.equals("-") && Files.isRegularFile(Path.of(input))
                    ? Path.of(input) : null;
            long known = input == null && !urls.isEmpty() ? urls.size() : -1;
            long[] wall = {0};
            FetchRun[] started = {null};
            try (Interruption interruption = Interruption.install()) {
                FetchSummary summary;
                try {
                    summary = Asyncio.run(() -> {
                        interruption.arm();
                        try (ClientSession session = Future.wrap(sessionReady).await()) {
                            Fetcher fetcher = new Fetcher(session, verb, headers, body, timeout);
                            FetchRun run = new FetchRun(source, countable, known, concurrency, fetcher, sink, bar);
                            started[0] = run;
                            FetchSummary s = run.run();
                            wall[0] = run.elapsed();
                            return s;
                        }
                    });
                } catch (CancelledError e) {
                    if (!interruption.requested()) {
                        throw e;
                    }
                    reportInterrupted(err, started[0]);
                    return Interruption.STATUS;
                }
                for (String line : summary.lines(wall[0])) {
                    err.println(line);
                }
                err.flush();
                return summary.failed() > 0 ? Main.FAILURE : 0;
            }
        }
    }

    /**
     * The summary of a run stopped by Ctrl-C or SIGTERM: the totals of the URLs done, and where their lines
     * are. The JVM's exit status is the signal's (130, 143) whatever {@code call()} returns.
     */
    private void reportInterrupted(PrintWriter err, FetchRun run) {
        if (run != null) {
            for (String line : run.summary().lines(run.elapsed())) {
                err.println(line);
            }
        }
        long done = run == null ? 0 : run.summary().done();
        err.println("interrupted after " + done + " URL" + (done == 1 ? "" : "s") + (output == null
                ? (done == 1 ? "; its line was written" : "; their lines were written")
                : "; " + output + " was left as it was (to keep the lines of an interrupted run, redirect stdout"
                        + " instead of -o)"));
        err.flush();
    }

    /** The session for the options ({@link Fetcher#session}). */
    private ClientSession session() {
        return Fetcher.session(concurrency, perHost, ratePerSecond, timeout, retries, retryDelay);
    }

    /** The URLs: the arguments, -i FILE, or stdin. */
    private UrlSource source() {
        if (input == null) {
            if (!urls.isEmpty()) {
                return UrlSource.of(urls);
            }
            if (isTerminal.test(Terminal.STDIN)) {
                throw usage("No URLs: give them as arguments, with -i FILE, or on stdin (-i -)");
            }
            return UrlSource.of(stdin);
        }
        if (!urls.isEmpty()) {
            throw usage("Give URLs as arguments or with '--input', not both");
        }
        if (input.equals("-")) {
            return UrlSource.of(stdin);
        }
        Path file = Path.of(input);
        if (Files.isDirectory(file)) {
            throw usage("Invalid value for option '--input': '" + input + "' is a directory");
        }
        try {
            return UrlSource.of(Files.newInputStream(file));
        } catch (IOException e) {
            throw usage("Invalid value for option '--input': cannot read '" + input + "': " + reason(e));
        }
    }

    private JsonLinesOutput outputFile() {
        if (Files.isDirectory(output)) {
            throw usage("Invalid value for option '--output': '" + output + "' is a directory");
        }
        try {
            return JsonLinesOutput.toFile(output);
        } catch (IOException e) {
            throw usage("Invalid value for option '--output': cannot write '" + output + "': " + reason(e));
        }
    }

    /** The -H headers and the method, checked by the session's own rules ({@link Request}). */
    private Map<String, String> headers(String verb) {
        try {
            Request.of("GET", "http://localhost/").withMethod(verb);
        } catch (IllegalArgumentException e) {
            throw usage("Invalid value for option '--request': '" + escape(verb) + "' is not an HTTP method the client can send");
        }
        return headerMap(spec.commandLine(), headerLines);
    }

    /**
     * The {@code -H 'Name: value'} lines as a map, each checked by the session's own rules ({@link Request});
     * a bad one is a usage error of {@code cl}. Shared with {@code batch}.
     */
    static Map<String, String> headerMap(CommandLine cl, List<String> lines) {
        Request probe = Request.of("GET", "http://localhost/");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).strip();
            String value = colon < 0 ? "" : line.substring(colon + 1).strip();
            if (name.isEmpty()) {
                throw new CommandLine.ParameterException(cl,
                        "Invalid value for option '--header': '" + escape(line) + "' is not 'Name: value'");
            }
            try {
                probe.withHeader(name, value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl,
                        "Invalid value for option '--header': '" + escape(line) + "': " + e.getMessage());
            }
            headers.put(name, value);
        }
        return headers;
    }

    /** {@code s} with CR, LF, tab and other control characters shown as JSON writes them ({@code \r\n}). */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        FetchResult.string(b, s);
        return b.substring(1, b.length() - 1);
    }

    /** The -d body: the text as UTF-8, or the bytes of @FILE; null without -d. */
    private byte[] body() {
        if (data == null) {
            return null;
        }
        if (!data.startsWith("@")) {
            return data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        try {
            return Files.readAllBytes(Path.of(data.substring(1)));
        } catch (IOException e) {
            throw usage("Invalid value for option '--data': cannot read '" + data.substring(1) + "': " + reason(e));
        }
    }

    /**
     * Why {@code url} cannot be fetched, or null when it can: the session's own check ({@link Request#of}),
     * its message without the "invalid URL '...': " the usage error says itself.
     */
    static String urlProblem(String url) {
        try {
            Request.of("GET", url);
            return null;
        } catch (InvalidUrl e) {
            String m = e.getMessage();
            int colon = m.indexOf("': ");
            return m.startsWith("invalid URL '") && colon >= 0 ? m.substring(colon + 3) : m;
        }
    }

    /** The --rate in requests per second, 0 for none; for tests. */
    double ratePerSecond() {
        return ratePerSecond;
    }

    /** The --timeout; for tests. */
    Duration timeout() {
        return timeout;
    }

    /** "250ms", "30s", "1.5s", "2m" for a message. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(Locale.ROOT, "%.3fs", ms / 1000.0)
                .replaceAll("0+s$", "s");
    }

    /** A short reason for a file problem: "no such file", "permission denied", else the message. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage();
    }

    private int positive(String option, int value) {
        if (value < 1) {
            throw usage("Invalid value for option '" + option + "': " + value + " is not a positive integer");
        }
        return value;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
