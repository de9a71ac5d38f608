package io.asyncio4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.function.Supplier;

import io.asyncio4j.Asyncio;

/**
 * The endpoints of {@link LocalServer}: which {@link Reply} a request's path gets ({@code /json},
 * {@code /delay/{ms}}, {@code /status/{code}}, {@code /bytes/{n}}, {@code /links/{n}}, {@code /posts/{id}},
 * {@code /echo}, the generated site, the OpenAI-compatible {@code /v1/...}; anything else 404). The server
 * reads the request, applies faults and latency, and writes what {@link #route} returns; see
 * {@link LocalServer} for what each endpoint answers.
 *
 * <p>Thread-safety: immutable; {@link #route} runs on the server's loop ({@code /delay} sleeps on it).
 */
final class ServerRoutes {

    private static final long MAX_BYTES = 1L << 30;
    private static final int MAX_LINKS = 10_000;
    private static final long MAX_DELAY_MS = 300_000;

    private final ApiEndpoints api;
    /** The generated site for crawlers ({@code --site}), or null when not asked for. */
    private final CrawlSite site;
    /** The server's own URL, the site's origin when a request has no Host header. */
    private final Supplier<String> url;

    ServerRoutes(ApiEndpoints api, CrawlSite site, Supplier<String> url) {
        this.api = api;
        this.site = site;
        this.url = url;
    }

    /** The answer to {@code req}: its endpoint's, 400 for a malformed number in the path, else 404. */
    Reply route(Request req) {
        String path = req.path();
        String[] parts = path.split("/", -1);
        // parts[0] is "" for a path starting with '/'
        if (parts.length < 2 || !parts[0].isEmpty()) {
            return notFound(path);
        }
        try {
            switch (parts[1]) {
                case "json" -> {
                    if (parts.length == 2) {
                        return new Reply(200, "application/json", Reply.utf8(
                                "{\"name\":\"asyncio4j\",\"server\":\"asyncio4j serve\",\"ok\":true,"
                                        + "\"items\":[1,2,3]}\n"));
                    }
                }
                case "delay" -> {
                    if (parts.length == 3) {
                        long ms = number(parts[2], 0, MAX_DELAY_MS);
                        Asyncio.sleep(Duration.ofMillis(ms));
                        return new Reply(200, "application/json", Reply.utf8("{\"delay_ms\":" + ms + "}\n"));
                    }
                }
                case "status" -> {
                    if (parts.length == 3) {
                        int code = (int) number(parts[2], 200, 599);
                        return Reply.text(code, code + " " + Reply.reason(code) + "\n");
                    }
                }
                case "bytes" -> {
                    if (parts.length == 3) {
                        long n = number(parts[2], 0, MAX_BYTES);
                        return new Reply(200, "application/octet-stream", n, ServerRoutes::writePattern);
                    }
                }
                case "links" -> {
                    if (parts.length == 3 || parts.length == 4) {
                        int n = (int) number(parts[2], 0, MAX_LINKS);
                        int self = parts.length == 4 ? (int) number(parts[3], 0, Math.max(0, n - 1)) : -1;
                        return new Reply(200, "text/html; charset=utf-8", Reply.utf8(links(n, self)));
                    }
                }
                case "posts" -> {
                    if (parts.length == 3) {
                        return api.post(parts[2]);
                    }
                }
                case "echo" -> {
                    if (parts.length == 2) {
                        return api.echo(req);
                    }
                }
                case "site", "robots.txt", "sitemap-index.xml" -> {
                    Reply r = site == null ? null : siteReply(parts, req);
                    if (r != null) {
                        return r;
                    }
                }
                case "v1" -> {
                    if (path.equals("/v1/chat/completions") || path.equals("/v1/embeddings")) {
                        return api.openAi(req, path.equals("/v1/chat/completions"));
                    }
                }
                default -> {
                    // 404 below
                }
            }
        } catch (IllegalArgumentException e) {
            return Reply.text(400, e.getMessage() + "\n");
        }
        return notFound(path);
    }

    /** A path of the generated site, or null for 404; absolute URLs in it use the client's Host header. */
    private Reply siteReply(String[] parts, Request req) {
        String host = req.headers().get("host");
        String origin = host == null || host.isBlank() ? url.get() : "http://" + host.strip();
        site.arrived(req.path());
        return switch (parts[1]) {
            case "robots.txt" -> parts.length == 2 ? site.robots(origin) : null;
            case "sitemap-index.xml" -> parts.length == 2 ? site.sitemapIndex(origin) : null;
            default -> site.route(parts, origin);
        };
    }

    private static String links(int n, int self) {
        StringBuilder b = new StringBuilder(64 + n * 48);
        b.append("<!DOCTYPE html>\n<html><head><title>links</title></head><body>\n");
        for (int i = 0; i < n; i++) {
            if (i == self) {
                b.append(i).append('\n');
            } else {
                b.append("<a href=\"/links/").append(n).append('/').append(i).append("\">").append(i)
                        .append("</a>\n");
            }
        }
        return b.append("</body></html>\n").toString();
    }

    /** Bytes 'a'..'z' repeated, so a body can be checked without holding it. */
    private static void writePattern(OutputStream out, long n) throws IOException {
        byte[] chunk = new byte[8192];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) ('a' + i % 26);
        }
        long left = n;
        while (left > 0) {
            int k = (int) Math.min(left, chunk.length - chunk.length % 26);
            out.write(chunk, 0, k);
            left -= k;
        }
    }

    private static long number(String s, long min, long max) {
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a number");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(v + " is not in " + min + ".." + max);
        }
        return v;
    }

    private static Reply notFound(String path) {
        return Reply.text(404, "no such endpoint: " + path + "\n");
    }
}
