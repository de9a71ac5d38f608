package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.asyncio4j.http.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code asyncio4j batch} end to end against {@code serve}'s OpenAI-compatible endpoints on loopback: the
 * output schema, --ordered, invalid input, the API key kept secret, a request larger than the TPM limit, a
 * storm of 429s, resuming, and a changed input refused. Rate adherence is in {@link BatchRateTest}, kill -9
 * in {@link BatchKillTest}.
 */
class BatchCommandTest {

    static final String KEY = "sk-test-SECRET-4c1d";
    static final List<String> KEYS = List.of("id", "custom_id", "response", "error", "attempts", "elapsed_ms", "usage");

    @TempDir
    Path dir;

    /** Exit code and stderr of one run, and the lines of the output file. */
    record Result(int exit, String out, String err, List<Map<String, Object>> lines) {
    }

    /** Runs {@code asyncio4j batch ARGS} in-process with OPENAI_API_KEY set to {@link #KEY}. */
    static Result batch(Path output, String... args) throws IOException {
        return batch(name -> name.equals("OPENAI_API_KEY") ? KEY : null, output, args);
    }

    static Result batch(Function<String, String> env, Path output, String... args) throws IOException {
        CommandLine cl = Main.commandLine(new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return cls == BatchCommand.class ? cls.cast(new BatchCommand(env, fd -> false, () -> 80))
                        : CommandLine.defaultFactory().create(cls);
            }
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("batch", "-o", output.toString()));
        all.addAll(List.of(args));
        int exit = cl.execute(all.toArray(String[]::new));
        List<Map<String, Object>> lines = Files.exists(output) ? read(output) : List.of();
        return new Result(exit, out.toString(), err.toString(), lines);
    }

    /** The lines of a result file, each parsed and checked against the output schema. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> read(Path file) throws IOException {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Object parsed = JsonCodec.jackson().decode(line.getBytes(StandardCharsets.UTF_8));
            assertTrue(parsed instanceof Map, line);
            Map<String, Object> m = (Map<String, Object>) parsed;
            assertEquals(KEYS, new ArrayList<>(m.keySet()), line);
            assertTrue(m.get("id") instanceof String id && id.startsWith("batch_req_"), line);
            assertTrue(m.get("custom_id") instanceof String, line);
            assertTrue(m.get("attempts") instanceof Integer, line);
            assertTrue(m.get("elapsed_ms") instanceof Number n && n.doubleValue() >= 0, line);
            if (m.get("error") == null) {
                Map<String, Object> response = (Map<String, Object>) m.get("response");
                assertEquals(List.of("status_code", "request_id", "body"), new ArrayList<>(response.keySet()), line);
                assertTrue(response.get("request_id") instanceof String, line);
                assertTrue(m.get("usage") instanceof Map, line);
            } else {
                assertNull(m.get("response"), line);
                assertEquals(List.of("code", "message"), new ArrayList<>(((Map<String, Object>) m.get("error")).keySet()),
                        line);
            }
            lines.add(m);
        }
        return lines;
    }

    /** {@code n} chat requests in the Batch API format, custom_ids r0..r(n-1). */
    static Path requests(Path dir, int n) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(chat("r" + i, "question number " + i));
        }
        return Files.write(dir.resolve("requests.jsonl"), lines);
    }

    static String chat(String id, String prompt) {
        return "{\"custom_id\":\"" + id + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":"
                + "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}}";
    }

    static List<String> ids(List<Map<String, Object>> lines) {
        return lines.stream().map(m -> (String) m.get("custom_id")).toList();
    }

    @SuppressWarnings("unchecked")
    static Object answer(Map<String, Object> line) {
        Map<String, Object> body = (Map<String, Object>) ((Map<String, Object>) line.get("response")).get("body");
        Map<String, Object> choice = (Map<String, Object>) ((List<Object>) body.get("choices")).getFirst();
        return ((Map<String, Object>) choice.get("message")).get("content");
    }

    @Test
    void everyRequestGetsOneLineInTheBatchOutputSchemaAndASummary() throws Exception {
        Path in = requests(dir, 60);
        try (ServeThread server = new ServeThread(java.time.Duration.ofMillis(5))) {
            Result r = batch(dir.resolve("out.jsonl"), "-i", in.toString(), "--base-url", server.url, "-c", "8");
            assertEquals(0, r.exit(), r.err());
            assertEquals(60, r.lines().size());
            assertEquals(60, Set.copyOf(ids(r.lines())).size());
            for (Map<String, Object> line : r.lines()) {
                String id = (String) line.get("custom_id");
                assertEquals("echo: question number " + id.substring(1), answer(line));
                assertEquals(1, line.get("attempts"));
            }
            assertTrue(r.err().contains("batch: 60 requests in "), r.err());
            assertTrue(r.err().contains("60 ok, 0 failed, 0 retries"), r.err());
            assertTrue(r.err().contains("  status:  200: 60"), r.err());
            assertTrue(r.err().contains("  tokens:  in 180, out "), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void orderedWritesTheLinesInInputOrderWhateverTheOrderOfCompletion() throws Exception {
        Path in = requests(dir, 40);
        try (ServeThread server = new ServeThread(LocalServer.builder()
                .jitter(java.time.Duration.ofMillis(30)).seed(7))) {
            Result r = batch(dir.resolve("out.jsonl"), "-i", in.toString(), "--base-url", server.url, "-c", "8",
                    "--ordered", "--reorder-buffer", "8");
            assertEquals(0, r.exit(), r.err());
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                expected.add("r" + i);
            }
            assertEquals(expected, ids(r.lines()));
        }
    }

    @Test
    void invalidLinesAreReportedWithTheirLineNumbersBeforeAnyRequestIsSent() throws Exception {
        Path in = Files.write(dir.resolve("in.jsonl"), List.of(chat("a", "x"), "{not json", chat("a", "y"),
                "{\"custom_id\":\"b\",\"method\":\"DELETE\",\"url\":\"/v1/x\",\"body\":{}}",
                "{\"method\":\"POST\",\"url\":\"/v1/x\",\"body\":{}}"));
        Path out = dir.resolve("out.jsonl");
        Result r = batch(out, "-i", in.toString(), "--base-url", "http://127.0.0.1:9");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("line 2: not valid JSON"), r.err());
        assertTrue(r.err().contains("line 3: custom_id 'a' repeats line 1"), r.err());
        assertTrue(r.err().contains("line 4: method 'DELETE' is not POST or GET"), r.err());
        assertTrue(r.err().contains("line 5: no custom_id"), r.err());
        assertTrue(r.err().contains("nothing was sent"), r.err());
        assertFalse(Files.exists(out), "nothing may be written");
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void skipInvalidWritesTheInvalidLinesAsErrorRecordsAndSendsTheRest() throws Exception {
        Path in = Files.write(dir.resolve("in.jsonl"), List.of(chat("a", "x"), "{not json", chat("a", "y")));
        try (ServeThread server = new ServeThread(java.time.Duration.ZERO)) {
            Result r = batch(dir.resolve("out.jsonl"), "-i", in.toString(), "--base-url", server.url, "--skip-invalid",
                    "--ordered");
            assertEquals(1, r.exit(), r.err());
            assertEquals(List.of("a", "line:2", "line:3"), ids(r.lines()));
            assertNull(r.lines().get(0).get("error"));
            assertEquals("invalid_request", ((Map<?, ?>) r.lines().get(1).get("error")).get("code"));
            assertEquals(0, r.lines().get(2).get("attempts"));
        }
    }

    @Test
    void theApiKeyIsSentButNeverPrintedNorWrittenEvenWhenRequestsFail() throws Exception {
        Path in = requests(dir, 3);
        StringWriter help = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(help, true));
        cl.execute("batch", "--help");
        assertFalse(help.toString().contains(KEY));
        try (ServeThread server = new ServeThread(java.time.Duration.ZERO)) {
            Result ok = batch(dir.resolve("ok.jsonl"), "-i", in.toString(), "--base-url", server.url);
            assertEquals(0, ok.exit(), ok.err()); // the fake answers 401 without the key
            Result down = batch(dir.resolve("down.jsonl"), "-i", in.toString(), "--base-url", "http://127.0.0.1:9",
                    "--max-attempts", "1", "--errors", dir.resolve("failed.jsonl").toString());
            assertEquals(1, down.exit(), down.err());
            assertEquals("connection", ((Map<?, ?>) read(dir.resolve("failed.jsonl")).getFirst().get("error")).get("code"));
            for (String text : List.of(ok.out(), ok.err(), down.out(), down.err(),
                    Files.readString(dir.resolve("ok.jsonl")), Files.readString(dir.resolve("failed.jsonl")))) {
                assertFalse(text.contains(KEY), text);
            }
        }
        Result missing = batch(name -> null, dir.resolve("x.jsonl"), "-i", in.toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().startsWith("asyncio4j batch: The environment variable OPENAI_API_KEY (the API key)"
                + " is not set"), missing.err());
    }

    @Test
    void aRequestLargerThanTheTokensPerMinuteLimitIsAnErrorRecordAtOnceNotAHang() throws Exception {
        Path in = Files.write(dir.resolve("in.jsonl"), List.of(chat("small", "hi"),
                "{\"custom_id\":\"big\",\"url\":\"/v1/chat/completions\",\"body\":{\"max_tokens\":5000,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}"));
        try (ServeThread server = new ServeThread(java.time.Duration.ZERO)) {
            Result r = batch(dir.resolve("out.jsonl"), "-i", in.toString(), "--base-url", server.url, "--tpm", "1000",
                    "--ordered");
            assertEquals(1, r.exit(), r.err());
            assertNull(r.lines().get(0).get("error"));
            Map<?, ?> error = (Map<?, ?>) r.lines().get(1).get("error");
            assertEquals("too_many_tokens", error.get("code"));
            assertTrue(((String) error.get("message")).contains("more than --tpm 1000"), error.toString());
            assertEquals(0, r.lines().get(1).get("attempts"));
        }
    }

    @Test
    void aStormOf429sIsRetriedAfterRetryAfterUntilEveryRequestSucceeds() throws Exception {
        Path in = requests(dir, 24);
        // 600 requests a minute, but the bucket holds half a second's worth: 5 at once, then 10 a second
        try (ServeThread server = new ServeThread(LocalServer.builder()
                .limits(600, 0).limitWindow(0.5))) {
            Result r = batch(dir.resolve("out.jsonl"), "-i", in.toString(), "--base-url", server.url, "-c", "12",
                    "--max-attempts", "10");
            assertEquals(0, r.exit(), r.err());
            assertEquals(24, Set.copyOf(ids(r.lines())).size());
            assertTrue(r.lines().stream().anyMatch(m -> (Integer) m.get("attempts") > 1), r.err());
            assertTrue(r.err().contains("  status:  200: 24"), r.err());
            assertFalse(r.err().contains(" 0 retries"), r.err());
        }
    }

    @Test
    void aRerunSendsOnlyWhatIsMissingAndCutsOffAnIncompleteLastLine() throws Exception {
        Path in = requests(dir, 10);
        Path out = dir.resolve("out.jsonl");
        try (ServeThread server = new ServeThread(java.time.Duration.ZERO)) {
            assertEquals(0, batch(out, "-i", in.toString(), "--base-url", server.url, "--ordered").exit());
            List<String> all = Files.readAllLines(out);
            // as a kill -9 leaves it: 6 complete lines, half of the 7th
            Files.writeString(out, String.join("\n", all.subList(0, 6)) + "\n" + all.get(6).substring(0, 40));
            Result r = batch(out, "-i", in.toString(), "--base-url", server.url, "--ordered");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.err().contains("cut off an incomplete end of " + out), r.err());
            assertTrue(r.err().contains("batch: 4 requests in "), r.err());
            assertEquals(List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"), ids(r.lines()));
            Result again = batch(out, "-i", in.toString(), "--base-url", server.url);
            assertEquals(0, again.exit(), again.err());
            assertTrue(again.err().contains("batch: 0 requests in "), again.err());
            assertEquals(10, again.lines().size());
        }
    }

    @Test
    void aRerunWithAChangedInputIsRefusedWithAClearMessage() throws Exception {
        Path in = requests(dir, 3);
        Path out = dir.resolve("out.jsonl");
        try (ServeThread server = new ServeThread(java.time.Duration.ZERO)) {
            assertEquals(0, batch(out, "-i", in.toString(), "--base-url", server.url).exit());
            Files.write(in, List.of(chat("r0", "question number 0"), chat("r1", "something else"),
                    chat("r2", "question number 2")));
            Result altered = batch(out, "-i", in.toString(), "--base-url", server.url);
            assertEquals(2, altered.exit());
            assertTrue(altered.err().contains("the input changed since the run that wrote " + out
                    + ": line 2 (custom_id 'r1') asks for something else"), altered.err());
            Files.write(in, List.of(chat("r0", "question number 0"), chat("r2", "question number 2")));
            Result removed = batch(out, "-i", in.toString(), "--base-url", server.url);
            assertEquals(2, removed.exit());
            assertTrue(removed.err().contains("custom_id 'r1' of the earlier run is no longer in it"), removed.err());
            assertEquals(3, read(out).size());
        }
    }

    @Test
    void bareBodiesWithUrlAreNumberedByLine() throws Exception {
        Path in = Files.write(dir.resolve("in.jsonl"), List.of(
                "{\"model\":\"m\",\"input\":\"one two\"}", "", "{\"model\":\"m\",\"input\":[\"three\"]}"));
        try (ServeThread server = new ServeThread(java.time.Duration.ZERO)) {
            Result r = batch(dir.resolve("out.jsonl"), "-i", in.toString(), "--url", server.url + "/v1/embeddings",
                    "--ordered", "--tpm", "10000");
            assertEquals(0, r.exit(), r.err());
            assertEquals(List.of("1", "3"), ids(r.lines()));
        }
    }
}
