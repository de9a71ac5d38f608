package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The top command: --version, --help, and one-line usage errors with exit code 2. */
class MainTest {

    /** Exit code, stdout and stderr of one run. */
    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static void assertOneLineUsageError(Result r, String expected) {
        assertEquals(2, r.exit, r.toString());
        assertEquals("", r.out, r.toString());
        assertEquals(expected + System.lineSeparator(), r.err);
        assertFalse(r.err.contains("Exception"), r.err);
    }

    @Test
    void versionPrintsTheProjectVersion() {
        Result r = run("--version");
        assertEquals(0, r.exit);
        assertTrue(r.out.matches("asyncio4j \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), r.out);
        assertEquals("", r.err);
    }

    @Test
    void helpListsServeAndExamples() {
        Result r = run("--help");
        assertEquals(0, r.exit);
        assertTrue(r.out.contains("Usage: asyncio4j"), r.out);
        assertTrue(r.out.contains("serve"), r.out);
        assertTrue(r.out.contains("Examples:"), r.out);
        Result serve = run("serve", "--help");
        assertEquals(0, serve.exit);
        assertTrue(serve.out.contains("--latency=DURATION"), serve.out);
        assertTrue(serve.out.contains("/links/{n}"), serve.out);
        assertTrue(serve.out.contains("asyncio4j serve --port 0 --latency 1s"), serve.out);
    }

    @Test
    void negativePortIsAUsageErrorNamingTheFlag() {
        assertOneLineUsageError(run("serve", "--port", "-1"),
                "asyncio4j serve: Invalid value for option '--port': -1 is not a port (0..65535)"
                        + " (see 'asyncio4j serve --help')");
    }

    @Test
    void malformedLatencyIsAUsageErrorNamingTheFlag() {
        assertOneLineUsageError(run("serve", "--latency", "abc"),
                "asyncio4j serve: Invalid value for option '--latency': 'abc' is not a duration"
                        + " (examples: 250ms, 1s, 1.5s, 2m) (see 'asyncio4j serve --help')");
    }

    @Test
    void unknownFlagIsAUsageError() {
        assertOneLineUsageError(run("serve", "--bogus"),
                "asyncio4j serve: Unknown option: '--bogus' (see 'asyncio4j serve --help')");
    }

    @Test
    void aPortInUseIsOneLineAndExitCodeOne() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            Result r = run("serve", "--port", String.valueOf(taken.getLocalPort()));
            assertEquals(1, r.exit, r.toString());
            assertTrue(r.err.startsWith("asyncio4j serve: cannot listen on 127.0.0.1:" + taken.getLocalPort()),
                    r.err);
            assertEquals(1, r.err.lines().count(), r.err);
        }
    }
}
