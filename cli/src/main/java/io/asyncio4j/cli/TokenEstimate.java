package io.asyncio4j.cli;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import tools.jackson.databind.JsonNode;

/**
 * How many tokens of a minute's budget a request will use, counted before it is sent, for {@code batch
 * --tpm}: the prompt's tokens as OpenAI's {@code o200k_base} encoding counts them (with jtokkit, a Java port
 * of tiktoken), plus the completion it may produce.
 * <ul>
 *   <li>chat ({@code messages}): each message's text (a string, or the {@code text} of its parts) and its
 *       role, plus 4 tokens per message and 3 for the reply's priming, as OpenAI's cookbook counts;</li>
 *   <li>embeddings ({@code input}): the tokens of the string, or of each string of the array;</li>
 *   <li>anything else: the tokens of the body's JSON text;</li>
 *   <li>plus {@code max_tokens} or {@code max_completion_tokens} times {@code n} (default 1) when given.
 *       Without them nothing is reserved for the completion: the answer's {@code usage} corrects the count
 *       afterwards ({@link BatchRun}).</li>
 * </ul>
 * Other models' tokenizers differ by a few percent; the correction from {@code usage} absorbs that.
 *
 * <p>Thread-safety: the encoding is immutable and thread-safe; so is this.
 */
final class TokenEstimate {

    private final Encoding encoding;

    private TokenEstimate(Encoding encoding) {
        this.encoding = encoding;
    }

    /** Loads the o200k_base encoding (a few hundred ms: done only when --tpm is on). */
    static TokenEstimate load() {
        return new TokenEstimate(Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE));
    }

    /** The estimate for a request with this body (null: a GET without one, 0). */
    int tokens(JsonNode body) {
        if (body == null || !body.isObject()) {
            return 0;
        }
        long n;
        JsonNode messages = body.get("messages");
        JsonNode input = body.get("input");
        if (messages != null && messages.isArray()) {
            n = 3;
            for (JsonNode m : messages.values()) {
                n += 4 + count(m.path("role").asString(""));
                JsonNode content = m.get("content");
                if (content != null && content.isArray()) {
                    for (JsonNode part : content.values()) {
                        n += count(part.path("text").asString(""));
                    }
                } else if (content != null) {
                    n += count(content.asString(""));
                }
            }
        } else if (input != null && input.isArray()) {
            n = 0;
            for (JsonNode s : input.values()) {
                n += count(s.asString(""));
            }
        } else if (input != null) {
            n = count(input.asString(""));
        } else {
            n = count(body.toString());
        }
        long completion = Math.max(body.path("max_tokens").asLong(0), body.path("max_completion_tokens").asLong(0));
        n += completion * Math.max(1, body.path("n").asLong(1));
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    private int count(String text) {
        return text.isEmpty() ? 0 : encoding.countTokens(text);
    }
}
