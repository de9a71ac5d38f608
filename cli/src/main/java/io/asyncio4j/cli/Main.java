package io.asyncio4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code asyncio4j} command: the top command of the CLI, with {@code --help}, {@code --version} and the
 * subcommands.
 *
 * <p>Usage errors (unknown flag, malformed value) print one line on stderr naming the flag and what is
 * wrong, followed by a hint to {@code --help}, and exit with code 2, never a stack trace. A command that
 * fails while running prints one line and exits with code 1.
 */
@Command(
        name = "asyncio4j",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Python's asyncio on Java: fetch many URLs concurrently, batch LLM API calls within rate "
                + "limits, a local test server, a demo, and ps/pstree for the tasks of a running JVM.",
        subcommands = {FetchCommand.class, BatchCommand.class, CrawlCommand.class, ServeCommand.class, DemoCommand.class, PsCommand.class,
                PstreeCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  asyncio4j demo",
            "  asyncio4j fetch -i urls.txt -c 200 -o results.jsonl",
            "  asyncio4j batch -i requests.jsonl -o results.jsonl --rpm 500 --tpm 200000",
            "  asyncio4j serve --port 8080 --latency 1s",
            "  asyncio4j serve --help",
            "  asyncio4j ps 12345",
            "  asyncio4j --version"
        })
public final class Main implements Runnable {

    /** Exit code of a usage error, as picocli's default. */
    public static final int USAGE_ERROR = 2;

    /** Exit code of a command that failed while running. */
    public static final int FAILURE = 1;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command with {@code args} and exits the JVM with its exit code. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("fetch")) {
            FetchCommand.warmUp(); // the TLS trust store loads while picocli parses
        }
        System.exit(commandLine().execute(args));
    }

    /** A command line with the CLI's error handlers, writing to the process's stdout and stderr. */
    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /**
     * A command line with the CLI's error handlers whose commands are created by {@code factory} (tests
     * pass a factory that hands out a command instance they keep, to stop a server).
     */
    public static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cl = new CommandLine(Main.class, factory);
        // "@FILE" is curl's body-from-file in `fetch -d @FILE`, not picocli's argument file
        cl.setExpandAtFiles(false);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler(Main::failure);
        return cl;
    }

    /** Without a subcommand: the usage help. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The project version, from {@code version.properties} (filtered by Maven), else the jar manifest. */
    public static String version() {
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through to the manifest
        }
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    /** Supplies {@code asyncio4j <version>} to {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"asyncio4j " + version()};
        }
    }

    /** One line: "asyncio4j serve: <what is wrong> (see 'asyncio4j serve --help')"; exit code 2. */
    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        err.println(name + ": " + oneLine(ex.getMessage()) + " (see '" + name + " --help')");
        err.flush();
        return USAGE_ERROR;
    }

    /** One line: "asyncio4j serve: <the failure>"; exit code 1. */
    private static int failure(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        Throwable cause = ex;
        // Asyncio.run wraps a checked failure of the main task in CompletionException: show the cause.
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String what = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        err.println(cl.getCommandSpec().qualifiedName() + ": " + oneLine(what));
        err.flush();
        return FAILURE;
    }

    private static String oneLine(String s) {
        return s == null ? "invalid input" : s.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
