/**
 * aiohttp-style HTTP client for asyncio4j tasks: {@link io.asyncio4j.http.ClientSession} speaks HTTP/1.1
 * from the calling task, which parks while other tasks run: plain http on a non-blocking channel of the
 * loop's own selector, https on a JDK TLS socket.
 */
module io.asyncio4j.http {
    requires transitive io.asyncio4j;
    requires transitive java.net.http;
    requires tools.jackson.databind;
    exports io.asyncio4j.http;
}
