package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.JsonCodec;
import picocli.CommandLine;

/** What the fetch tests share: running the command in-process, servers on loopback, parsing JSON lines. */
final class FetchTestSupport {

    /** The keys of every JSON line, in order. */
    static final List<String> KEYS = List.of("url", "final_url", "status", "bytes", "elapsed_ms", "attempts", "error");

    private FetchTestSupport() {
    }

    /** Exit code, stdout and stderr of one run. */
    record Result(int exit, String out, String err) {
        /** Stdout parsed, one JSON object per line, each checked against the schema. */
        List<Map<String, Object>> lines() {
            return out.lines().map(FetchTestSupport::parseLine).toList();
        }

        /** The stderr lines of the summary (from "fetched ..." on). */
        List<String> summary() {
            List<String> all = err.lines().toList();
            int i = 0;
            while (i < all.size() && !all.get(i).startsWith("fetched ")) {
                i++;
            }
            return all.subList(i, all.size());
        }
    }

    /** Runs {@code asyncio4j fetch ARGS} in-process with an empty stdin that is not a terminal. */
    static Result fetch(String... args) {
        return fetch(new ByteArrayInputStream(new byte[0]), fd -> false, args);
    }

    /** Runs {@code asyncio4j fetch ARGS} with {@code stdin}, and {@code isTerminal} for the three streams. */
    static Result fetch(InputStream stdin, IntPredicate isTerminal, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = run(stdin, isTerminal, out, err, args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** Runs {@code asyncio4j fetch ARGS} writing stdout to {@code out}; returns the exit code. */
    static int run(InputStream stdin, IntPredicate isTerminal, Writer out, StringWriter err, String... args) {
        CommandLine cl = Main.commandLine(new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return cls == FetchCommand.class ? cls.cast(new FetchCommand(stdin, isTerminal))
                        : CommandLine.defaultFactory().create(cls);
            }
        });
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "fetch";
        System.arraycopy(args, 0, all, 1, args.length);
        return cl.execute(all);
    }

    /** One JSON line parsed by Jackson, with exactly the keys of {@link #KEYS} and their types checked. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseLine(String line) {
        Object parsed = JsonCodec.jackson().decode(line.getBytes(StandardCharsets.UTF_8));
        assertTrue(parsed instanceof Map, line);
        Map<String, Object> m = (Map<String, Object>) parsed;
        assertEquals(KEYS, new ArrayList<>(m.keySet()), line);
        assertTrue(m.get("url") instanceof String, line);
        assertTrue(m.get("final_url") == null || m.get("final_url") instanceof String, line);
        assertTrue(m.get("status") == null || m.get("status") instanceof Integer, line);
        assertTrue(m.get("bytes") instanceof Number n && n.longValue() >= 0, line);
        assertTrue(m.get("elapsed_ms") instanceof Number n && n.doubleValue() >= 0, line);
        assertTrue(m.get("attempts") instanceof Integer n && n >= 1, line);
        assertTrue(m.get("error") == null || m.get("error") instanceof String, line);
        return m;
    }

    /** A {@link LocalServer} on loopback, serving on an event loop of its own thread. */
    static final class ServerThread implements AutoCloseable {
        private final CompletableFuture<LocalServer> bound = new CompletableFuture<>();
        private final Thread thread;
        final String url;

        ServerThread(Duration latency) throws Exception {
            this(LocalServer.builder().latency(latency));
        }

        ServerThread(LocalServer.Builder builder) throws Exception {
            thread = Thread.ofPlatform().name("fetch-test-server").daemon().start(() -> {
                try {
                    Asyncio.run(() -> {
                        LocalServer s = builder.bind();
                        bound.complete(s);
                        s.serveForever();
                    });
                } catch (Throwable e) {
                    bound.completeExceptionally(e);
                }
            });
            url = bound.get(30, TimeUnit.SECONDS).url();
        }

        /** The server (to read its rate limits' arrivals). */
        LocalServer server() throws Exception {
            return bound.get();
        }

        @Override
        public void close() throws Exception {
            bound.get().stop();
            thread.join(10_000);
            assertFalse(thread.isAlive(), "the server did not stop");
        }
    }

    /**
     * A raw HTTP/1.1 server that answers every request with {@code reply} (a whole response, {@code %s}
     * replaced by its own URL) and keeps the first request it read, headers and body, as text. With
     * {@code holdOpen}, it keeps each connection open after the reply until the client closes it (a reply
     * shorter than its Content-Length then stalls mid-body).
     */
    static final class RecordingServer implements AutoCloseable {
        private final ServerSocket listener;
        private final Thread thread;
        private final String reply;
        private final boolean holdOpen;
        private final CompletableFuture<String> firstRequest = new CompletableFuture<>();
        final String url;

        RecordingServer(String reply) throws IOException {
            this(reply, false);
        }

        RecordingServer(String reply, boolean holdOpen) throws IOException {
            this.holdOpen = holdOpen;
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.url = "http://127.0.0.1:" + listener.getLocalPort();
            this.reply = reply.replace("%s", url);
            this.thread = Thread.ofPlatform().name("fetch-test-recording-server").daemon().start(this::serve);
        }

        /** The first request received: request line, headers and body. */
        String request() throws Exception {
            return firstRequest.get(30, TimeUnit.SECONDS);
        }

        private void serve() {
            while (!listener.isClosed()) {
                try (Socket s = listener.accept()) {
                    s.setSoTimeout(10_000);
                    String request = readRequest(s.getInputStream());
                    firstRequest.complete(request);
                    OutputStream out = s.getOutputStream();
                    out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (holdOpen) {
                        s.setSoTimeout(0);
                        s.getInputStream().read(); // until the client closes (or the server does)
                    }
                } catch (IOException e) {
                    // closed, or a client that went away
                }
            }
        }

        private static String readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("request cut short");
                }
                head.write(c);
            }
            String headers = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : headers.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws Exception {
            listener.close();
            thread.join(10_000);
            assertFalse(thread.isAlive(), "the recording server did not stop");
        }
    }

    /** Asserts that {@code r} is a usage error: exit code 2, nothing on stdout, one line on stderr. */
    static void assertOneLineUsageError(Result r, String expectedMessage) {
        assertEquals(2, r.exit, r.toString());
        assertEquals("", r.out, r.toString());
        assertEquals("asyncio4j fetch: " + expectedMessage + " (see 'asyncio4j fetch --help')" + System.lineSeparator(),
                r.err);
        assertNotNull(r.err);
        assertFalse(r.err.contains("Exception"), r.err);
    }
}
