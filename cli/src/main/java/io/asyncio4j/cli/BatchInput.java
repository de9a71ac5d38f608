package io.asyncio4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The input of {@code batch}, read and checked whole before any request is sent.
 *
 * <h2>Formats</h2>
 * <ul>
 *   <li>OpenAI Batch API lines (without {@code --url}):
 *       {@code {"custom_id":"r1","method":"POST","url":"/v1/chat/completions","body":{...}}}; {@code url} is
 *       relative to {@code --base-url} (or absolute);</li>
 *   <li>bare request bodies (with {@code --url}): each line is the {@code body}, sent with POST to
 *       {@code --url}; its {@code custom_id} is its line number ("1", "2", ...).</li>
 * </ul>
 * Blank lines are skipped (they keep their line number). A line that is not a JSON object, has no
 * {@code custom_id} (or not a string or a number), repeats one, has a method other than POST or GET, no
 * {@code url} or a {@code body} that is not an object, is a {@link Problem} with its line number. The
 * command stops on problems (exit 2) or, with {@code --skip-invalid}, turns each into an error record:
 * {@link #items()} then holds it as an {@link Item} with {@link Item#invalid()} set, in its place, under its
 * {@code custom_id} when it has one of its own, else {@code line:N}.
 *
 * <p>Each item carries a fingerprint of what it asks (method, url, body), which the resume check compares
 * between runs ({@link BatchJournal}).
 *
 * <p>Thread-safety: immutable once read.
 */
final class BatchInput {

    /** The one JSON mapper of batch's classes (building one costs time at start-up). */
    static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * One request of the input.
     *
     * @param index    its position among the items, from 0
     * @param line     its line number, from 1
     * @param customId its custom_id
     * @param method   POST or GET
     * @param url      as written: relative to the base URL, or absolute
     * @param body     the JSON body as compact UTF-8 bytes (what is sent), or null for a GET without one
     * @param hash     the fingerprint of method, url and body
     * @param invalid  why the line is invalid (with --skip-invalid), or null
     */
    record Item(int index, int line, String customId, String method, String url, byte[] body, String hash,
                String invalid) {
    }

    /** A line that cannot be sent, and why. */
    record Problem(int line, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    private final List<Item> items;
    private final List<Problem> problems;

    private BatchInput(List<Item> items, List<Problem> problems) {
        this.items = items;
        this.problems = problems;
    }

    /** The requests in input order, the invalid ones included as error items. */
    List<Item> items() {
        return items;
    }

    /** The invalid lines, in input order. */
    List<Problem> problems() {
        return problems;
    }

    /**
     * Reads {@code file}: Batch API lines when {@code url} is null, else bare bodies for {@code url}. The file
     * is streamed: only the parsed requests are kept, not its text.
     *
     * @throws IOException when the file cannot be read
     */
    static BatchInput read(Path file, String url) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Parser parser = new Parser(url);
            for (String line; (line = r.readLine()) != null; ) {
                parser.add(line);
            }
            return parser.result();
        }
    }

    /** Parses {@code lines}; see {@link #read}. */
    static BatchInput parse(List<String> lines, String url) {
        Parser parser = new Parser(url);
        lines.forEach(parser::add);
        return parser.result();
    }

    /** Parses one line after the other. Thread-safety: none; one reader's. */
    private static final class Parser {
        private final String url;
        private final List<Item> items = new ArrayList<>();
        private final List<Problem> problems = new ArrayList<>();
        private final Map<String, Integer> seen = new HashMap<>();
        private final MessageDigest sha = sha256();
        private int lineNo;

        Parser(String url) {
            this.url = url;
        }

        BatchInput result() {
            return new BatchInput(items, problems);
        }

        void add(String text) {
            lineNo++;
            if (text.isBlank()) {
                return;
            }
            String problem = null;
            String customId = null;
            String method = "POST";
            String target = url;
            JsonNode body = null;
            JsonNode root;
            try {
                root = JSON.readTree(text);
            } catch (JacksonException e) {
                root = null;
                problem = "not valid JSON (" + e.getOriginalMessage() + ")";
            }
            if (problem == null && (root == null || !root.isObject())) {
                problem = "not a JSON object";
            } else if (problem == null && url != null) {
                customId = Integer.toString(lineNo);
                body = root;
            } else if (problem == null) {
                JsonNode id = root.get("custom_id");
                JsonNode m = root.get("method");
                JsonNode u = root.get("url");
                body = root.get("body");
                if (id == null || !(id.isString() || id.isNumber()) || id.asString().isEmpty()) {
                    problem = "no custom_id (each line needs a unique \"custom_id\" string)";
                } else {
                    customId = id.asString();
                }
                method = m == null ? "POST" : m.asString("");
                if (problem == null && !method.equals("POST") && !method.equals("GET")) {
                    problem = "method '" + FetchCommand.escape(method) + "' is not POST or GET";
                } else if (problem == null && (u == null || !u.isString() || u.asString().isBlank())) {
                    problem = "no url (such as \"/v1/chat/completions\")";
                } else if (problem == null && body != null && !body.isObject() && !body.isNull()) {
                    problem = "body is not a JSON object";
                } else if (problem == null && method.equals("POST") && (body == null || body.isNull())) {
                    problem = "a POST needs a body";
                }
                target = u == null ? null : u.asString(null);
            }
            if (problem == null && customId != null && seen.containsKey(customId)) {
                problem = "custom_id '" + FetchCommand.escape(customId) + "' repeats line " + seen.get(customId);
            }
            if (problem != null) {
                problems.add(new Problem(lineNo, problem));
                String own = customId != null && !seen.containsKey(customId) ? customId : "line:" + lineNo;
                seen.putIfAbsent(own, lineNo);
                items.add(new Item(items.size(), lineNo, own, method, target, null, hash(sha, text), problem));
                return;
            }
            seen.put(customId, lineNo);
            byte[] json = body == null ? null : JSON.writeValueAsBytes(body);
            String fingerprint = hash(sha, method + " " + target + " "
                    + (json == null ? "" : new String(json, StandardCharsets.UTF_8)));
            items.add(new Item(items.size(), lineNo, customId, method, target, json, fingerprint, null));
        }
    }

    /** The first 16 hex digits of the SHA-256 of {@code s}, with {@code sha} (reset by digest). */
    private static String hash(MessageDigest sha, String s) {
        return HexFormat.of().formatHex(sha.digest(s.getBytes(StandardCharsets.UTF_8)), 0, 8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
