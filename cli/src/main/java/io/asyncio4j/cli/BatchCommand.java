package io.asyncio4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.ClientTimeout;
import io.asyncio4j.http.Retry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code asyncio4j batch}: sends the requests of a JSONL file to an OpenAI-compatible API, concurrently and
 * within its rate limits, and writes one result line per {@code custom_id}; a rerun continues where an
 * interrupted one stopped. The input is read and checked by {@link BatchInput}, the output kept by
 * {@link BatchJournal}, the requests sent by {@link BatchRun}; this class parses the options (every mistake a
 * one-line usage error, exit 2, before any request is sent) and reports.
 */
@Command(
        name = "batch",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        header = "Send a JSONL file of LLM API requests within RPM/TPM limits; resumable, one line per custom_id.",
        sortOptions = false,
        description = {
            "Input (-i): OpenAI Batch API lines",
            "  {\"custom_id\":\"r1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{...}}",
            "with url relative to --base-url; or, with --url, bare request bodies whose custom_id is their line"
                    + " number. A line that is not JSON, lacks or repeats a custom_id, or has a method other than"
                    + " POST or GET stops the command before any request (exit 2), or with --skip-invalid becomes"
                    + " an error record.",
            "",
            "Output (-o): one line per custom_id, in the OpenAI Batch output schema plus attempts, elapsed_ms"
                    + " and usage:",
            "  {\"id\":\"batch_req_...\",\"custom_id\":\"r1\",\"response\":{\"status_code\":200,"
                    + "\"request_id\":\"...\",\"body\":{...}},\"error\":null,\"attempts\":1,\"elapsed_ms\":212.3,"
                    + "\"usage\":{...}}",
            "A failure has \"response\":null and \"error\":{\"code\",\"message\"}, code one of invalid_request,"
                    + " too_many_tokens, http_NNN, timeout, connection, other.",
            "",
            "Resumable: run the same command again after Ctrl-C, a kill or a crash and it sends only the"
                    + " requests without a line in -o (and --errors); an incomplete last line is cut off. Lines are"
                    + " written every 256 lines and 200 ms, and synced to disk every 200 ms. A request in flight when the process"
                    + " died may reach the server twice; the output never holds it twice. A changed input"
                    + " (a custom_id removed or asking for something else) is refused.",
            "",
            "Limits: --rpm and --tpm are never exceeded in any 60 s window. Tokens are counted before sending"
                    + " (o200k_base, plus max_tokens) and corrected from each answer's usage. 429, 408, 5xx,"
                    + " timeouts and connection errors are retried with backoff and jitter, honouring Retry-After;"
                    + " a 429 pauses the whole job.",
            "",
            "The API key is read from the environment variable --api-key-env and sent as 'Authorization: Bearer';"
                    + " it never appears in the output, the errors or the logs.",
            "",
            "Exit code: 0 when every request of this run succeeded, 1 when some failed, 2 for a usage error or"
                    + " an invalid input, 130/143 after Ctrl-C/SIGTERM (what finished is written).",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  export OPENAI_API_KEY=...",
            "  asyncio4j batch -i requests.jsonl -o results.jsonl --rpm 500 --tpm 200000",
            "  asyncio4j batch -i prompts.jsonl -o out.jsonl --url https://api.openai.com/v1/chat/completions",
            "  asyncio4j serve --port 8080 --latency 200ms --rpm 600 &",
            "  OPENAI_API_KEY=test asyncio4j batch -i requests.jsonl -o results.jsonl \\",
            "    --base-url http://127.0.0.1:8080 -c 100 --ordered --errors failed.jsonl"
        })
public final class BatchCommand implements Callable<Integer> {

    private static final int SHOWN_PROBLEMS = 20;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", required = true, order = 1,
            description = "The requests, one JSON line each (see above).")
    private Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, order = 2,
            description = "The results file; appended to, and continued by a rerun.")
    private Path output;

    @Option(names = "--errors", paramLabel = "FILE", order = 3,
            description = "Write the failures here instead of to -o (as OpenAI's error file).")
    private Path errors;

    @Option(names = "--url", paramLabel = "URL", order = 4,
            description = "Input lines are bare request bodies, POSTed to URL.")
    private String url;

    @Option(names = "--base-url", paramLabel = "URL", defaultValue = "https://api.openai.com", order = 5,
            description = "What the input's relative urls are relative to (default: ${DEFAULT-VALUE}).")
    private String baseUrl;

    @Option(names = "--api-key-env", paramLabel = "NAME", defaultValue = "OPENAI_API_KEY", order = 6,
            description = "The environment variable holding the API key (default: ${DEFAULT-VALUE}).")
    private String apiKeyEnv;

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'", order = 7,
            description = "Send this header with every request; repeatable.")
    private List<String> headerLines = new ArrayList<>();

    @Option(names = {"-c", "--concurrency"}, paramLabel = "N", defaultValue = "50", order = 8,
            description = "At most N requests in flight (default: ${DEFAULT-VALUE}).")
    private int concurrency;

    @Option(names = "--rpm", paramLabel = "N", defaultValue = "0", order = 9,
            description = "At most N requests in any minute; 0: no limit (default: ${DEFAULT-VALUE}).")
    private int rpm;

    @Option(names = "--tpm", paramLabel = "N", defaultValue = "0", order = 10,
            description = "At most N tokens in any minute; a request estimated above N is an error record;"
                    + " 0: no limit (default: ${DEFAULT-VALUE}).")
    private int tpm;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "5", order = 11,
            description = "Attempts per request, the first included (default: ${DEFAULT-VALUE}).")
    private int maxAttempts;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", order = 12,
            converter = DurationConverter.class,
            description = "Give up an attempt after this long, e.g. 30s, 10m (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(names = "--ordered", order = 13,
            description = "Write the lines in input order (through a reorder buffer) instead of as they complete.")
    private boolean ordered;

    @Option(names = "--reorder-buffer", paramLabel = "N", defaultValue = "1000", order = 14,
            description = "With --ordered, at most N results wait for an earlier one; at least -c"
                    + " (default: ${DEFAULT-VALUE}).")
    private int reorderBuffer;

    @Option(names = "--skip-invalid", order = 15,
            description = "Write invalid input lines as error records instead of stopping.")
    private boolean skipInvalid;

    @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto", order = 16,
            description = "Progress on stderr: auto (when a terminal), always, never (default: ${DEFAULT-VALUE}).")
    private FetchCommand.ProgressMode progress;

    /** Reads environment variables; replaced by tests. */
    private final Function<String, String> env;
    private final IntPredicate isTerminal;
    private final IntSupplier columns;

    /** The command as the CLI runs it: the process's environment and terminals. */
    public BatchCommand() {
        this(System::getenv, Terminal::isTerminal, () -> Terminal.columns(Terminal.STDERR));
    }

    /** For tests: the environment, "is this file descriptor a terminal?" and the terminal's width. */
    BatchCommand(Function<String, String> env, IntPredicate isTerminal, IntSupplier columns) {
        this.env = env;
        this.isTerminal = isTerminal;
        this.columns = columns;
    }

    @Override
    public Integer call() throws IOException {
        checkOptions();
        String key = env.apply(apiKeyEnv);
        if (key == null || key.isBlank()) {
            throw usage("The environment variable " + apiKeyEnv + " (the API key) is not set: export it, or name"
                    + " another with --api-key-env");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Authorization", "Bearer " + key);
        headers.putAll(FetchCommand.headerMap(spec.commandLine(), headerLines));
        PrintWriter err = spec.commandLine().getErr();
        BatchInput in;
        try {
            in = BatchInput.read(input, url);
        } catch (IOException e) {
            throw usage("Invalid value for option '--input': cannot read '" + input + "': " + FetchCommand.reason(e));
        }
        if (!in.problems().isEmpty() && !skipInvalid) {
            String name = spec.qualifiedName();
            in.problems().stream().limit(SHOWN_PROBLEMS).forEach(p -> err.println(name + ": " + input + " " + p));
            if (in.problems().size() > SHOWN_PROBLEMS) {
                err.println(name + ": ... and " + (in.problems().size() - SHOWN_PROBLEMS) + " more invalid lines");
            }
            err.println(name + ": nothing was sent; fix the lines, or pass --skip-invalid to write them as errors");
            err.flush();
            return Main.USAGE_ERROR;
        }
        try (BatchJournal out = open(output, "--output");
             BatchJournal failures = errors == null ? null : open(errors, "--errors")) {
            Set<String> done = new HashSet<>(out.done());
            if (failures != null) {
                done.addAll(failures.done());
            }
            String refused = BatchJournal.checkInput(output, in.items(), done);
            if (refused != null) {
                err.println(spec.qualifiedName() + ": " + refused);
                err.flush();
                return Main.USAGE_ERROR;
            }
            reportCut(err, out, output);
            if (failures != null) {
                reportCut(err, failures, errors);
            }
            return send(in, done, headers, out, failures, err);
        }
    }

    private int send(BatchInput in, Set<String> done, Map<String, String> headers, BatchJournal out,
                     BatchJournal failures, PrintWriter err) {
        TokenEstimate estimate = tpm > 0 ? TokenEstimate.load() : null;
        boolean drawProgress = switch (progress) {
            case always -> true;
            case never -> false;
            case auto -> isTerminal.test(Terminal.STDERR);
        };
        ProgressBar bar = drawProgress ? new ProgressBar(err, columns) : null;
        BatchRun.Settings settings = new BatchRun.Settings(baseUrl.replaceAll("/+$", ""), Map.copyOf(headers),
                concurrency, rpm, tpm, maxAttempts, ordered, reorderBuffer);
        BatchRun[] started = {null};
        try (Interruption interruption = Interruption.install()) {
            BatchSummary summary;
            long[] wall = {0};
            try {
                summary = Asyncio.run(() -> {
                    interruption.arm();
                    try (ClientSession session = ClientSession.builder().limit(concurrency)
                            .timeout(ClientTimeout.ofTotal(timeout)).retry(Retry.of(1)).build()) {
                        BatchRun run = new BatchRun(session, settings, in.items(), done, out, failures, estimate, bar);
                        started[0] = run;
                        BatchSummary s = run.run();
                        wall[0] = run.elapsed();
                        return s;
                    }
                });
            } catch (CancelledError e) {
                if (!interruption.requested()) {
                    throw e;
                }
                BatchRun run = started[0];
                return Interruption.reportResumable(err, spec.qualifiedName(),
                        run == null ? List.of() : run.summary().lines(run.elapsed()), "results", output);
            }
            summary.lines(wall[0]).forEach(err::println);
            err.flush();
            return summary.failed() > 0 ? Main.FAILURE : 0;
        }
    }

    private void checkOptions() {
        positive("--concurrency", concurrency);
        positive("--max-attempts", maxAttempts);
        positive("--reorder-buffer", reorderBuffer);
        if (rpm < 0 || tpm < 0) {
            throw usage("Invalid value for option '" + (rpm < 0 ? "--rpm" : "--tpm") + "': must not be negative");
        }
        if (timeout.isZero()) {
            throw usage("Invalid value for option '--timeout': must be longer than 0");
        }
        if (ordered && reorderBuffer < concurrency) {
            throw usage("--reorder-buffer " + reorderBuffer + " is smaller than --concurrency " + concurrency
                    + ": it must hold at least the requests in flight");
        }
        String problem = FetchCommand.urlProblem(url != null ? url : baseUrl);
        if (problem != null) {
            throw usage("Invalid value for option '" + (url != null ? "--url" : "--base-url") + "': " + problem);
        }
        if (errors != null && errors.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
            throw usage("--errors and --output name the same file");
        }
        if (Files.isDirectory(output)) {
            throw usage("Invalid value for option '--output': '" + output + "' is a directory");
        }
    }

    private BatchJournal open(Path file, String option) {
        try {
            return BatchJournal.open(file);
        } catch (IOException e) {
            throw usage("Invalid value for option '" + option + "': cannot write '" + file + "': "
                    + FetchCommand.reason(e));
        }
    }

    private void reportCut(PrintWriter err, BatchJournal journal, Path file) {
        if (journal.cutBytes() > 0) {
            err.println(spec.qualifiedName() + ": cut off an incomplete end of " + file + " (" + journal.cutBytes()
                    + " bytes, left by an interrupted run); its requests are sent again");
        }
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
