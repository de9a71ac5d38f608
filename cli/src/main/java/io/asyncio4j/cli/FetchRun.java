package io.asyncio4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.ExceptionGroup;
import io.asyncio4j.QueueShutDown;
import io.asyncio4j.Task;
import io.asyncio4j.sync.Queue;

/**
 * One run of {@code fetch}, inside {@code Asyncio.run}: the asyncio "N workers pulling from a queue"
 * pattern.
 * <pre>
 *   reader task ──put──▶ Queue(maxsize = N) ──get──▶ N worker tasks ──▶ Fetcher.fetch ──▶ output, summary
 *       ▲ input lines in batches, read on a thread of its own        ticker task: every 100 ms, progress
 *                                                                     bar and output flush
 * </pre>
 * The reader puts URLs as it reads them and shuts the queue down at the end of the input; a worker takes
 * the next URL, fetches it, writes its line and counts it, until the queue is shut down and empty. So at
 * most N requests are in flight, at most N URLs wait in the queue, and nothing is kept per URL once its
 * line is written: memory does not grow with the number of URLs.
 *
 * <p>Input is read on a daemon thread of the run's own, not with {@code Asyncio.toThread}: a run that stops
 * early (its output closed) must not wait at exit for a read of a stdin that never ends, and the loop's
 * default executor is waited for when the loop closes.
 *
 * <p>Thread-safety: the tasks of the run share the summary, the output and the progress bar; they run one
 * at a time on the loop thread.
 */
final class FetchRun {

    private static final Duration TICK = Duration.ofMillis(100);

    private final UrlSource source;
    private final Path countable;
    private final long knownTotal;
    private final int workers;
    private final Fetcher fetcher;
    private final JsonLinesOutput output;
    private final ProgressBar progress;
    private final FetchSummary summary = new FetchSummary();
    // the number of URLs, -1 until known; written by the counting task, read by the ticker (loop thread)
    private long total;
    // System.nanoTime() when run() began; written once by run(), read by elapsed() (loop thread, then main)
    private long start;

    /**
     * @param source     where the URLs come from
     * @param countable  the input file to count the URLs of, for the progress bar; null when not a file
     * @param knownTotal the number of URLs when known up front (arguments), else -1
     * @param workers    the number of worker tasks (--concurrency)
     * @param progress   the progress bar, or null for none
     */
    FetchRun(UrlSource source, Path countable, long knownTotal, int workers, Fetcher fetcher,
             JsonLinesOutput output, ProgressBar progress) {
        this.source = source;
        this.countable = countable;
        this.knownTotal = knownTotal;
        this.workers = workers;
        this.fetcher = fetcher;
        this.output = output;
        this.progress = progress;
    }

    /**
     * Fetches every URL of the source and writes its line; returns the summary. Runs on a task.
     *
     * @throws UncheckedIOException when the input cannot be read or the output cannot be written
     */
    FetchSummary run() throws IOException {
        start = System.nanoTime();
        total = knownTotal;
        ExecutorService reading = Executors.newCachedThreadPool(
                Thread.ofPlatform().daemon().name("asyncio4j-fetch-input-", 0).factory());
        try {
            Asyncio.taskGroup(group -> {
                Task<Void> counting = countable != null && progress != null
                        ? group.createTask(() -> count(reading), "fetch count") : null;
                Task<Void> ticker = group.createTask(this::tick, "fetch ticker");
                Queue<String> urls = new Queue<>(workers);
                group.createTask(() -> feed(urls, reading), "fetch reader");
                long n = knownTotal >= 0 ? Math.min(workers, Math.max(1, knownTotal)) : workers;
                int[] live = {(int) n};
                for (int i = 0; i < n; i++) {
                    group.createTask(() -> {
                        work(urls);
                        if (--live[0] == 0) {
                            // the last worker is done: so is the run
                            ticker.cancel();
                            if (counting != null) {
                                counting.cancel();
                            }
                        }
                    }, "fetch worker " + i);
                }
                return null;
            });
        } catch (ExceptionGroup e) {
            // the reader or a worker failed (the input or the output broke) and the others were cancelled
            throw e.exceptions().getFirst() instanceof RuntimeException first ? first : e;
        } catch (CancelledError e) {
            // stopped from outside (Ctrl-C, see Interruption): the lines of the URLs done so far still go out
            try {
                output.flush();
            } catch (UncheckedIOException broken) {
                e.addSuppressed(broken);
            }
            throw e;
        } finally {
            reading.shutdownNow();
            if (progress != null) {
                progress.clear(); // also before the error line of a run that broke off
            }
        }
        output.commit();
        return summary;
    }

    /** The totals so far; read it on the loop thread, or after the loop ended. */
    FetchSummary summary() {
        return summary;
    }

    /** Nanoseconds since the run began. */
    long elapsed() {
        return System.nanoTime() - start;
    }

    private void feed(Queue<String> urls, ExecutorService reading) {
        try {
            while (true) {
                List<String> batch;
                try {
                    batch = Asyncio.runInExecutor(reading, source::nextBatch);
                } catch (java.util.concurrent.CompletionException e) {
                    throw e.getCause() instanceof IOException io
                            ? new UncheckedIOException("cannot read the URLs: " + io.getMessage(), io) : e;
                }
                if (batch.isEmpty()) {
                    return;
                }
                for (String url : batch) {
                    urls.put(url);
                }
            }
        } finally {
            urls.shutdown();
        }
    }

    private void work(Queue<String> urls) {
        byte[] buffer = new byte[16 * 1024];
        while (true) {
            String url;
            try {
                url = urls.get();
            } catch (QueueShutDown e) {
                return;
            }
            FetchResult r = fetcher.fetch(url, buffer);
            summary.add(r);
            output.write(r);
        }
    }

    /** Redraws the progress bar and flushes the output every 100 ms, until cancelled by the last worker. */
    private void tick() {
        try {
            while (true) {
                Asyncio.sleep(TICK);
                output.flush();
                if (progress != null) {
                    progress.draw(summary, total, elapsed());
                }
            }
        } catch (CancelledError e) {
            // the run is over
        }
    }

    /** Counts the URLs of the input file for the progress bar's total; ends when the run is over. */
    private void count(ExecutorService reading) {
        try {
            total = Asyncio.runInExecutor(reading, () -> UrlSource.count(countable));
        } catch (RuntimeException e) {
            // the reader meets the same trouble and reports it; the bar shows no total
        }
    }
}
