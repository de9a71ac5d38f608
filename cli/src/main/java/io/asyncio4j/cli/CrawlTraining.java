package io.asyncio4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.asyncio4j.Asyncio;

/**
 * The training run of {@code crawl}'s start-up cache: a short crawl of a generated site, run by
 * {@code bin/asyncio4j} as {@code java -XX:AOTCacheOutput=FILE -cp asyncio4j.jar io.asyncio4j.cli.CrawlTraining}
 * when the cache is missing or older than the jar. The JVM records which classes the crawl loads and links
 * and how its methods behave, and writes them to FILE at exit (Java 25's ahead-of-time cache, JEPs 483, 514
 * and 515); later crawls start with {@code -XX:AOTCache=FILE} and skip most of that work.
 *
 * <p>What it runs: {@code serve --site 400} on 127.0.0.1 (a free port) on a thread of its own, and
 * {@code crawl} of it into a temporary directory, deleted afterwards, so every part of a crawl (picocli,
 * the HTTP client and its connection pool, jsoup, the URL normaliser, the SQLite frontier, the JSON lines)
 * is exercised as a real crawl exercises it. Nothing is printed; the exit code is 0 when the crawl ran
 * (the site's broken links included), else the crawl's.
 */
final class CrawlTraining {

    private static final int PAGES = 400;

    private CrawlTraining() {
    }

    /** Runs the training crawl; exits with 0 when it ran, else with the crawl's exit code. */
    public static void main(String[] args) throws Exception {
        CompletableFuture<LocalServer> bound = new CompletableFuture<>();
        Thread serving = Thread.ofPlatform().name("training-site").daemon().start(() -> {
            try {
                Asyncio.run(() -> {
                    LocalServer s = LocalServer.builder().host("127.0.0.1").port(0).site(PAGES, Duration.ZERO).bind();
                    bound.complete(s);
                    s.serveForever();
                });
            } catch (Throwable e) {
                bound.completeExceptionally(e);
            }
        });
        LocalServer server = bound.get(30, TimeUnit.SECONDS);
        Path dir = Files.createTempDirectory("asyncio4j-crawl-training");
        int code;
        try {
            var cl = Main.commandLine();
            cl.setOut(new PrintWriter(new StringWriter()));
            cl.setErr(new PrintWriter(new StringWriter()));
            code = cl.execute("crawl", server.url() + "/site/", "-o", dir.resolve("pages.jsonl").toString(),
                    "--exclude", "/calendar/", "-c", "16", "--per-host", "16", "--progress", "never");
        } finally {
            server.stop();
            serving.join(5_000);
            delete(dir);
        }
        System.exit(code == 0 || code == Main.FAILURE ? 0 : code); // the generated site's broken links give 1
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
