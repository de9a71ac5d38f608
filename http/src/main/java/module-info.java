/**
 * aiohttp-style HTTP client for asyncio4j tasks: {@link io.asyncio4j.http.ClientSession} sends requests
 * over JDK sockets from the calling task, which parks while other tasks run (or through the JDK
 * {@code HttpClient} with {@code jdkHttpClient()}).
 */
module io.asyncio4j.http {
    requires transitive io.asyncio4j;
    requires transitive java.net.http;
    requires tools.jackson.databind;
    exports io.asyncio4j.http;
}
