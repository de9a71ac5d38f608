package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.files.AsyncFile;
import io.asyncio4j.files.AsyncFiles;
import io.asyncio4j.http.ClientSession;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The tutorial's "every blocking library has an async sibling", checked with a {@link Ticker} task: in
 * asyncio4j only some calls need one.
 *
 * <p>Tutorial: "async 라이브러리 — 쓰던 라이브러리의 형제" of "파이썬 async·await — asyncio"
 * ({@code requests → httpx}: {@code async with httpx.AsyncClient() as c: r = await c.get(url)};
 * {@code open → aiofiles}: {@code async with aiofiles.open("log.txt") as f: text = await f.read()};
 * {@code time.sleep → asyncio.sleep}: {@code await asyncio.sleep(2)}; and {@code sqlite3 → aiosqlite}).
 * The tutorial warns that a synchronous call ({@code time.sleep}, {@code requests.get}) in async code
 * stops everything. In asyncio4j a task is a virtual thread, and:
 * <ul>
 *   <li>network calls of the plain JDK park the task, and the loop runs the others: the JDK's
 *       {@code HttpClient.send} (the {@code requests} of Java) needs no sibling. asyncio4j's
 *       {@code ClientSession} ({@code httpx}) adds what aiohttp adds: limits, timeouts on the loop clock,
 *       retries;</li>
 *   <li>{@code Thread.sleep} parks too; {@code Asyncio.sleep} is still the one to use, because it follows
 *       the loop clock (virtual time in tests);</li>
 *   <li>file I/O cannot park: the JDK holds the thread, so a direct read holds the loop. That sibling is
 *       needed: {@code AsyncFiles} ({@code aiofiles}) reads on a pool while the task parks;</li>
 *   <li>{@code sqlite3 → aiosqlite}: SQLite's JDBC driver is native code and would hold the loop;
 *       {@code io.asyncio4j.sqlite.Database} runs it on its own thread while the task parks
 *       ({@link AiosqliteExample});</li>
 * </ul>
 * The URL is the local server's {@code /json}, answered after half a second (give a base URL argument to
 * use another server); {@code log.txt} is written first in a temporary directory that the example deletes.
 * <pre>
 * requests, as the JDK's HttpClient.send: the ticker ticked 4 times, so the loop kept running
 * status 200
 * httpx, as ClientSession: 200
 * time.sleep, as Thread.sleep: the ticker ticked 4 times, so the loop kept running
 * asyncio.sleep: done     (after 2 s)
 * aiofiles, as AsyncFiles: started
 * </pre>
 * (The numbers of ticks vary a little from run to run.)
 */
public final class AsyncLibrariesExample {
    private AsyncLibrariesExample() {
    }

    static String main(String baseUrl) throws Exception {
        Path dir = Files.createTempDirectory("asyncio4j-example");
        Path log = dir.resolve("log.txt");
        try (TargetServer server = TargetServer.start(baseUrl, Duration.ofMillis(500));
             HttpClient jdk = HttpClient.newHttpClient()) {
            String url = server.url() + "/json";

            // requests: the JDK's HttpClient, called directly in the task
            int status = Ticker.during("requests, as the JDK's HttpClient.send",
                    () -> jdk.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode());
            System.out.println("status " + status);

            // requests -> httpx (here: ClientSession)
            try (ClientSession c = ClientSession.builder().build()) {
                System.out.println("httpx, as ClientSession: " + c.get(url).status());
            }

            // time.sleep parks as well; asyncio.sleep -> Asyncio.sleep
            Ticker.during("time.sleep, as Thread.sleep", () -> {
                Thread.sleep(500);
                return null;
            });
            Asyncio.sleep(2);
            System.out.println("asyncio.sleep: done");

            // open -> aiofiles (here: AsyncFiles): file I/O would hold the loop
            AsyncFiles.writeString(log, "started\n");
            String text;
            try (AsyncFile f = AsyncFiles.open(log)) {
                text = f.readString();
            }
            System.out.print("aiofiles, as AsyncFiles: " + text);
            return text;
        } finally {
            Files.deleteIfExists(log);
            Files.delete(dir);
        }
    }

    public static void main(String[] args) {
        Asyncio.run(() -> main(TargetServer.baseUrl(args)));
    }
}
