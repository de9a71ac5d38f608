package io.asyncio4j.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.asyncio4j.Asyncio;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code asyncio4j serve}: a local HTTP/1.1 server for demos and tests, running on asyncio4j itself (see
 * {@link LocalServer}). The first line on stdout is {@code serving on http://HOST:PORT}; it runs until the
 * process is stopped (or, in tests, until {@link #stop()}).
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Runs a local HTTP/1.1 server on asyncio4j (one event loop, one task per connection).",
            "",
            "Endpoints:",
            "  /delay/{ms}    answers after ms milliseconds",
            "  /status/{code} answers with that status (200..599)",
            "  /bytes/{n}     n bytes of application/octet-stream",
            "  /json          a small JSON object",
            "  /links/{n}     an HTML page with n links to /links/{n}/{i} (for a crawler)",
            "  anything else  404"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  asyncio4j serve --port 8080",
            "  asyncio4j serve --port 0 --latency 1s --jitter 200ms",
            "  curl http://127.0.0.1:8080/links/5"
        })
public final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private int port = 8080;

    @Option(names = "--host", paramLabel = "ADDRESS",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, loopback only).")
    private String host = "127.0.0.1";

    private Duration latency = Duration.ZERO;

    private Duration jitter = Duration.ZERO;

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

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Asyncio.run(() -> {
            LocalServer s = LocalServer.builder().host(host).port(port).latency(latency).jitter(jitter).bind();
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
