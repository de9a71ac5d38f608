package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Outcome;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.ClientTimeout;
import io.asyncio4j.http.Response;
import io.asyncio4j.sync.Semaphore;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Batch LLM calls: a {@code Semaphore} caps the calls in flight; a failed call does not lose the others.
 *
 * <p>The API is an OpenAI-compatible chat-completions endpoint, and {@code return_exceptions=True} keeps
 * every answer.
 *
 * <p>Tutorial: "AI/ML에서의 활용" of "asyncio - 비동기 프로그래밍" ({@code call_llm(session, sem, prompt)}
 * posting an OpenAI chat-completions payload with {@code Authorization: Bearer}, and
 * {@code batch_llm_calls(prompts, max_concurrent=5)} gathering them with {@code return_exceptions=True};
 * the tutorial runs it on {@code ["질문1", "질문2", "질문3"]}). The API is the local server's
 * OpenAI-compatible fake at {@code /v1/chat/completions}, which answers {@code "echo: <prompt>"}; give a
 * base URL argument to use another server. {@code session.post(url, json=payload)} is
 * {@code session.postJson(url, payload)}, and {@code await response.json()} reads the answer into a record
 * ({@code response.json(ChatCompletion.class)}); the headers and the {@code ClientTimeout} are set once on the
 * session. {@code return_exceptions=True} is {@code Asyncio.gatherSettled}. {@code call_llm} already turns
 * every failure into a result with {@code status} 0, as the tutorial's does.
 * <pre>
 * [200] Question 1 -> echo: Question 1
 * [200] Question 2 -> echo: Question 2
 * [200] Question 3 -> echo: Question 3
 * </pre>
 *
 * <p>The same job without code, for a file of prompts, with the limits and the crash safety a real batch
 * needs (RPM/TPM limits, retries honouring {@code Retry-After}, one result line per {@code custom_id}, a rerun
 * that continues after a crash), is the {@code batch} command; each line of {@code prompts.jsonl} is a body
 * such as {@code {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Question 1"}]}}:
 * <pre>
 * bin/asyncio4j serve --port 8080 &amp;
 * OPENAI_API_KEY=test bin/asyncio4j batch -i prompts.jsonl -o answers.jsonl \
 *     --url http://127.0.0.1:8080/v1/chat/completions -c 5 --ordered
 * </pre>
 */
public final class LlmBatchExample {
    private final String baseUrl;
    private final Duration latency = Duration.ofMillis(100); // the local server's wait before each answer

    LlmBatchExample(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** What {@code call_llm} returns: the answer and its status, or the error and status 0. */
    record LlmResult(String prompt, ChatCompletion response, int status, String error) {
    }

    /** The part of a chat-completions answer this example reads: {@code choices[0].message.content}. */
    record ChatCompletion(List<Choice> choices) {
        /** One choice of the answer. */
        record Choice(Message message) {
        }

        /** A chat message. */
        record Message(String role, String content) {
        }

        /** {@code response["choices"][0]["message"]["content"]}. */
        String content() {
            return choices.getFirst().message().content();
        }
    }

    /** Calls the LLM API, at most as many at once as {@code sem} allows. */
    LlmResult callLlm(ClientSession session, Semaphore sem, String prompt, String apiUrl) {
        try (var held = sem.hold()) { // async with sem: limits the concurrent requests
            Map<String, Object> payload = Map.of(
                    "model", "gpt-4o-mini",
                    "messages", List.of(Map.of("role", "user", "content", prompt)),
                    "temperature", 0.7);
            String shortPrompt = prompt.substring(0, Math.min(50, prompt.length()));
            try {
                Response response = session.postJson(apiUrl, payload);
                return new LlmResult(shortPrompt, response.json(ChatCompletion.class), response.status(), null);
            } catch (RuntimeException e) {
                return new LlmResult(shortPrompt, null, 0, String.valueOf(e));
            }
        }
    }

    /** Calls the LLM API for every prompt, at most {@code maxConcurrent} at once. */
    List<LlmResult> batchLlmCalls(List<String> prompts, int maxConcurrent, String apiUrl, String apiKey) {
        Semaphore sem = new Semaphore(maxConcurrent);
        List<Outcome<LlmResult>> results;
        try (ClientSession session = ClientSession.builder()
                .header("Authorization", "Bearer " + apiKey)
                .timeout(ClientTimeout.ofTotal(Duration.ofSeconds(30)))
                .build()) {
            results = Asyncio.gatherSettled(prompts, prompt -> callLlm(session, sem, prompt, apiUrl)); // return_exceptions=True
        }
        List<LlmResult> answers = new ArrayList<>();
        for (Outcome<LlmResult> r : results) {
            answers.add(switch (r) {
                case Outcome.Success<LlmResult> s -> s.value();
                case Outcome.Failure<LlmResult> f -> new LlmResult(null, null, 0, String.valueOf(f.exception()));
            });
        }
        return answers;
    }

    List<LlmResult> main() throws IOException {
        try (TargetServer server = TargetServer.start(baseUrl, latency)) {
            List<LlmResult> results = batchLlmCalls(List.of("Question 1", "Question 2", "Question 3"), 5,
                    server.url() + "/v1/chat/completions", "sk-xxx");
            for (LlmResult r : results) {
                if (r.error() != null) {
                    System.out.println("[" + r.status() + "] " + r.prompt() + " failed: " + r.error());
                } else if (r.status() == 200) {
                    System.out.println("[" + r.status() + "] " + r.prompt() + " -> " + r.response().content());
                } else {
                    System.out.println("[" + r.status() + "] " + r.prompt() + " -> " + r.response());
                }
            }
            return results;
        }
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new LlmBatchExample(TargetServer.baseUrl(args)).main());
    }
}
