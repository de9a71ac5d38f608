package io.asyncio4j.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.ExceptionGroup;
import io.asyncio4j.QueueShutDown;
import io.asyncio4j.Task;
import io.asyncio4j.http.ClientConnectionError;
import io.asyncio4j.http.ClientError;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.ClientTimeoutError;
import io.asyncio4j.http.RateLimitHeaders;
import io.asyncio4j.http.Response;
import io.asyncio4j.http.Retry;
import io.asyncio4j.sync.Event;
import io.asyncio4j.sync.Queue;
import io.asyncio4j.sync.RateLimiter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One run of {@code batch}, inside {@code Asyncio.run}: the "N workers pulling from a queue" pattern of
 * {@link FetchRun}, with an LLM API's limits in front of every attempt.
 * <pre>
 *   feeder ──put──▶ Queue(c) ──get──▶ c workers: for each attempt: job pause? ─▶ RPM bucket ─▶ TPM bucket
 *     (skips the custom_ids already done;          ─▶ session.request ─▶ result line ─▶ output (or the reorder
 *      with --ordered, waits for the buffer)          buffer) ─▶ summary;   ticker: progress, write and fsync
 *                                                                               every 200 ms
 * </pre>
 *
 * <h2>Limits</h2>
 * {@code --rpm N} is a {@link RateLimiter} of {@code (N - b) / 60} requests a second with a burst {@code b}
 * of one second's worth ({@code max(1, N / 60)}): in any 60 s window at most {@code b + (N - b) = N}
 * requests start, the server's limit is never passed, and a long run achieves within {@code b / N} of it.
 * {@code --tpm N} is the same for tokens, except that the bucket must hold the largest request, so its burst
 * is N (it starts with one second's worth; after an idle pause it may hold up to N): each attempt takes its estimate ({@link TokenEstimate}: the prompt,
 * plus {@code max_tokens}) before it is sent; an answer's {@code usage.total_tokens} then corrects it, giving
 * back what was not used ({@link RateLimiter#refund}) or taking the rest. An attempt answered 429 gives its
 * tokens back. A request whose estimate is above {@code --tpm} could never be sent: it becomes an error
 * record at once ({@code too_many_tokens}).
 *
 * <h2>Retries</h2>
 * 429, 408 and 5xx answers, timeouts and connection errors are retried up to {@code --max-attempts} in all,
 * after {@link Retry#backoff} (1 s doubling to 60 s, less up to half of it at random), or after what
 * {@code Retry-After} asks. A 429 also pauses the whole job (no worker starts an attempt) for that long, as a
 * polite client does; so does a success whose {@code x-ratelimit-remaining-*} says nothing is left, until
 * the {@code x-ratelimit-reset-*} it gives (capped at 60 s). Other 4xx answers are error records at once.
 *
 * <h2>Order</h2>
 * By default lines are written as results come. With {@code --ordered} they are written in input order: a
 * result whose turn has not come waits in a reorder buffer, and the feeder does not hand out item {@code i}
 * until {@code i} is within {@code --reorder-buffer} of the first one not yet written. So at most that many
 * results wait in memory, whatever the order in which they complete.
 *
 * <p>Thread-safety: the tasks of the run share every field; they run one at a time on the loop thread.
 */
final class BatchRun {

    /** The options that shape a run. */
    record Settings(String baseUrl, Map<String, String> headers, int concurrency, int rpm, int tpm,
                    int maxAttempts, boolean ordered, int reorderBuffer) {
    }

    private static final JsonMapper JSON = BatchInput.JSON;
    private static final Duration TICK = Duration.ofMillis(200);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(60);
    private static final Retry BACKOFF = Retry.of(2).base(Duration.ofSeconds(1)).max(MAX_PAUSE).jitter(0.5);

    private final ClientSession session;
    private final Settings settings;
    private final List<BatchInput.Item> items;
    private final Set<String> done;
    private final BatchJournal output;
    private final BatchJournal errors;
    private final TokenEstimate estimate;
    private final ProgressBar progress;
    private final BatchSummary summary = new BatchSummary();
    private final long toDo;
    // created on the loop by run(); null when the limit is off
    private RateLimiter requests;
    private RateLimiter tokens;
    // loop time before which no attempt starts (the job's pause after a 429); workers only
    private double pausedUntil;
    /** A line waiting in the reorder buffer, and whether it is a success (else it may go to --errors). */
    private record Waiting(boolean ok, String line) {
    }

    // --ordered: results waiting for their turn by index, the first index not yet written, set when it moves
    private final Map<Integer, Waiting> reorder = new HashMap<>();
    private int nextWrite;
    private final Event advanced = new Event();
    // System.nanoTime() when run() began; written once by run()
    private long start;

    /**
     * @param done     the custom_ids already in the output files: not sent again
     * @param errors   where failures go (--errors), or null for the output
     * @param estimate counts tokens; null when --tpm is off
     * @param progress the progress bar, or null
     */
    BatchRun(ClientSession session, Settings settings, List<BatchInput.Item> items, Set<String> done,
             BatchJournal output, BatchJournal errors, TokenEstimate estimate, ProgressBar progress) {
        this.session = session;
        this.settings = settings;
        this.items = items;
        this.done = done;
        this.output = output;
        this.errors = errors;
        this.estimate = estimate;
        this.progress = progress;
        this.toDo = items.stream().filter(i -> !done.contains(i.customId())).count();
    }

    /** Sends every item not done yet and writes its line; returns the summary. Runs on a task. */
    BatchSummary run() {
        start = System.nanoTime();
        if (settings.rpm() > 0) {
            int burst = Math.max(1, settings.rpm() / 60);
            requests = RateLimiter.of(Math.max(settings.rpm() - burst, 1) / 60.0, burst);
        }
        if (settings.tpm() > 0) {
            int burst = Math.max(1, settings.tpm() / 60);
            tokens = RateLimiter.of(Math.max(settings.tpm() - burst, 1) / 60.0, settings.tpm());
            if (settings.tpm() > burst) {
                tokens.acquire(settings.tpm() - burst); // starts with one second's worth, as the requests
            }
        }
        try {
            Asyncio.taskGroup(group -> {
                Task<Void> ticker = group.createTask(this::tick, "batch ticker");
                Queue<BatchInput.Item> queue = new Queue<>(settings.concurrency());
                group.createTask(() -> feed(queue), "batch feeder");
                int[] live = {settings.concurrency()};
                for (int i = 0; i < settings.concurrency(); i++) {
                    group.createTask(() -> {
                        work(queue);
                        if (--live[0] == 0) {
                            ticker.cancel();
                        }
                    }, "batch worker " + i);
                }
                return null;
            });
        } catch (ExceptionGroup e) {
            throw e.exceptions().getFirst() instanceof RuntimeException first ? first : e;
        } finally {
            if (progress != null) {
                progress.clear();
            }
            sync();
        }
        return summary;
    }

    /** The totals so far. */
    BatchSummary summary() {
        return summary;
    }

    /** Nanoseconds since the run began. */
    long elapsed() {
        return System.nanoTime() - start;
    }

    /** Writes and fsyncs the lines so far (also after a cancel, so that what finished is kept). */
    void sync() {
        output.sync();
        if (errors != null) {
            errors.sync();
        }
    }

    private void feed(Queue<BatchInput.Item> queue) {
        try {
            for (BatchInput.Item item : items) {
                if (done.contains(item.customId())) {
                    continue;
                }
                while (settings.ordered() && item.index() - nextWrite >= settings.reorderBuffer()) {
                    advanced.clear();
                    advanced.await();
                }
                queue.put(item);
            }
        } finally {
            queue.shutdown();
        }
    }

    private void work(Queue<BatchInput.Item> queue) {
        while (true) {
            BatchInput.Item item;
            try {
                item = queue.get();
            } catch (QueueShutDown e) {
                return;
            }
            BatchSummary.Result r = send(item);
            summary.add(r);
            String line = line(item, r);
            if (!settings.ordered()) {
                write(r.ok(), line);
                continue;
            }
            reorder.put(item.index(), new Waiting(r.ok(), line));
            while (nextWrite < items.size()) {
                BatchInput.Item next = items.get(nextWrite);
                if (!done.contains(next.customId())) {
                    Waiting waiting = reorder.remove(nextWrite);
                    if (waiting == null) {
                        break;
                    }
                    write(waiting.ok(), waiting.line());
                }
                nextWrite++;
            }
            advanced.set();
        }
    }

    private void write(boolean ok, String line) {
        (ok || errors == null ? output : errors).append(line);
    }

    /** One item, with its attempts: the result for its line. */
    private BatchSummary.Result send(BatchInput.Item item) {
        long t0 = System.nanoTime();
        if (item.invalid() != null) {
            return BatchSummary.Result.failed(0, t0, "invalid_request", "line " + item.line() + ": " + item.invalid());
        }
        int cost = 0;
        if (tokens != null) {
            cost = estimate.tokens(item.body() == null ? null : JSON.readTree(item.body()));
            if (cost > settings.tpm()) {
                return BatchSummary.Result.failed(0, t0, "too_many_tokens", "the request needs about " + cost
                        + " tokens, more than --tpm " + settings.tpm() + " allows in a minute: it can never be sent");
            }
        }
        String url = item.url().startsWith("http://") || item.url().startsWith("https://") ? item.url()
                : settings.baseUrl() + (item.url().startsWith("/") ? "" : "/") + item.url();
        byte[] body = item.body();
        String code = null;
        String message = null;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            if (attempt > 1) {
                summary.retried();
            }
            waitForPause();
            if (requests != null) {
                requests.acquire();
            }
            if (cost > 0) {
                tokens.acquire(cost);
            }
            Duration wait = null;
            try (Response r = session.request(item.method(), url, settings.headers(), body)) {
                int status = r.status();
                JsonNode answer = parse(r.bytes());
                if (status / 100 == 2) {
                    JsonNode usage = answer.path("usage");
                    correct(cost, usage.path("total_tokens").asInt(cost));
                    calibrate(RateLimitHeaders.of(r));
                    return BatchSummary.Result.ok(attempt, t0, status,
                            r.headers().firstValue("x-request-id").orElse(null), answer, usage.isObject() ? usage : null);
                }
                if (cost > 0) {
                    tokens.refund(cost);
                }
                code = "http_" + status;
                message = answer.path("error").path("message").asString(new String(r.bytes(), StandardCharsets.UTF_8).strip());
                if (!BACKOFF.retriesStatus(status)) {
                    return BatchSummary.Result.failed(attempt, t0, code, message);
                }
                wait = RateLimitHeaders.of(r).retryAfter().orElse(null);
                if (status == 429) {
                    pause(wait != null ? wait : BACKOFF.backoff(attempt));
                }
            } catch (ClientTimeoutError e) {
                code = "timeout";
                message = e.getMessage();
            } catch (ClientConnectionError e) {
                code = "connection";
                message = Fetcher.connectionProblem(e);
            } catch (ClientError | IllegalArgumentException e) {
                return BatchSummary.Result.failed(attempt, t0, "other", e.getMessage());
            }
            if (attempt < settings.maxAttempts()) {
                Asyncio.sleep(wait != null ? min(wait, MAX_PAUSE) : BACKOFF.backoff(attempt));
            }
        }
        return BatchSummary.Result.failed(settings.maxAttempts(), t0, code, message);
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n == null ? JSON.missingNode() : n;
        } catch (JacksonException e) {
            return JSON.getNodeFactory().stringNode(new String(body, StandardCharsets.UTF_8));
        }
    }

    /** The tokens an answer says it used against the {@code reserved} estimate: the difference back or taken. */
    private void correct(int reserved, int used) {
        if (tokens == null) {
            return;
        }
        if (used < reserved) {
            tokens.refund(reserved - used);
        } else if (used > reserved) {
            tokens.acquire(Math.min(used - reserved, tokens.burst()));
        }
    }

    /** Pauses the job when the server says nothing is left until its reset. */
    private void calibrate(RateLimitHeaders limits) {
        if (limits.remaining().isPresent() && limits.remaining().getAsLong() <= 0) {
            limits.reset().ifPresent(this::pause);
        }
    }

    private void pause(Duration d) {
        double until = Asyncio.getRunningLoop().time() + min(d, MAX_PAUSE).toNanos() / 1e9;
        pausedUntil = Math.max(pausedUntil, until);
    }

    private void waitForPause() {
        double now;
        while ((now = Asyncio.getRunningLoop().time()) < pausedUntil) {
            Asyncio.sleep(pausedUntil - now);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The output line of {@code item}: the OpenAI Batch output schema, plus attempts, elapsed_ms and usage. */
    static String line(BatchInput.Item item, BatchSummary.Result r) {
        ObjectNode o = JSON.createObjectNode()
                .put("id", "batch_req_" + item.hash())
                .put("custom_id", item.customId());
        if (r.ok()) {
            ObjectNode response = o.putObject("response").put("status_code", r.status())
                    .put("request_id", r.requestId());
            response.set("body", r.body());
            o.putNull("error");
        } else {
            o.putNull("response");
            o.putObject("error").put("code", r.code()).put("message", r.message());
        }
        o.put("attempts", r.attempts());
        o.put("elapsed_ms", Math.round(r.elapsedNanos() / 1000.0) / 1000.0);
        o.set("usage", r.usage() == null ? JSON.getNodeFactory().nullNode() : r.usage());
        return JSON.writeValueAsString(o);
    }

    /**
     * Every 200 ms, until cancelled by the last worker: writes the output's waiting lines, fsyncs them on a
     * thread of the loop's executor (the loop goes on meanwhile), redraws the progress bar.
     */
    private void tick() {
        try {
            while (true) {
                Asyncio.sleep(TICK);
                output.write();
                if (errors != null) {
                    errors.write();
                }
                Asyncio.toThread(() -> {
                    output.force();
                    if (errors != null) {
                        errors.force();
                    }
                });
                if (progress != null) {
                    progress.draw(summary.done(), toDo, summary.ok(), summary.failed(), elapsed(),
                            summary.progressExtra(elapsed()));
                }
            }
        } catch (CancelledError e) {
            // the run is over
        }
    }
}
