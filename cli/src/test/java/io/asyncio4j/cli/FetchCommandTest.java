package io.asyncio4j.cli;

import static io.asyncio4j.cli.FetchTestSupport.assertOneLineUsageError;
import static io.asyncio4j.cli.FetchTestSupport.fetch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Runner;
import io.asyncio4j.cli.FetchTestSupport.Result;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.testing.RecordedRequest;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code asyncio4j fetch} run in-process, end to end, against the testing module's {@link TestServer} on
 * loopback (one answering {@link FetchTestSupport#startServer the fetch tests' paths} for the class, and one
 * scripted for a test where it needs an answer of its own): the JSON lines, the summary, the exit codes, the
 * input and output options, and the one-line usage errors.
 */
class FetchCommandTest {

    @AutoClose
    private static final TestServer server = FetchTestSupport.startServer();
    private static final String base = server.url();

    @TempDir
    Path dir;

    @BeforeAll
    static void warmUp() {
        // the first requests of a JVM take a few hundred milliseconds (class loading, TLS defaults): not in the
        // tests that count on timeouts
        assertEquals(0, fetch(base + "/json").exit());
    }

    private static Map<String, Map<String, Object>> byUrl(Result r) {
        return r.lines().stream().collect(Collectors.toMap(m -> (String) m.get("url"), m -> m));
    }

    // ---- output and exit codes ---------------------------------------------------------------------------

    @Test
    void everyUrlGetsOneJsonLineAndExitCodeZeroWhenAllSucceed() {
        Result r = fetch(base + "/json", base + "/bytes/1000", base + "/status/204");
        assertEquals(0, r.exit(), r.toString());
        Map<String, Map<String, Object>> lines = byUrl(r);
        assertEquals(Set.of(base + "/json", base + "/bytes/1000", base + "/status/204"), lines.keySet());
        Map<String, Object> json = lines.get(base + "/json");
        assertEquals(base + "/json", json.get("final_url"));
        assertEquals(200, json.get("status"));
        assertEquals(FetchTestSupport.JSON.length(), ((Number) json.get("bytes")).intValue());
        assertEquals(1, json.get("attempts"));
        assertNull(json.get("error"));
        assertEquals(1000, ((Number) lines.get(base + "/bytes/1000").get("bytes")).intValue());
        assertEquals(204, lines.get(base + "/status/204").get("status"));
        assertEquals(0, ((Number) lines.get(base + "/status/204").get("bytes")).intValue());
    }

    @Test
    void fourHundredsAndFiveHundredsFailWithHttpStatusAndExitCodeOne() {
        Result r = fetch(base + "/json", base + "/status/404", base + "/status/503");
        assertEquals(1, r.exit(), r.toString());
        Map<String, Map<String, Object>> lines = byUrl(r);
        assertEquals(404, lines.get(base + "/status/404").get("status"));
        assertEquals("http_status: 404", lines.get(base + "/status/404").get("error"));
        assertEquals("http_status: 503", lines.get(base + "/status/503").get("error"));
        assertNull(lines.get(base + "/json").get("error"));
    }

    @Test
    void summaryCountsStatusesErrorsAndLatencies() {
        Result r = fetch("--timeout", "200ms", base + "/json", base + "/json?2", base + "/status/404",
                base + "/status/503", base + "/stall", "http://127.0.0.1:1/refused");
        assertEquals(1, r.exit(), r.toString());
        List<String> summary = r.summary();
        assertEquals(4, summary.size(), r.err());
        assertTrue(summary.get(0).matches("fetched 6 URLs in \\d+\\.\\d\\d s \\(\\d+\\.\\d requests/s\\): 2 ok, 4 failed"),
                summary.get(0));
        assertEquals("  status:  200: 2, 404: 1, 503: 1, no response: 2", summary.get(1));
        assertEquals("  errors:  timeout: 1, connection: 1, http_status: 2", summary.get(2));
        assertTrue(summary.get(3).matches("  latency: p50 \\d+\\.\\d ms, p95 \\d+\\.\\d ms, max \\d+\\.\\d ms"),
                summary.get(3));
    }

    @Test
    void aTimeoutIsAnErrorWithoutStatusAndTheClientLetsGoOfTheConnection() throws Exception {
        try (TestServer silent = TestServer.start(request -> Reply.stall())) {
            Result r = fetch("--timeout", "100ms", silent.url("/silent"));
            assertEquals(1, r.exit(), r.toString());
            Map<String, Object> line = r.lines().getFirst();
            assertNull(line.get("status"));
            assertNull(line.get("final_url"));
            assertEquals("timeout: no complete response within 100ms", line.get("error"));
            assertEquals(List.of("GET /silent HTTP/1.1"), silent.requestLines(), "sent once, then given up on");
            assertTrue(silent.awaitConnectionsClosed(Duration.ofSeconds(10)),
                    silent.closedConnectionCount() + " of " + silent.connectionCount() + " connections closed");
        }
    }

    @Test
    void aTimeoutWhileTheBodyIsReadKeepsTheStatusAndTheBytesRead() throws Exception {
        try (TestServer stalling = TestServer.start(request ->
                Reply.raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789").stallAfter(Long.MAX_VALUE))) {
            Result r = fetch("--timeout", "300ms", stalling.url("/slow-body"));
            assertEquals(1, r.exit(), r.toString());
            Map<String, Object> line = r.lines().getFirst();
            assertEquals(200, line.get("status"), r.out());
            assertEquals(10, ((Number) line.get("bytes")).intValue(), r.out());
            assertEquals("timeout: no complete response within 300ms (status 200, 10 bytes of the body read)",
                    line.get("error"));
        }
    }

    @Test
    void aRefusedConnectionIsAConnectionError() {
        Result r = fetch("http://127.0.0.1:1/nothing-listens-here");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(((String) r.lines().getFirst().get("error")).startsWith("connection: "), r.out());
    }

    @Test
    void aBodyCutShortIsAConnectionErrorWithTheStatusAndTheBytesRead() throws Exception {
        try (TestServer truncating = TestServer.start(request ->
                     Reply.status(200).body(new byte[100_000]).truncateAfter(50_000));
             TestServer resetting = TestServer.start(request -> Reply.reset())) {
            Result r = fetch(truncating.url("/bytes/100000"), resetting.url("/json"));
            assertEquals(1, r.exit(), r.toString());
            Map<String, Map<String, Object>> lines = byUrl(r);
            Map<String, Object> cut = lines.get(truncating.url("/bytes/100000"));
            assertEquals(200, cut.get("status"), r.out());
            assertTrue(((Number) cut.get("bytes")).longValue() <= 50_000, r.out());
            assertTrue(((String) cut.get("error")).startsWith("connection: "), r.out());
            Map<String, Object> reset = lines.get(resetting.url("/json"));
            assertNull(reset.get("status"), r.out());
            assertTrue(((String) reset.get("error")).startsWith("connection: "), r.out());
        }
    }

    @Test
    void retriesRepeatATransientStatusAndCountTheAttempts() {
        Result r = fetch("--retries", "2", "--retry-delay", "1ms", base + "/status/503", base + "/status/404");
        assertEquals(1, r.exit(), r.toString());
        Map<String, Map<String, Object>> lines = byUrl(r);
        assertEquals(3, lines.get(base + "/status/503").get("attempts"));
        assertEquals("http_status: 503", lines.get(base + "/status/503").get("error"));
        assertEquals(1, lines.get(base + "/status/404").get("attempts"), "404 is not transient");
    }

    @Test
    void retriesRepeatATimeout() {
        Result r = fetch("--timeout", "50ms", "--retries", "1", "--retry-delay", "1ms", base + "/stall");
        assertEquals(2, r.lines().getFirst().get("attempts"), r.out());
        assertTrue(((String) r.lines().getFirst().get("error")).startsWith("timeout: "), r.out());
    }

    /**
     * fetch's session ({@code --retries 1 --retry-delay 30s}) on virtual time: the 2 s a {@code Retry-After}
     * asks for, or the 15 to 30 s of the backoff, pass at once but show on the loop's clock. The server
     * closes each connection, so no socket holds the clock while the retry waits (only the real time the two
     * exchanges take is added to it).
     */
    @Test
    void retriesWaitWhatRetryAfterAsksInsteadOfTheBackoff() throws Exception {
        try (TestServer busy = TestServer.start(request -> Reply.status(429).header("Retry-After", "2").closeAfter());
             Runner runner = Runner.builder().virtualTime(true).build()) {
            double[] waited = {0};
            FetchResult result = runner.run(() -> {
                try (ClientSession session = Fetcher.session(1, 0, 0, Duration.ofSeconds(10), 1, Duration.ofSeconds(30))) {
                    double start = Asyncio.getRunningLoop().time();
                    FetchResult f = new Fetcher(session, "GET", Map.of(), null, Duration.ofSeconds(10))
                            .fetch(busy.url("/limited"), new byte[8192]);
                    waited[0] = Asyncio.getRunningLoop().time() - start;
                    return f;
                }
            });
            assertEquals(2, result.attempts(), result.toString());
            assertEquals("http_status: 429", result.error());
            assertEquals(List.of("GET /limited HTTP/1.1", "GET /limited HTTP/1.1"), busy.requestLines());
            assertTrue(waited[0] >= 2 && waited[0] < 15, "virtual seconds from the first request to the end: " + waited[0]);
        }
    }

    @Test
    void waitingForTheRateLimitIsNotPartOfTheTimeout() {
        // 4 workers, 5 tokens/s: the last request waits 600 ms for its token, longer than --timeout 300ms
        Result r = fetch("--rate", "5/s", "--timeout", "300ms", "-c", "4",
                base + "/json?1", base + "/json?2", base + "/json?3", base + "/json?4");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(4, r.lines().size());
    }

    @Test
    void waitingForAPerHostSlotIsNotPartOfTheTimeout() {
        // one at a time to the host: the last waits 600 ms for its slot, then takes 200 ms < --timeout 500ms
        Result r = fetch("--per-host", "1", "--timeout", "500ms", "-c", "4",
                base + "/delay/200?1", base + "/delay/200?2", base + "/delay/200?3", base + "/delay/200?4");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(4, r.lines().size());
    }

    @Test
    void finalUrlIsTheUrlAfterRedirects() throws Exception {
        try (TestServer redirect = TestServer.start(request -> Reply.status(302).header("Location", base + "/json"))) {
            Result r = fetch(redirect.url("/old"));
            assertEquals(0, r.exit(), r.toString());
            Map<String, Object> line = r.lines().getFirst();
            assertEquals(redirect.url("/old"), line.get("url"));
            assertEquals(base + "/json", line.get("final_url"));
            assertEquals(200, line.get("status"));
        }
    }

    @Test
    void dataHeadersAndMethodReachTheServer() throws Exception {
        try (TestServer echo = TestServer.start(request -> Reply.status(201).body("ok"))) {
            Result r = fetch("-H", "X-Trace: abc 123", "-H", "Accept:text/plain", "-d", "name=asyncio4j&x=1",
                    echo.url("/submit"));
            assertEquals(0, r.exit(), r.toString());
            assertEquals(201, r.lines().getFirst().get("status"));
            RecordedRequest request = echo.requests().getFirst();
            assertEquals("POST /submit HTTP/1.1", request.requestLine(), request.head());
            assertEquals("abc 123", request.header("X-Trace"), request.head());
            assertEquals("text/plain", request.header("Accept"), request.head());
            assertEquals("application/x-www-form-urlencoded", request.header("Content-Type"), request.head());
            assertEquals("name=asyncio4j&x=1", request.bodyText());
        }
    }

    @Test
    void dataFromAFileWithAnExplicitMethodAndContentType() throws Exception {
        Path body = Files.writeString(dir.resolve("body.json"), "{\"q\": \"é\"}");
        try (TestServer echo = TestServer.start(request -> Reply.status(200))) {
            Result r = fetch("-X", "PUT", "-H", "Content-Type: application/json", "-d", "@" + body, echo.url("/x"));
            assertEquals(0, r.exit(), r.toString());
            RecordedRequest request = echo.requests().getFirst();
            assertEquals("PUT /x HTTP/1.1", request.requestLine(), request.head());
            assertEquals("application/json", request.header("Content-Type"), request.head());
            assertEquals("{\"q\": \"é\"}", request.bodyText());
        }
    }

    @Test
    void progressBarIsDrawnWhenStderrIsATerminalUnlessNever() {
        String slow = base + "/delay/150";
        Result shown = fetch(InputStream.nullInputStream(), fd -> fd == Terminal.STDERR, "-c", "1", slow, slow + "?2");
        assertEquals(0, shown.exit(), shown.toString());
        assertTrue(java.util.regex.Pattern.compile("^\r\\[[#-]{20}\\]  [012]/2  \\d+%  \\d+\\.\\d/s  ETA ")
                .matcher(shown.err()).find(), shown.err());
        assertTrue(shown.err().contains("\rfetched 2 URLs in "), "cleared before the summary: " + shown.err());
        Result never = fetch(InputStream.nullInputStream(), fd -> true, "--progress", "never", "-c", "1", slow, slow + "?2");
        assertEquals(0, never.exit(), never.toString());
        assertFalse(never.err().contains("\r"), never.err());
        assertTrue(never.err().startsWith("fetched 2 URLs in "), never.err());
    }

    // ---- input ------------------------------------------------------------------------------------------

    @Test
    void inputFileSkipsBlankLinesAndComments() throws Exception {
        Path urls = Files.writeString(dir.resolve("urls.txt"),
                "# a comment\n" + base + "/json\n\n   \n  " + base + "/status/201  \n#" + base + "/status/500\n");
        Result r = fetch("-i", urls.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals(Set.of(base + "/json", base + "/status/201"), byUrl(r).keySet());
    }

    @Test
    void aMalformedUrlInTheInputIsAFailedLineNotAUsageError() throws Exception {
        Path urls = Files.writeString(dir.resolve("urls.txt"), base + "/json\nnot a url\nftp://example.com/x\n");
        Result r = fetch("-i", urls.toString());
        assertEquals(1, r.exit(), r.toString());
        Map<String, Map<String, Object>> lines = byUrl(r);
        assertEquals(3, lines.size(), r.out());
        assertTrue(((String) lines.get("not a url").get("error")).startsWith("invalid_url: "), r.out());
        assertTrue(((String) lines.get("ftp://example.com/x").get("error")).startsWith("invalid_url: "), r.out());
        assertNull(lines.get("not a url").get("status"));
        assertTrue(r.summary().contains("  errors:  invalid_url: 2"), r.err());
    }

    @Test
    void dashReadsUrlsFromStdin() {
        InputStream stdin = new ByteArrayInputStream((base + "/json\n" + base + "/bytes/5\n").getBytes(StandardCharsets.UTF_8));
        Result r = fetch(stdin, fd -> false, "-i", "-");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(Set.of(base + "/json", base + "/bytes/5"), byUrl(r).keySet());
    }

    @Test
    void withoutUrlsAPipedStdinIsRead() {
        InputStream stdin = new ByteArrayInputStream((base + "/json\n").getBytes(StandardCharsets.UTF_8));
        Result r = fetch(stdin, fd -> false);
        assertEquals(0, r.exit(), r.toString());
        assertEquals(1, r.lines().size(), r.out());
    }

    @Test
    void anEmptyInputFetchesNothingAndSucceeds() {
        Result r = fetch(new ByteArrayInputStream("# nothing\n\n".getBytes(StandardCharsets.UTF_8)), fd -> false, "-i", "-");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.out());
        assertEquals("fetched 0 URLs", r.summary().getFirst().substring(0, "fetched 0 URLs".length()));
    }

    @Test
    void twentyThousandUrlsAreStreamedFromStdinInBoundedMemory() {
        int total = 20_000;
        GeneratedUrls stdin = new GeneratedUrls(base + "/json?n=", total);
        CountingWriter out = new CountingWriter(stdin);
        StringWriter err = new StringWriter();
        int exit = FetchTestSupport.run(stdin, fd -> false, out, err, "-c", "200", "-i", "-");
        assertEquals(0, exit, err.toString());
        assertEquals(total, out.lines, err.toString());
        assertTrue(err.toString().contains("fetched 20000 URLs in "), err.toString());
        // The input is read as the workers need it: when the first results were written, the reader was far
        // from the end (queue of 200 + 200 in flight + one batch of 512 + the reader's 64 KiB buffer).
        assertTrue(out.producedAtFirstWrite > 0 && out.producedAtFirstWrite < 5_000,
                "URLs read before the first results were written: " + out.producedAtFirstWrite);
    }

    // ---- the -o file ------------------------------------------------------------------------------------

    @Test
    void outputFileGetsEveryLineAndStdoutNothing() throws Exception {
        Path results = dir.resolve("results.jsonl");
        Files.writeString(results, "an older run\n");
        Result r = fetch("-o", results.toString(), base + "/json", base + "/status/202", base + "/bytes/10");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.out());
        List<String> lines = Files.readAllLines(results);
        assertEquals(3, lines.size(), lines.toString());
        lines.forEach(FetchTestSupport::parseLine);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(results), files.toList(), "no hidden file left behind");
        }
    }

    @Test
    void outputIntoAMissingDirectoryIsAUsageError() {
        Path missing = dir.resolve("no-such-dir").resolve("out.jsonl");
        assertOneLineUsageError(fetch("-o", missing.toString(), base + "/json"),
                "Invalid value for option '--output': cannot write '" + missing + "': no such directory");
    }

    // ---- usage errors -----------------------------------------------------------------------------------

    @Test
    void malformedArgumentsAreOneLineUsageErrors() {
        assertOneLineUsageError(fetch("-c", "0", base), "Invalid value for option '--concurrency': 0 is not a positive integer");
        assertOneLineUsageError(fetch("-c", "x", base), "Invalid value for option '--concurrency': 'x' is not an int");
        assertOneLineUsageError(fetch("--per-host", "0", base),
                "Invalid value for option '--per-host': 0 is not a positive integer");
        assertOneLineUsageError(fetch("--rate", "abc", base),
                "Invalid value for option '--rate': 'abc' is not a positive rate (examples: 50/s, 2.5/s, 120/m, 500/h)");
        assertOneLineUsageError(fetch("--rate", "0/s", base),
                "Invalid value for option '--rate': '0/s' is not a positive rate (examples: 50/s, 2.5/s, 120/m, 500/h)");
        assertOneLineUsageError(fetch("--timeout", "soon", base),
                "Invalid value for option '--timeout': 'soon' is not a duration (examples: 250ms, 1s, 1.5s, 2m)");
        assertOneLineUsageError(fetch("--timeout", "0s", base), "Invalid value for option '--timeout': must be longer than 0");
        assertOneLineUsageError(fetch("--retries", "-1", base), "Invalid value for option '--retries': -1 is negative");
        assertOneLineUsageError(fetch("--progress", "sometimes", base),
                "Invalid value for option '--progress': expected one of [auto, always, never] (case-sensitive)"
                        + " but was 'sometimes'");
        assertOneLineUsageError(fetch("--bogus", base), "Unknown option: '--bogus'");
    }

    @Test
    void malformedUrlsHeadersAndMethodsAreOneLineUsageErrors() {
        assertOneLineUsageError(fetch("example.com"), "Invalid URL 'example.com': no scheme (did you mean https://example.com ?)");
        assertOneLineUsageError(fetch("ftp://example.com/"), "Invalid URL 'ftp://example.com/': scheme 'ftp' is not http or https");
        assertOneLineUsageError(fetch("http://exa mple.com/"),
                "Invalid URL 'http://exa mple.com/': Illegal character in authority at index 10: http://exa mple.com/");
        assertOneLineUsageError(fetch("-H", "no colon", base), "Invalid value for option '--header': 'no colon' is not 'Name: value'");
        assertOneLineUsageError(fetch("-H", "Host: elsewhere", base),
                "Invalid value for option '--header': 'Host: elsewhere': restricted header name: \"Host\"");
        assertOneLineUsageError(fetch("-X", "GE T", base),
                "Invalid value for option '--request': 'GE T' is not an HTTP method the client can send");
    }

    @Test
    void unreadableInputsAreOneLineUsageErrors() {
        Path missing = dir.resolve("missing.txt");
        assertOneLineUsageError(fetch("-i", missing.toString()),
                "Invalid value for option '--input': cannot read '" + missing + "': no such file");
        assertOneLineUsageError(fetch("-i", dir.toString()), "Invalid value for option '--input': '" + dir + "' is a directory");
        assertOneLineUsageError(fetch("-d", "@" + missing, base),
                "Invalid value for option '--data': cannot read '" + missing + "': no such file");
        assertOneLineUsageError(fetch("-i", "-", base), "Give URLs as arguments or with '--input', not both");
    }

    @Test
    void noUrlsAndATerminalAsStdinIsAUsageError() {
        Result r = fetch(InputStream.nullInputStream(), fd -> fd == Terminal.STDIN);
        assertOneLineUsageError(r, "No URLs: give them as arguments, with -i FILE, or on stdin (-i -)");
    }

    @Test
    void helpShowsTheOptionsAndExamples() {
        Result r = fetch("--help");
        assertEquals(0, r.exit());
        for (String expected : List.of("--concurrency=N", "--per-host=N", "--rate=N/s", "--timeout=DURATION",
                "--retries=N", "--progress=WHEN", "invalid_url", "asyncio4j fetch https://example.com",
                "asyncio4j fetch -i urls.txt -c 200 -o results.jsonl", "| asyncio4j fetch -i - --rate 50/s")) {
            assertTrue(r.out().contains(expected), expected + " in\n" + r.out());
        }
        assertTrue(Main.commandLine().getUsageMessage().contains("fetch"), "listed by the top command");
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** stdin of {@code n} URL lines made up as they are read, never held; counts how many were read. */
    private static final class GeneratedUrls extends InputStream {
        private final String prefix;
        private final int n;
        private byte[] line = new byte[0];
        private int pos;
        volatile int produced;

        GeneratedUrls(String prefix, int n) {
            this.prefix = prefix;
            this.n = n;
        }

        @Override
        public int read() {
            if (pos == line.length) {
                if (produced == n) {
                    return -1;
                }
                line = (prefix + produced + "\n").getBytes(StandardCharsets.US_ASCII);
                produced++;
                pos = 0;
            }
            return line[pos++];
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int k = 0;
            while (k < len) {
                int c = read();
                if (c < 0) {
                    break;
                }
                b[off + k++] = (byte) c;
            }
            return k == 0 && len > 0 ? -1 : k;
        }
    }

    /** Counts the lines written to it and parses the first of each write; notes how much input was read by the first. */
    private static final class CountingWriter extends Writer {
        private final GeneratedUrls input;
        int lines;
        int producedAtFirstWrite = -1;

        CountingWriter(GeneratedUrls input) {
            this.input = input;
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            if (producedAtFirstWrite < 0) {
                producedAtFirstWrite = input.produced;
            }
            int start = off;
            for (int i = off; i < off + len; i++) {
                if (buf[i] == '\n') {
                    if (start == off) {
                        FetchTestSupport.parseLine(new String(buf, start, i - start));
                    }
                    lines++;
                    start = i + 1;
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
