package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

import io.asyncio4j.http.JsonCodec;
import io.asyncio4j.testing.RecordedRequest;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;
import picocli.CommandLine;

/** What the fetch tests share: running the command in-process, the test server's paths, parsing JSON lines. */
final class FetchTestSupport {

    /** The keys of every JSON line, in order. */
    static final List<String> KEYS = List.of("url", "final_url", "status", "bytes", "elapsed_ms", "attempts", "error");

    private FetchTestSupport() {
    }

    /** Exit code, stdout and stderr of one run. */
    record Result(int exit, String out, String err) {
        /** Stdout parsed, one JSON object per line, each checked against the schema. */
        List<Map<String, Object>> lines() {
            return out.lines().map(FetchTestSupport::parseLine).toList();
        }

        /** The stderr lines of the summary (from "fetched ..." on). */
        List<String> summary() {
            List<String> all = err.lines().toList();
            int i = 0;
            while (i < all.size() && !all.get(i).startsWith("fetched ")) {
                i++;
            }
            return all.subList(i, all.size());
        }
    }

    /** Runs {@code asyncio4j fetch ARGS} in-process with an empty stdin that is not a terminal. */
    static Result fetch(String... args) {
        return fetch(new ByteArrayInputStream(new byte[0]), fd -> false, args);
    }

    /** Runs {@code asyncio4j fetch ARGS} with {@code stdin}, and {@code isTerminal} for the three streams. */
    static Result fetch(InputStream stdin, IntPredicate isTerminal, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = run(stdin, isTerminal, out, err, args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** Runs {@code asyncio4j fetch ARGS} writing stdout to {@code out}; returns the exit code. */
    static int run(InputStream stdin, IntPredicate isTerminal, Writer out, StringWriter err, String... args) {
        CommandLine cl = Main.commandLine(new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return cls == FetchCommand.class ? cls.cast(new FetchCommand(stdin, isTerminal))
                        : CommandLine.defaultFactory().create(cls);
            }
        });
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "fetch";
        System.arraycopy(args, 0, all, 1, args.length);
        return cl.execute(all);
    }

    /** One JSON line parsed by Jackson, with exactly the keys of {@link #KEYS} and their types checked. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseLine(String line) {
        Object parsed = JsonCodec.jackson().decode(line.getBytes(StandardCharsets.UTF_8));
        assertTrue(parsed instanceof Map, line);
        Map<String, Object> m = (Map<String, Object>) parsed;
        assertEquals(KEYS, new ArrayList<>(m.keySet()), line);
        assertTrue(m.get("url") instanceof String, line);
        assertTrue(m.get("final_url") == null || m.get("final_url") instanceof String, line);
        assertTrue(m.get("status") == null || m.get("status") instanceof Integer, line);
        assertTrue(m.get("bytes") instanceof Number n && n.longValue() >= 0, line);
        assertTrue(m.get("elapsed_ms") instanceof Number n && n.doubleValue() >= 0, line);
        assertTrue(m.get("attempts") instanceof Integer n && n >= 1, line);
        assertTrue(m.get("error") == null || m.get("error") instanceof String, line);
        return m;
    }

    /** The body of {@code /json} on {@link #startServer()}'s server. */
    static final String JSON = "{\"slideshow\":{\"title\":\"Sample Slide Show\",\"slides\":2}}\n";

    /**
     * A {@link TestServer} that answers the paths the fetch tests ask for, on any connection and in any order:
     * {@code /json} (200, {@link #JSON}), {@code /bytes/N} (200, N bytes), {@code /status/N} (status N, empty
     * body), {@code /delay/MS} (200 after MS milliseconds, real time), {@code /stall} (no answer until the client
     * closes the connection); anything else 404. A query is ignored. The caller closes it (a test class
     * holds it in an {@code @AutoClose} field).
     */
    static TestServer startServer() {
        try {
            return TestServer.start(FetchTestSupport::route);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
    }

    private static Reply route(RecordedRequest request) {
        String[] parts = request.path().split("/");
        String what = parts.length > 1 ? parts[1] : "";
        String arg = parts.length > 2 ? parts[2] : "";
        return switch (what) {
            case "json" -> Reply.status(200).header("Content-Type", "application/json").body(JSON);
            case "bytes" -> Reply.status(200).header("Content-Type", "application/octet-stream")
                    .body(new byte[Integer.parseInt(arg)]);
            case "status" -> Reply.status(Integer.parseInt(arg));
            case "delay" -> Reply.ok("{\"delay_ms\":" + arg + "}\n").delay(Duration.ofMillis(Long.parseLong(arg)));
            case "stall" -> Reply.stall();
            default -> Reply.status(404).body("no such path in the fetch tests: " + request.path() + "\n");
        };
    }

    /** Asserts that {@code r} is a usage error: exit code 2, nothing on stdout, one line on stderr. */
    static void assertOneLineUsageError(Result r, String expectedMessage) {
        assertEquals(2, r.exit, r.toString());
        assertEquals("", r.out, r.toString());
        assertEquals("asyncio4j fetch: " + expectedMessage + " (see 'asyncio4j fetch --help')" + System.lineSeparator(),
                r.err);
        assertNotNull(r.err);
        assertFalse(r.err.contains("Exception"), r.err);
    }
}
