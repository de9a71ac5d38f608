package io.asyncio4j.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;

import io.asyncio4j.Asyncio;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code asyncio4j serve}: a local HTTP/1.1 server for demos and tests, running on asyncio4j itself (see
 * {@link LocalServer}, whose Javadoc describes the endpoints and the faults). The first line on stdout is
 * {@code serving on http://HOST:PORT}; it runs until the process is stopped (or, in tests, until
 * {@link #stop()}). A bad {@code --fault} or {@code --fault-rate}, or {@code --fault-rate} without
 * {@code --fault}, is a usage error (one line, exit 2).
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        header = "Run a local HTTP/1.1 test server (latency, jitter, faults) on asyncio4j.",
        description = {
            "Runs a local HTTP/1.1 server on asyncio4j (one event loop, one task per connection).",
            "",
            "Endpoints:",
            "  /delay/{ms}    answers after ms milliseconds",
            "  /status/{code} answers with that status (200..599)",
            "  /bytes/{n}     n bytes of application/octet-stream",
            "  /json          a small JSON object",
            "  /links/{n}     an HTML page with n links to /links/{n}/{i} (for a crawler)",
            "  /posts/{id}    a JSONPlaceholder-style post {userId,id,title,body}, id 1..100",
            "  /echo          any method: JSON of the request's method, path, query,",
            "                 headers, body and body_bytes",
            "  POST /v1/chat/completions",
            "                 an OpenAI-compatible fake: answers \"echo: <last user message>\";",
            "                 needs 'Authorization: Bearer <any key>' (else 401)",
            "  POST /v1/embeddings",
            "                 OpenAI-compatible fake embeddings of 'input' (same key rule)",
            "Both count tokens as words, answer usage and x-request-id, and with --rpm/--tpm",
            "answer 429 with Retry-After over the limit, and x-ratelimit-* headers always.",
            "  anything else  404",
            "With --site N, a generated site for crawlers: /robots.txt (Disallow /site/private/,",
            "  a Crawl-delay of --site-crawl-delay, a Sitemap line), /sitemap-index.xml and /site/,",
            "  N pages /site/page/{i} linking 2i+1 and 2i+2, broken links, redirects, PDF files,",
            "  a nofollow page and an endless calendar /site/calendar/{yyyy-mm} (a spider trap).",
            "Request bodies are read up to 1 MiB; a bigger one gets 413.",
            "",
            "Faults (--fault, each request gets it with probability --fault-rate):",
            "  reset          close with a TCP reset right after reading the request",
            "  stall          read the request, never answer (until either side closes)",
            "  truncate       full headers, then half the body, then close",
            "  slow-headers   the response head one line every 200 ms, then the body"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  asyncio4j serve --port 8080",
            "  asyncio4j serve --port 0 --latency 1s --jitter 200ms",
            "  asyncio4j serve --fault reset --fault-rate 0.1 --seed 42",
            "  asyncio4j serve --fault slow-headers",
            "  asyncio4j serve --latency 200ms --rpm 600 --tpm 40000",
            "  asyncio4j serve --site 5000 --site-crawl-delay 50ms",
            "  curl http://127.0.0.1:8080/links/5"
        })
public final class ServeCommand implements Callable<Integer> {

    /** "reset, stall, truncate, slow-headers", for usage errors. */
    private static final String FAULT_NAMES = String.join(", ",
            Arrays.stream(LocalServer.Fault.values()).map(LocalServer.Fault::cliName).toList());

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private int port = 8080;

    @Option(names = "--host", paramLabel = "ADDRESS",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, loopback only).")
    private String host = "127.0.0.1";

    private Duration latency = Duration.ZERO;

    private Duration jitter = Duration.ZERO;

    /** Null without --fault. */
    private LocalServer.Fault fault;

    /** Null unless --fault-rate was given. */
    private Double faultRate;

    @Option(names = "--rpm", paramLabel = "N", defaultValue = "0",
            description = "Requests per minute the /v1 endpoints admit; 0: no limit (default: ${DEFAULT-VALUE}).")
    private int rpm;

    @Option(names = "--tpm", paramLabel = "N", defaultValue = "0",
            description = "Tokens per minute the /v1 endpoints admit (prompt words plus max_tokens);"
                    + " 0: no limit (default: ${DEFAULT-VALUE}).")
    private int tpm;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the fault and jitter draws, for a reproducible run (default: random).")
    private Long seed;

    /** Null without --site. */
    private Integer sitePages;

    @Option(names = "--site-crawl-delay", paramLabel = "DURATION", defaultValue = "0ms",
            converter = DurationConverter.class,
            description = "The Crawl-delay the --site robots.txt asks for (default: ${DEFAULT-VALUE}, none).")
    private Duration siteCrawlDelay;

    /** The running server, once bound; null before and after. */
    private volatile LocalServer server;

    /** Set by {@link #stop()}, so a stop that comes before the bind still stops the server. */
    private volatile boolean stopRequested;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "TCP port, 0 picks a free one (default: ${DEFAULT-VALUE}).")
    void setPort(int value) {
        if (value < 0 || value > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--port': " + value + " is not a port (0..65535)");
        }
        port = value;
    }

    @Option(names = "--latency", paramLabel = "DURATION", defaultValue = "0ms",
            converter = DurationConverter.class,
            description = "Wait this long before each answer, e.g. 250ms, 1s (default: ${DEFAULT-VALUE}).")
    void setLatency(Duration value) {
        latency = value;
    }

    @Option(names = "--jitter", paramLabel = "DURATION", defaultValue = "0ms",
            converter = DurationConverter.class,
            description = "Add a random extra wait between 0 and this to each answer (default: ${DEFAULT-VALUE}).")
    void setJitter(Duration value) {
        jitter = value;
    }

    @Option(names = "--fault", paramLabel = "FAULT",
            description = "Inject a fault: reset, stall, truncate or slow-headers (see above).")
    void setFault(String value) {
        for (LocalServer.Fault f : LocalServer.Fault.values()) {
            if (f.cliName().equalsIgnoreCase(value)) {
                fault = f;
                return;
            }
        }
        throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--fault': '"
                + value + "' is not one of " + FAULT_NAMES);
    }

    @Option(names = "--fault-rate", paramLabel = "P",
            description = "Probability 0..1 that a request gets the --fault (default: 1).")
    void setFaultRate(String value) {
        double p;
        try {
            p = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            p = Double.NaN;
        }
        if (!(p >= 0 && p <= 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--fault-rate': '"
                    + value + "' is not a probability (a number from 0 to 1)");
        }
        faultRate = p;
    }

    @Option(names = "--site", paramLabel = "N",
            description = "Also serve a generated site of N pages for crawlers (see above).")
    void setSite(int value) {
        if (value < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--site': " + value + " is not a positive number of pages");
        }
        sitePages = value;
    }

    @Override
    public Integer call() throws Exception {
        if (faultRate != null && fault == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--fault-rate needs --fault (one of " + FAULT_NAMES + ")");
        }
        if (rpm < 0 || tpm < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '" + (rpm < 0 ? "--rpm" : "--tpm") + "': must not be negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        Asyncio.run(() -> {
            LocalServer.Builder b = LocalServer.builder().host(host).port(port).latency(latency).jitter(jitter)
                    .limits(rpm, tpm);
            if (fault != null) {
                b.fault(fault, faultRate == null ? 1.0 : faultRate);
            }
            if (seed != null) {
                b.seed(seed);
            }
            if (sitePages != null) {
                b.site(sitePages, siteCrawlDelay);
            }
            LocalServer s = b.bind();
            server = s;
            if (stopRequested) {
                s.stop();
            }
            out.println("serving on " + s.url());
            out.flush();
            s.serveForever();
        });
        server = null;
        return 0;
    }

    /** Stops a running server from any thread: closes the listening socket and every connection. */
    public void stop() {
        stopRequested = true;
        LocalServer s = server;
        if (s != null) {
            s.stop();
        }
    }
}
