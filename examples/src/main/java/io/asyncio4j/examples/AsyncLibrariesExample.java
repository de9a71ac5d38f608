package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.ClientSession;
import io.asyncio4j.http.Response;
import io.asyncio4j.files.AsyncFile;
import io.asyncio4j.files.AsyncFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Every blocking library has an async sibling: in a task, use it instead, or the whole loop stops.
 *
 * <p>Tutorial: "async 라이브러리 — 쓰던 라이브러리의 형제" of "파이썬 async·await — asyncio"
 * ({@code requests → httpx}: {@code async with httpx.AsyncClient() as c: r = await c.get(url)};
 * {@code open → aiofiles}: {@code async with aiofiles.open("log.txt") as f: text = await f.read()};
 * {@code time.sleep → asyncio.sleep}: {@code await asyncio.sleep(2)}). Here {@code httpx} is
 * {@code io.asyncio4j.http.ClientSession}, {@code aiofiles} is {@code io.asyncio4j.files.AsyncFiles} and
 * {@code asyncio.sleep} is {@code Asyncio.sleep}. The tutorial's {@code sqlite3 → aiosqlite} pair is
 * {@link AiosqliteExample}. The URL is the local server's
 * {@code /json} (give a base URL argument to use another server), and {@code log.txt} is written first
 * in a temporary directory that the example deletes.
 * <pre>
 * httpx: 200
 * aiofiles: started
 * asyncio.sleep: done   (after 2 s)
 * </pre>
 */
public final class AsyncLibrariesExample {
    private final PrintStream out;
    private final String baseUrl;
    private final Duration latency;
    private final Duration pause;

    AsyncLibrariesExample(PrintStream out, String baseUrl, Duration latency, Duration pause) {
        this.out = out;
        this.baseUrl = baseUrl;
        this.latency = latency;
        this.pause = pause;
    }

    String main() throws IOException {
        Path dir = Files.createTempDirectory("asyncio4j-example");
        Path log = dir.resolve("log.txt");
        try (TargetServer server = TargetServer.start(baseUrl, latency)) {
            String url = server.url() + "/json";

            // requests -> httpx (here: ClientSession)
            try (ClientSession c = ClientSession.builder().build()) {
                Response r = c.get(url);
                out.println("httpx: " + r.status());
            }

            // open -> aiofiles (here: AsyncFiles)
            AsyncFiles.writeString(log, "started\n");
            String text;
            try (AsyncFile f = AsyncFiles.open(log)) {
                text = new String(f.read((int) f.size()), StandardCharsets.UTF_8);
            }
            out.print("aiofiles: " + text);

            // time.sleep -> asyncio.sleep
            Asyncio.sleep(pause);
            out.println("asyncio.sleep: done");
            return text;
        } finally {
            Files.deleteIfExists(log);
            Files.delete(dir);
        }
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new AsyncLibrariesExample(System.out, TargetServer.baseUrl(args),
                Duration.ofMillis(100), Duration.ofSeconds(2)).main());
    }
}
