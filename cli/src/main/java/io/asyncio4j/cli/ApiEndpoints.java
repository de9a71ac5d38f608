package io.asyncio4j.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON endpoints of {@link LocalServer} that stand in for the internet services of the tutorials:
 * JSONPlaceholder's {@code /posts/{id}}, an {@code /echo} of the request, and an OpenAI-compatible
 * {@code /v1/chat/completions} that answers {@code "echo: <last user message>"} and {@code /v1/embeddings}
 * whose vectors are derived from the input's words. The two OpenAI endpoints count tokens as
 * whitespace-separated words, put {@code usage} in every answer, an {@code x-request-id} header on every
 * answer, and are limited by the {@link ApiLimits} given (429 with {@code Retry-After}).
 *
 * <p>Stateless apart from the id counter and the limits, which only the loop thread touches (all connection
 * tasks of a server run on its loop, one at a time).
 */
final class ApiEndpoints {

    /** JSONPlaceholder has posts 1..100. */
    static final int MAX_POST = 100;

    /** The {@code created} of every completion: fixed, so answers are reproducible. */
    static final long CREATED = 1_700_000_000L;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String[] WORDS = {
        "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do",
        "eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua", "enim"
    };

    /** The dimension of the fake embeddings. */
    static final int EMBEDDING_SIZE = 8;

    /** Numbers the completion and request ids; written and read on the loop thread only. */
    private long completions;

    private final ApiLimits limits;

    /** Endpoints whose OpenAI-compatible part is limited by {@code limits}. */
    ApiEndpoints(ApiLimits limits) {
        this.limits = limits;
    }

    /** Endpoints without rate limits. */
    ApiEndpoints() {
        this(new ApiLimits(0, 0));
    }

    /** The rate limits of the OpenAI-compatible endpoints. */
    ApiLimits limits() {
        return limits;
    }

    /** {@code GET /posts/{id}}: a JSONPlaceholder-shaped post, the same for the same id; 404 {@code {}} else. */
    Reply post(String idText) {
        int id;
        try {
            id = Integer.parseInt(idText);
        } catch (NumberFormatException e) {
            id = 0;
        }
        if (id < 1 || id > MAX_POST) {
            return json(404, JSON.createObjectNode());
        }
        ObjectNode post = JSON.createObjectNode()
                .put("userId", (id - 1) / 10 + 1)
                .put("id", id)
                .put("title", words(id, 3 + id % 4))
                .put("body", words(id * 7, 12 + id % 9));
        return json(200, post);
    }

    /** Any method on {@code /echo}: what the server read, as JSON. */
    Reply echo(Request req) {
        ObjectNode out = JSON.createObjectNode()
                .put("method", req.method())
                .put("path", req.path());
        ObjectNode query = out.putObject("query");
        req.query().forEach(query::put);
        ObjectNode headers = out.putObject("headers");
        req.headers().forEach(headers::put);
        out.put("body", new String(req.body(), StandardCharsets.UTF_8));
        out.put("body_bytes", req.body().length);
        return json(200, out);
    }

    /**
     * {@code POST /v1/chat/completions} or {@code /v1/embeddings}: see {@link #chatCompletion} and
     * {@link #embeddings}; every answer gets an {@code x-request-id}, the admitted ones the rate-limit headers.
     */
    Reply openAi(Request req, boolean chat) {
        long n = ++completions;
        Reply r;
        if (!req.method().equals("POST")) {
            r = error(405, "Only POST is supported on " + req.path());
        } else {
            String auth = req.headers().getOrDefault("authorization", "");
            if (!auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.substring(7).isBlank()) {
                r = error(401, "You didn't provide an API key: send 'Authorization: Bearer <key>'");
            } else {
                JsonNode root;
                try {
                    root = JSON.readTree(req.body());
                    r = root == null || !root.isObject() ? error(400, "The request body must be a JSON object")
                            : chat ? chatCompletion(root, n) : embeddings(root);
                } catch (JacksonException e) {
                    r = error(400, "The request body is not valid JSON: " + e.getOriginalMessage());
                }
            }
        }
        return r.withHeader("x-request-id", "req_asyncio4j_" + n);
    }

    /**
     * A {@code chat.completion} whose message is {@code "echo: "} and the content of the last user message;
     * token counts are whitespace-separated words, and a request costs its prompt's plus its
     * {@code max_tokens} (or {@code max_completion_tokens}) against the limits. 400 for no {@code messages},
     * 429 over a limit, both with an OpenAI-style error object.
     */
    private Reply chatCompletion(JsonNode root, long n) {
        JsonNode messages = root == null ? null : root.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            return error(400, "'messages' is required and must be a non-empty array");
        }
        String lastUser = null;
        int promptTokens = 0;
        for (JsonNode m : messages.values()) {
            if (!m.isObject()) {
                return error(400, "each message must be an object with 'role' and 'content'");
            }
            String content = content(m.get("content"));
            promptTokens += wordCount(content);
            if ("user".equals(m.path("role").asString(""))) {
                lastUser = content;
            }
        }
        int cost = promptTokens + Math.max(root.path("max_tokens").asInt(0), root.path("max_completion_tokens").asInt(0));
        Reply refused = limits.admit(cost);
        if (refused != null) {
            return refused;
        }
        String answer = "echo: " + (lastUser == null ? "" : lastUser);
        int completionTokens = wordCount(answer);
        ObjectNode out = JSON.createObjectNode()
                .put("id", "chatcmpl-asyncio4j-" + n)
                .put("object", "chat.completion")
                .put("created", CREATED)
                .put("model", root.path("model").asString("asyncio4j-echo"));
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", answer);
        choice.put("finish_reason", "stop");
        out.putObject("usage")
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return limits.headers(json(200, out));
    }

    /**
     * A {@code list} of one {@code embedding} per input (a string or an array of strings), each a vector of
     * {@value #EMBEDDING_SIZE} numbers derived from the words, the same for the same text; a request costs its
     * words against the limits. 400 without {@code input}.
     */
    private Reply embeddings(JsonNode root) {
        JsonNode input = root.get("input");
        List<String> texts = new ArrayList<>();
        if (input != null && input.isString()) {
            texts.add(input.asString());
        } else if (input != null && input.isArray() && !input.isEmpty()) {
            for (JsonNode t : input.values()) {
                texts.add(t.asString(""));
            }
        } else {
            return error(400, "'input' is required: a string or a non-empty array of strings");
        }
        int promptTokens = texts.stream().mapToInt(ApiEndpoints::wordCount).sum();
        Reply refused = limits.admit(promptTokens);
        if (refused != null) {
            return refused;
        }
        ObjectNode out = JSON.createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < texts.size(); i++) {
            ArrayNode vector = data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
            int h = texts.get(i).hashCode();
            for (int k = 0; k < EMBEDDING_SIZE; k++) {
                vector.add(Math.floorMod(h * 31 + k * 7919, 2001) / 1000.0 - 1);
            }
        }
        out.put("model", root.path("model").asString("asyncio4j-embedding"));
        out.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
        return limits.headers(json(200, out));
    }

    /** A message's content: a string, or the text parts of an array of content parts. */
    private static String content(JsonNode c) {
        if (c == null || c.isNull()) {
            return "";
        }
        if (c.isArray()) {
            StringBuilder b = new StringBuilder();
            for (JsonNode part : c.values()) {
                String text = part.path("text").asString("");
                if (!text.isEmpty()) {
                    b.append(b.isEmpty() ? "" : " ").append(text);
                }
            }
            return b.toString();
        }
        return c.asString("");
    }

    static int wordCount(String s) {
        String t = s.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    private static String words(int seed, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : " ").append(WORDS[Math.floorMod(seed * 31 + i * 17 + i * i, WORDS.length)]);
        }
        return b.toString();
    }

    private static Reply error(int status, String message) {
        return error(status, message, status == 401 ? "invalid_api_key" : null);
    }

    /** An OpenAI-style error answer: {@code {"error":{"message","type","code"}}}. */
    static Reply error(int status, String message, String code) {
        ObjectNode out = JSON.createObjectNode();
        out.putObject("error")
                .put("message", message)
                .put("type", status == 429 ? "requests" : "invalid_request_error")
                .put("code", code);
        return json(status, out);
    }

    private static Reply json(int status, JsonNode node) {
        return new Reply(status, "application/json",
                (JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
