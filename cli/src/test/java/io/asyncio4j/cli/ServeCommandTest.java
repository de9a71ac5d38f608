package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Runs {@code asyncio4j serve --port 0} in-process on a background thread, reads the URL from the first line
 * it prints, and talks to it with the JDK HttpClient (and a raw socket for keep-alive).
 */
class ServeCommandTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** A running {@code serve} command: its URL, its exit code once stopped, its stderr. */
    private static final class Running implements AutoCloseable {
        final ServeCommand serve = new ServeCommand();
        final BlockingQueue<String> lines = new ArrayBlockingQueue<>(16);
        final StringWriter err = new StringWriter();
        final AtomicInteger exit = new AtomicInteger(-1);
        final Thread thread;
        final String url;

        Running(String... args) throws Exception {
            CommandLine cl = Main.commandLine(new CommandLine.IFactory() {
                @Override
                public <K> K create(Class<K> cls) throws Exception {
                    return cls == ServeCommand.class ? cls.cast(serve) : CommandLine.defaultFactory().create(cls);
                }
            });
            cl.setOut(new PrintWriter(new LineWriter(lines), true));
            cl.setErr(new PrintWriter(err, true));
            String[] all = new String[args.length + 1];
            all[0] = "serve";
            System.arraycopy(args, 0, all, 1, args.length);
            thread = Thread.ofPlatform().name("serve-under-test").start(() -> exit.set(cl.execute(all)));
            String first = lines.poll(30, TimeUnit.SECONDS);
            assertNotNull(first, () -> "serve printed nothing; stderr: " + err);
            assertTrue(first.startsWith("serving on http://127.0.0.1:"), first);
            url = first.substring("serving on ".length());
        }

        /** A raw connection to the server (reads time out after 10 s) on which {@code request} was sent. */
        Socket send(String request) throws IOException {
            URI u = URI.create(url);
            Socket sock = new Socket(u.getHost(), u.getPort());
            sock.setSoTimeout(10_000);
            sock.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return sock;
        }

        @Override
        public void close() throws InterruptedException {
            serve.stop();
            thread.join(10_000);
            assertFalse(thread.isAlive(), "serve did not stop");
            assertEquals(0, exit.get(), () -> "exit code; stderr: " + err);
        }
    }

    /** Collects whole lines written to it. */
    private static final class LineWriter extends Writer {
        private final BlockingQueue<String> lines;
        private final StringBuilder current = new StringBuilder();

        LineWriter(BlockingQueue<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(char[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                char c = buf[i];
                if (c == '\n') {
                    lines.add(current.toString().stripTrailing());
                    current.setLength(0);
                } else {
                    current.append(c);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
        return CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void printsItsUrlFirstAndAnswersJson() throws Exception {
        try (Running s = new Running("--port", "0")) {
            HttpResponse<String> r = get(s.url + "/json");
            assertEquals(200, r.statusCode());
            assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
            assertEquals("{\"name\":\"asyncio4j\",\"server\":\"asyncio4j serve\",\"ok\":true,\"items\":[1,2,3]}\n",
                    r.body());
        }
    }

    @Test
    void statusEndpointAnswersWithTheAskedStatus() throws Exception {
        try (Running s = new Running("--port", "0")) {
            HttpResponse<String> r = get(s.url + "/status/503");
            assertEquals(503, r.statusCode());
            assertEquals("503 Service Unavailable\n", r.body());
            assertEquals(418, get(s.url + "/status/418").statusCode());
            assertEquals(204, get(s.url + "/status/204").statusCode());
            assertEquals(400, get(s.url + "/status/99").statusCode());
            assertEquals(400, get(s.url + "/status/abc").statusCode());
        }
    }

    @Test
    void bytesEndpointSendsExactlyNBytes() throws Exception {
        try (Running s = new Running("--port", "0")) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(s.url + "/bytes/100000")).build();
            HttpResponse<byte[]> r = CLIENT.send(req, HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            assertEquals("application/octet-stream", r.headers().firstValue("content-type").orElseThrow());
            assertEquals(100_000, r.body().length);
            assertEquals('a', r.body()[0]);
            assertEquals('a' + 99_999 % 26, r.body()[99_999] & 0xff);
            assertEquals(0, get(s.url + "/bytes/0").body().length());
        }
    }

    @Test
    void linksEndpointServesAPageOfNLinks() throws Exception {
        try (Running s = new Running("--port", "0")) {
            HttpResponse<String> r = get(s.url + "/links/3");
            assertEquals(200, r.statusCode());
            assertEquals("text/html; charset=utf-8", r.headers().firstValue("content-type").orElseThrow());
            assertTrue(r.body().contains("<a href=\"/links/3/0\">0</a>\n<a href=\"/links/3/1\">1</a>\n"
                    + "<a href=\"/links/3/2\">2</a>\n"), r.body());
            HttpResponse<String> page = get(s.url + "/links/3/1");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<a href=\"/links/3/0\">0</a>\n1\n<a href=\"/links/3/2\">2</a>\n"),
                    page.body());
        }
    }

    @Test
    void delayEndpointAndUnknownPaths() throws Exception {
        try (Running s = new Running("--port", "0")) {
            HttpResponse<String> r = get(s.url + "/delay/30");
            assertEquals(200, r.statusCode());
            assertEquals("{\"delay_ms\":30}\n", r.body());
            HttpResponse<String> missing = get(s.url + "/nope");
            assertEquals(404, missing.statusCode());
            assertEquals("no such endpoint: /nope\n", missing.body());
            assertEquals(404, get(s.url + "/json/extra").statusCode());
        }
    }

    /**
     * An ordering, not a measured time: with {@code --latency 1s}, the client's own 50 ms read timeout runs out
     * before the first byte of the answer, and the whole answer comes after it.
     */
    @Test
    void latencyDelaysEveryAnswer() throws Exception {
        try (Running s = new Running("--port", "0", "--latency", "1s")) {
            try (Socket sock = s.send("GET /json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) {
                InputStream in = sock.getInputStream();
                sock.setSoTimeout(50);
                assertThrows(SocketTimeoutException.class, in::read, "answered before the latency");
                sock.setSoTimeout(10_000); // the socket stays usable after a read timeout
                String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(all.startsWith("HTTP/1.1 200 OK\r\n"), all);
                assertTrue(all.endsWith("\"items\":[1,2,3]}\n"), all);
            }
        }
    }

    @Test
    void oneConnectionCarriesSeveralRequests() throws Exception {
        try (Running s = new Running("--port", "0")) {
            try (Socket sock = s.send("GET /status/201 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) {
                String all = new String(sock.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(all.startsWith("HTTP/1.1 201 Created\r\n"), all);
                int second = all.indexOf("HTTP/1.1 200 OK\r\n");
                assertTrue(second > 0, all);
                assertTrue(all.substring(0, second).contains("Connection: keep-alive\r\n"), all);
                assertTrue(all.substring(second).contains("Connection: close\r\n"), all);
                assertTrue(all.endsWith("\"items\":[1,2,3]}\n"), all);
            }
        }
    }

    @Test
    void malformedRequestGets400AndTheConnectionCloses() throws Exception {
        try (Running s = new Running("--port", "0")) {
            try (Socket sock = s.send("NONSENSE\r\n\r\n")) {
                InputStream in = sock.getInputStream();
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
                assertEquals("HTTP/1.1 400 Bad Request", r.readLine());
                StringBuilder rest = new StringBuilder();
                for (String line; (line = r.readLine()) != null; ) {
                    rest.append(line).append('\n');
                }
                assertTrue(rest.toString().contains("Connection: close\n"), rest.toString());
                assertTrue(rest.toString().endsWith("bad request line\n"), rest.toString());
            }
        }
    }

    @Test
    void faultFlagsReachTheServer() throws Exception {
        try (Running s = new Running("--port", "0", "--fault", "truncate", "--fault-rate", "1", "--seed", "3")) {
            try (Socket sock = s.send("GET /bytes/100 HTTP/1.1\r\nHost: x\r\n\r\n")) {
                String all = new String(sock.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(all.contains("Content-Length: 100\r\n"), all);
                assertEquals(50, all.length() - all.indexOf("\r\n\r\n") - 4, all);
            }
        }
    }

    /** Exit code and stderr of a {@code serve} run that is expected to stop at its arguments. */
    private static String[] usageError(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        int exit = cl.execute(all);
        assertEquals(2, exit, () -> "stdout: " + out + " stderr: " + err);
        assertEquals("", out.toString());
        String[] lines = err.toString().split("\\R");
        assertEquals(1, lines.length, err.toString());
        return lines;
    }

    @Test
    void unknownFaultIsAOneLineUsageErrorListingTheFaults() {
        assertEquals("asyncio4j serve: Invalid value for option '--fault': 'explode' is not one of reset, stall, "
                + "truncate, slow-headers (see 'asyncio4j serve --help')", usageError("--fault", "explode")[0]);
    }

    @Test
    void faultRateThatIsNotAProbabilityIsAOneLineUsageError() {
        for (String bad : List.of("1.5", "-0.1", "abc", "NaN")) {
            assertEquals("asyncio4j serve: Invalid value for option '--fault-rate': '" + bad + "' is not a "
                    + "probability (a number from 0 to 1) (see 'asyncio4j serve --help')",
                    usageError("--fault", "reset", "--fault-rate", bad)[0]);
        }
    }

    @Test
    void faultRateWithoutAFaultIsAUsageError() {
        assertEquals("asyncio4j serve: --fault-rate needs --fault (one of reset, stall, truncate, slow-headers) "
                + "(see 'asyncio4j serve --help')", usageError("--port", "0", "--fault-rate", "0.5")[0]);
    }

    @Test
    void helpListsTheNewEndpointsAndFaultExamples() {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, cl.execute("serve", "--help"));
        String help = out.toString();
        for (String expected : List.of("/posts/{id}", "/echo", "POST /v1/chat/completions", "413",
                "slow-headers   the response head one line every 200 ms", "--fault-rate=P", "--seed=N",
                "asyncio4j serve --fault reset --fault-rate 0.1 --seed 42")) {
            assertTrue(help.contains(expected), expected + " in\n" + help);
        }
    }
}
