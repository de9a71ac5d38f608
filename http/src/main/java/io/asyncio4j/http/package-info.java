/**
 * HTTP for tasks (Python's aiohttp client, httpx's {@code AsyncClient}): {@link io.asyncio4j.http.ClientSession}
 * sends HTTP/1.1 requests from the calling task (parking only it while it waits: plain http on a
 * non-blocking channel of the loop's own selector, https on a JDK TLS socket), keeping connections alive
 * for reuse, under time limits on the loop clock and caps on concurrent requests in total and per host, following redirects and retrying as
 * configured ({@link io.asyncio4j.http.Retry}); a {@link io.asyncio4j.http.Response}
 * holds the status, the headers and the body, read whole or streamed, decoded and capped at
 * {@code maxBodySize} either way. Failures are unchecked: {@link io.asyncio4j.http.ClientError}
 * and its subclasses, and {@link io.asyncio4j.http.ClientTimeoutError}.
 */
package io.asyncio4j.http;
