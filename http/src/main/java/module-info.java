/**
 * aiohttp-style HTTP client for asyncio4j tasks: {@link io.asyncio4j.http.ClientSession} sends requests
 * through the JDK {@code HttpClient} while the calling task waits and other tasks run.
 */
module io.asyncio4j.http {
    requires transitive io.asyncio4j;
    requires transitive java.net.http;
    requires tools.jackson.databind;
    exports io.asyncio4j.http;
}
