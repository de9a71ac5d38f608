package io.asyncio4j.cli;

import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON endpoints of {@link LocalServer} that stand in for the internet services of the tutorials:
 * JSONPlaceholder's {@code /posts/{id}}, an {@code /echo} of the request, and an OpenAI-compatible
 * {@code /v1/chat/completions} that answers {@code "echo: <last user message>"}.
 *
 * <p>Stateless apart from the completion counter, which only the loop thread touches (all connection
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

    /** Numbers the completion ids; written and read on the loop thread only. */
    private long completions;

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
     * {@code POST /v1/chat/completions}: a {@code chat.completion} whose message is {@code "echo: "} and the
     * content of the last user message; token counts are whitespace-separated words. 401 without
     * {@code Authorization: Bearer ...}, 400 for malformed JSON or no {@code messages}, both with an
     * OpenAI-style error object.
     */
    Reply chatCompletion(Request req) {
        if (!req.method().equals("POST")) {
            return error(405, "Only POST is supported on /v1/chat/completions");
        }
        String auth = req.headers().getOrDefault("authorization", "");
        if (!auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.substring(7).isBlank()) {
            return error(401, "You didn't provide an API key: send 'Authorization: Bearer <key>'");
        }
        JsonNode root;
        try {
            root = JSON.readTree(req.body());
        } catch (JacksonException e) {
            return error(400, "The request body is not valid JSON: " + e.getOriginalMessage());
        }
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
        String answer = "echo: " + (lastUser == null ? "" : lastUser);
        int completionTokens = wordCount(answer);
        ObjectNode out = JSON.createObjectNode()
                .put("id", "chatcmpl-asyncio4j-" + ++completions)
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
        return json(200, out);
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
        ObjectNode out = JSON.createObjectNode();
        out.putObject("error")
                .put("message", message)
                .put("type", "invalid_request_error")
                .put("code", status == 401 ? "invalid_api_key" : null);
        return json(status, out);
    }

    private static Reply json(int status, JsonNode node) {
        return new Reply(status, "application/json",
                (JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
