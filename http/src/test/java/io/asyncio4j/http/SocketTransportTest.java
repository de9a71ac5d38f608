package io.asyncio4j.http;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;
import io.asyncio4j.testing.RecordedRequest;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;

import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.net.ProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP/1.1 protocol edge cases of {@link SocketTransport}, against a raw loopback server that scripts
 * every byte ({@link io.asyncio4j.testing.TestServer} with raw replies): body framings, keep-alive reuse and the stale-connection retry, bodiless
 * answers, interim responses, malformed heads, and what a cancel does to the pool. Real time: real sockets.
 */
@RealTime
class SocketTransportTest {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private static ClientSession session() {
        return ClientSession.builder().timeout(ClientTimeout.ofTotal(Duration.ofSeconds(5))).build();
    }

    /** A keep-alive server answering each request with the bytes {@code answer} returns for it. */
    private interface Answer {
        String answer(RecordedRequest request) throws Exception;
    }

    private static TestServer keepAlive(Answer answer) throws IOException {
        return TestServer.start(r -> Reply.raw(answer.answer(r)));
    }

    /**
     * The connect limit, on a listener whose accept queue is full: Linux then drops further handshakes, so a
     * connect hangs. Skipped where connects to such a listener still complete (another kernel).
     */
    @AsyncioTest
    void aConnectThatNeverCompletesRaisesClientTimeoutErrorAtTheConnectLimit(Runner runner) throws Exception {
        List<Socket> queued = new ArrayList<>();
        try (java.net.ServerSocket full = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort());
            boolean hangs = false;
            for (int i = 0; i < 8 && !hangs; i++) { // never accepted: each one fills the queue further
                Socket s = new Socket();
                try {
                    s.connect(address, 200);
                    queued.add(s);
                } catch (java.net.SocketTimeoutException e) {
                    s.close();
                    hangs = true;
                }
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(hangs, "connects to a full listener complete here");
            ClientTimeout limits = new ClientTimeout(Duration.ofSeconds(5), Duration.ofMillis(200), null);
            try (ClientSession session = ClientSession.builder().timeout(limits).build()) {
                String message = runner.run(() -> assertThrows(ClientTimeoutError.class,
                        () -> session.get("http://127.0.0.1:" + full.getLocalPort() + "/")).getMessage());
                assertTrue(message.contains("connect timeout PT0.2S passed connecting to 127.0.0.1:"), message);
            }
        } finally {
            for (Socket s : queued) {
                s.close();
            }
        }
    }

    /** With connect and sockRead limits the waits run in timeout scopes; a socket error still comes out as itself. */
    @AsyncioTest
    void withConnectAndReadLimitsARefusedConnectionAndAResetAreConnectionErrors(Runner runner) throws Exception {
        ClientTimeout limits = new ClientTimeout(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(2));
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (TestServer resetting = TestServer.start(r -> Reply.reset());
             ClientSession session = ClientSession.builder().timeout(limits).build()) {
            List<String> errors = runner.run(() -> List.of(
                    assertThrows(ClientConnectionError.class,
                            () -> session.get("http://127.0.0.1:" + closedPort + "/")).getMessage(),
                    assertThrows(ClientConnectionError.class,
                            () -> session.get(resetting.url() + "/reset")).getMessage()));
            assertTrue(errors.get(0).contains("onnect"), errors.get(0));
            assertTrue(errors.get(1).contains("/reset"), errors.get(1));
        }
    }

    /** The session keeps the last URL it parsed: the same string again, and then others, still go where they say. */
    @AsyncioTest
    void repeatedAndAlternatingUrlsEachReachTheirOwnTarget(Runner runner) throws IOException {
        try (TestServer server = keepAlive(r -> OK); ClientSession session = session()) {
            String a = server.url() + "/a?x=1";
            String b = server.url() + "/b";
            runner.run(() -> {
                for (String url : List.of(a, a, b, a, new String(a), b)) {
                    session.get(url);
                }
                return null;
            });
            assertEquals(List.of("GET /a?x=1 HTTP/1.1", "GET /a?x=1 HTTP/1.1", "GET /b HTTP/1.1",
                    "GET /a?x=1 HTTP/1.1", "GET /a?x=1 HTTP/1.1", "GET /b HTTP/1.1"), server.requestLines());
        }
    }

    @AsyncioTest
    void aChunkedBodyIsJoinedAndItsExtensionsAndTrailersAreSkipped(Runner runner) throws IOException {
        try (TestServer server = keepAlive(r -> r.path().equals("/chunked")
                ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n1\r\n \r\n6\r\nworld!\r\n0\r\nX-Trailer: ignored\r\n\r\n"
                : OK);
             ClientSession session = session()) {
            List<String> bodies = runner.run(() -> List.of(session.get(server.url() + "/chunked").text(),
                    session.get(server.url() + "/next").text()));
            assertEquals(List.of("hello world!", "ok"), bodies);
            assertEquals(1, server.connectionCount(), "the trailers were consumed: the connection was reused");
        }
    }

    @AsyncioTest
    void aBodyWithoutLengthRunsToTheConnectionCloseAndTheConnectionIsNotReused(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(r -> Reply.status(200).header("Content-Type", "text/plain")
                .body("until the end").untilClose()); ClientSession session = session()) {
            List<String> bodies = runner.run(() -> List.of(session.get(server.url() + "/close").text(),
                    session.get(server.url() + "/again").text()));
            assertEquals(List.of("until the end", "until the end"), bodies);
            assertEquals(2, server.connectionCount(), "a close-delimited connection is never reused");
        }
    }

    @AsyncioTest
    void sequentialRequestsReuseOneKeepAliveConnection(Runner runner) throws IOException {
        try (TestServer server = keepAlive(r -> OK); ClientSession session = session()) {
            runner.run(() -> {
                for (int i = 0; i < 5; i++) {
                    assertEquals("ok", session.get(server.url() + "/r" + i).text());
                }
            });
            assertEquals(1, server.connectionCount(), "connections opened");
            assertEquals(List.of("GET /r0 HTTP/1.1", "GET /r1 HTTP/1.1", "GET /r2 HTTP/1.1", "GET /r3 HTTP/1.1",
                    "GET /r4 HTTP/1.1"), server.requestLines());
        }
    }

    @AsyncioTest
    void aConnectionCloseHeaderKeepsTheConnectionOutOfThePool(Runner runner) throws Exception {
        try (TestServer server = keepAlive(r -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
             ClientSession session = session()) {
            runner.run(() -> {
                session.get(server.url() + "/a");
                session.get(server.url() + "/b");
            });
            assertEquals(2, server.connectionCount(), "connections opened");
            assertTrue(server.awaitConnectionsClosed(Duration.ofSeconds(1)), "the client closed both");
        }
    }

    @AsyncioTest
    void aPooledConnectionTheServerClosedIsRetriedOnceOnAFreshConnectionForAGet(Runner runner) throws IOException {
        // connection 0 answers one request and then closes; the next GET finds it dead before any byte
        try (TestServer server = TestServer.start(r -> r.connection() == 0 && r.path().equals("/second")
                ? Reply.hangUp() : Reply.raw(OK));
             ClientSession session = session()) {
            List<String> bodies = runner.run(() -> List.of(session.get(server.url() + "/first").text(),
                    session.get(server.url() + "/second").text()));
            assertEquals(List.of("ok", "ok"), bodies);
            assertEquals(2, server.connectionCount(), "the retry opened a fresh connection");
            assertEquals(List.of("GET /first HTTP/1.1", "GET /second HTTP/1.1", "GET /second HTTP/1.1"), server.requestLines());
        }
    }

    @AsyncioTest
    void aPostOnAPooledConnectionTheServerClosedIsNotRetried(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(r -> r.connection() == 0 && r.method().equals("POST")
                ? Reply.hangUp() : Reply.raw(OK));
             ClientSession session = session()) {
            ClientConnectionError e = assertThrows(ClientConnectionError.class, () -> runner.run(() -> {
                session.get(server.url() + "/first");
                return session.post(server.url() + "/submit", "x".getBytes());
            }));
            assertInstanceOf(IOException.class, e.getCause());
            assertEquals(1, server.connectionCount(), "no second connection for a POST");
        }
    }

    @AsyncioTest
    void aPostChecksAnIdlePooledConnectionAndOpensAFreshOneWhenTheServerClosedIt(Runner runner) throws Exception {
        // connection 0 answers the GET, then the server closes it while it idles in the pool
        // (the close comes without a Connection: close header, as when a server's idle timeout passes at once)
        try (TestServer server = TestServer.start(r -> r.connection() == 0 ? Reply.raw(OK).closeAfter() : Reply.raw(OK));
             ClientSession session = ClientSession.builder().checkIdleAfter(Duration.ZERO)
                     .timeout(ClientTimeout.ofTotal(Duration.ofSeconds(5))).build()) {
            String body = runner.run(() -> {
                session.get(server.url() + "/first");
                return session.post(server.url() + "/submit", "x".getBytes()).text();
            });
            assertEquals("ok", body);
            assertEquals(2, server.connectionCount(), "the POST went on a fresh connection");
            assertEquals(List.of("GET /first HTTP/1.1", "POST /submit HTTP/1.1"), server.requestLines());
        }
    }

    @AsyncioTest
    void aHeadAnswerHasNoBodyWhateverItsContentLengthSays(Runner runner) throws IOException {
        try (TestServer server = keepAlive(r -> r.method().equals("HEAD")
                ? "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nX-Echo: head\r\n\r\n" : OK);
             ClientSession session = session()) {
            List<String> seen = runner.run(() -> {
                Response h = session.head(server.url() + "/h");
                return List.of(h.headers().firstValue("X-Echo").orElseThrow(), String.valueOf(h.bytes().length),
                        session.get(server.url() + "/g").text());
            });
            assertEquals(List.of("head", "0", "ok"), seen);
            assertEquals(1, server.connectionCount(), "the connection stayed usable after the HEAD");
        }
    }

    @AsyncioTest
    void a204And304HaveNoBody(Runner runner) throws IOException {
        try (TestServer server = keepAlive(r -> r.path().equals("/204") ? "HTTP/1.1 204 No Content\r\n\r\n"
                : r.path().equals("/304") ? "HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n" : OK);
             ClientSession session = session()) {
            List<String> seen = runner.run(() -> List.of(
                    session.get(server.url() + "/204").status() + ":" + session.get(server.url() + "/204").bytes().length,
                    session.get(server.url() + "/304").status() + ":" + session.get(server.url() + "/304").bytes().length,
                    session.get(server.url() + "/ok").text()));
            assertEquals(List.of("204:0", "304:0", "ok"), seen);
            assertEquals(1, server.connectionCount(), "connections opened");
        }
    }

    @AsyncioTest
    void interim1xxResponsesAreSkipped(Runner runner) throws IOException {
        try (TestServer server = keepAlive(r -> "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n" + OK);
             ClientSession session = session()) {
            Response r = runner.run(() -> session.post(server.url() + "/upload", "data".getBytes()));
            assertEquals(200, r.status());
            assertEquals("ok", r.text());
        }
    }

    @AsyncioTest
    void aMalformedStatusLineRaisesClientConnectionErrorQuotingTheLine(Runner runner) throws Exception {
        try (TestServer server = keepAlive(r -> "HTTP/1.1 abc\r\nContent-Length: 0\r\n\r\n");
             ClientSession session = session()) {
            ClientConnectionError e = assertThrows(ClientConnectionError.class,
                    () -> runner.run(() -> session.get(server.url() + "/garbage")));
            ProtocolException cause = assertInstanceOf(ProtocolException.class, e.getCause());
            assertEquals("malformed status line 'HTTP/1.1 abc'", cause.getMessage());
            assertTrue(e.getMessage().contains("GET " + server.url() + "/garbage"), e.getMessage());
            assertTrue(server.awaitConnectionsClosed(Duration.ofSeconds(1)), "the client closed the connection at once");
        }
    }

    @AsyncioTest
    void aResponseHeadOverTheLimitRaisesClientConnectionErrorAndClosesTheConnection(Runner runner) throws Exception {
        try (TestServer server = TestServer.start(r -> Reply.raw("HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(1 << 20)));
             ClientSession session = session()) {
            ClientConnectionError e = assertThrows(ClientConnectionError.class,
                    () -> runner.run(() -> session.get(server.url() + "/big")));
            ProtocolException cause = assertInstanceOf(ProtocolException.class, e.getCause());
            assertEquals("response head exceeds " + HttpConnection.MAX_HEAD + " bytes", cause.getMessage());
            assertTrue(server.awaitConnectionsClosed(Duration.ofSeconds(1)), "the client closed the connection");
        }
    }

    @AsyncioTest
    void theRequestHeadCarriesOriginFormHostUserAgentAndContentLength(Runner runner) throws IOException {
        try (TestServer server = keepAlive(r -> OK); ClientSession session = session()) {
            runner.run(() -> {
                session.request("POST", server.url() + "/p/a%20th?q=1&r=%2F#frag", Map.of("X-One", "1"), "body".getBytes());
                session.put(server.url() + "/empty", null);
            });
            int port = server.port();
            List<String> heads = server.requests().stream().map(RecordedRequest::head).toList();
            assertEquals("POST /p/a%20th?q=1&r=%2F HTTP/1.1\r\nhost: 127.0.0.1:" + port + "\r\naccept-encoding: gzip, deflate\r\n"
                    + "x-one: 1\r\nuser-agent: asyncio4j\r\ncontent-length: 4\r\n\r\n", heads.get(0));
            assertEquals("body", server.requests().getFirst().bodyText());
            assertEquals("PUT /empty HTTP/1.1\r\nhost: 127.0.0.1:" + port + "\r\naccept-encoding: gzip, deflate\r\n"
                    + "user-agent: asyncio4j\r\ncontent-length: 0\r\n\r\n", heads.get(1));
        }
    }

    @AsyncioTest
    void closingTheSessionWhileARequestWaitsForItsAnswerEndsThatRequestWithAConnectionError(Runner runner)
            throws Exception {
        try (TestServer server = TestServer.start(r -> Reply.stall())) { // never answers; the session closes first
            {
                for (int round = 0; round < 2; round++) {
                    boolean fromAnotherThread = round == 1;
                    int before = round;
                    ClientSession session = session();
                    runner.run(() -> {
                        Task<Response> t = Asyncio.createTask(() -> session.get(server.url() + "/stall"));
                        while (server.requestCount() == before) {
                            Asyncio.sleep(0.005);
                        }
                        Asyncio.sleep(0.005); // the server holds the request: the task waits for its answer
                        if (fromAnotherThread) {
                            Thread closer = Thread.ofPlatform().start(session::close);
                            closer.join();
                        } else {
                            session.close();
                        }
                        assertThrows(ClientConnectionError.class, () -> Asyncio.timeout(Duration.ofSeconds(5), t::await));
                        return null;
                    });
                }
            }
        }
    }

    @AsyncioTest
    void aTaskCancelledOnAReusedConnectionClosesItInsteadOfPoolingIt(Runner runner) throws Exception {
        try (TestServer server = TestServer.start(r -> r.path().equals("/stall") ? Reply.stall() : Reply.raw(OK));
             ClientSession session = session()) {
            {
                String after = runner.run(() -> {
                    session.get(server.url() + "/warm"); // the connection goes to the pool
                    Task<Response> t = Asyncio.createTask(() -> session.get(server.url() + "/stall"));
                    while (server.requestCount() < 2) {
                        Asyncio.sleep(0.005);
                    }
                    t.cancel();
                    assertThrows(CancelledError.class, t::await);
                    return session.get(server.url() + "/ok").text();
                });
                assertEquals("ok", after);
                assertEquals(2, server.connectionCount(), "the cancelled exchange's connection was not reused");
                assertEquals(List.of("GET /warm HTTP/1.1", "GET /stall HTTP/1.1", "GET /ok HTTP/1.1"),
                        server.requestLines());
            }
        }
    }

    @AsyncioTest
    void aStreamReadToItsEndReturnsTheConnectionAndOneClosedEarlyDoesNot(Runner runner) throws IOException {
        String big = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(100_000);
        try (TestServer server = keepAlive(r -> r.path().equals("/big") ? big : OK);
             ClientSession session = session()) {
            runner.run(() -> {
                try (Response r = session.stream(server.url() + "/big")) {
                    assertEquals(100_000, r.stream().readAllBytes().length);
                }
                assertEquals("ok", session.get(server.url() + "/ok").text()); // same connection
                try (Response r = session.stream(server.url() + "/big")) {
                    assertEquals(10, r.stream().readNBytes(10).length);
                } // closed early: the connection is closed
                assertEquals("ok", session.get(server.url() + "/ok").text()); // a fresh one
            });
            assertEquals(2, server.connectionCount(), "connections opened");
        }
    }

    /** Runs {@code body} with {@code context} as the JVM's default SSLContext, then restores the previous one. */
    private static <T> T withDefaultTls(SSLContext context, java.util.concurrent.Callable<T> body) throws Exception {
        SSLContext previous = SSLContext.getDefault();
        SSLContext.setDefault(context);
        try {
            return body.call();
        } finally {
            SSLContext.setDefault(previous);
        }
    }

    private static TestServer httpsServer(SSLContext context) throws IOException {
        return TestServer.startTls(context).dispatcher(r -> Reply.ok("ok"));
    }

    @AsyncioTest
    void aTrustedCertificateForTheHostPassesByIpAndByNameWithSni(Runner runner, @TempDir Path dir) throws Exception {
        SSLContext context = TlsVerificationTest.selfSignedContext(dir);
        try (TestServer server = httpsServer(context)) {
            int port = server.port();
            List<String> bodies = withDefaultTls(context, () -> {
                try (ClientSession session = session()) {
                    return runner.run(() -> List.of(session.get("https://127.0.0.1:" + port + "/").text(),
                            session.get("https://127.0.0.1:" + port + "/again").text(),
                            session.get("https://localhost:" + port + "/").text()));
                }
            });
            assertEquals(List.of("ok", "ok", "ok"), bodies);
        }
    }

    @AsyncioTest
    void aTrustedCertificateForAnotherHostFailsHostnameVerification(Runner runner, @TempDir Path dir) throws Exception {
        SSLContext context = TlsVerificationTest.selfSignedContext(dir, "dns:other.example");
        try (TestServer server = httpsServer(context)) {
            String url = server.url("/");
            ClientConnectionError e = withDefaultTls(context, () -> {
                try (ClientSession session = session()) {
                    return assertThrows(ClientConnectionError.class, () -> runner.run(() -> session.get(url)));
                }
            });
            Throwable cause = e.getCause();
            assertInstanceOf(SSLHandshakeException.class, cause);
            assertTrue(String.valueOf(cause.getMessage()).contains("127.0.0.1"), String.valueOf(cause.getMessage()));
        }
    }

    @AsyncioTest
    void anHttpsRequestThroughAProxyAsksForATunnelAndAProxyRefusalRaisesClientConnectionError(Runner runner) throws IOException {
        try (TestServer proxy = TestServer.start(r -> Reply.status(407)); ClientSession session = ClientSession.builder()
                .proxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()))
                .timeout(ClientTimeout.ofTotal(Duration.ofSeconds(5))).build()) {
            ClientConnectionError e = assertThrows(ClientConnectionError.class,
                    () -> runner.run(() -> session.get("https://example.invalid/secret?q=1")));
            assertTrue(e.getMessage().contains("the proxy refused CONNECT example.invalid:443: 407"), e.getMessage());
            assertEquals(List.of("CONNECT example.invalid:443 HTTP/1.1\r\nhost: example.invalid:443\r\n"
                    + "user-agent: asyncio4j\r\n\r\n"), proxy.requests().stream().map(RecordedRequest::head).toList());
        }
    }

    @AsyncioTest
    void anHttpsRequestThroughAProxyGoesThroughOneTunnelWithTheTargetsCertificateChecked(Runner runner, @TempDir Path dir)
            throws Exception {
        SSLContext context = TlsVerificationTest.selfSignedContext(dir);
        try (TestServer server = httpsServer(context); TunnelProxy proxy = new TunnelProxy(server.port())) {
            String base = "https://localhost:" + server.port();
            List<String> bodies = withDefaultTls(context, () -> {
                try (ClientSession session = ClientSession.builder()
                        .proxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()))
                        .timeout(ClientTimeout.ofTotal(Duration.ofSeconds(5))).build()) {
                    return runner.run(() -> List.of(session.get(base + "/a").text(), session.get(base + "/b?q=1").text()));
                }
            });
            assertEquals(List.of("ok", "ok"), bodies);
            assertEquals(List.of("CONNECT localhost:" + server.port() + " HTTP/1.1"), proxy.connects(),
                    "one tunnel, kept alive for the second request");
            assertEquals(List.of("GET /a HTTP/1.1", "GET /b?q=1 HTTP/1.1"),
                    server.requests().stream().map(RecordedRequest::requestLine).toList(),
                    "through a tunnel the request target is the origin form, as without a proxy");
        }
    }

    @AsyncioTest
    void connectionsOpenedAtOnceToOneHttpsOriginResumeTheFirstOnesTlsSessionInsteadOfEachDoingAFullHandshake(
            Runner runner, @TempDir Path dir) throws Exception {
        SSLContext serverContext = TlsVerificationTest.selfSignedContext(dir);
        // TLS 1.2: its session is known when the handshake ends (a TLS 1.3 server sends its ticket afterwards)
        SSLContext client = TlsVerificationTest.trustingContext(dir, "TLSv1.2");
        try (TestServer server = httpsServer(serverContext); ClientSession session = ClientSession.builder()
                .sslContext(client).limit(8).timeout(ClientTimeout.ofTotal(Duration.ofSeconds(10))).build()) {
            String url = "https://localhost:" + server.port() + "/";
            List<String> bodies = runner.run(() -> {
                List<Task<String>> tasks = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    tasks.add(Asyncio.createTask(() -> session.get(url).text()));
                }
                List<String> all = new ArrayList<>();
                for (Task<String> t : tasks) {
                    all.add(t.await());
                }
                return all;
            });
            assertEquals(Collections.nCopies(8, "ok"), bodies);
            assertEquals(8, server.connectionCount(), "eight requests at once: eight connections");
            assertEquals(1, Collections.list(client.getClientSessionContext().getIds()).size(),
                    "one full handshake; the seven other connections resumed its session");
        }
    }

    /**
     * A CONNECT proxy on loopback, as squid or a corporate proxy is for https: it reads the CONNECT head,
     * answers 200 and then copies bytes both ways between the client and the server at {@code targetPort}.
     */
    private static final class TunnelProxy implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        // the request line of every CONNECT received; written by the tunnel threads, read by the test
        private final List<String> connects = new CopyOnWriteArrayList<>();
        private final int targetPort;

        TunnelProxy(int targetPort) throws IOException {
            this.targetPort = targetPort;
            Thread.ofPlatform().daemon().name("tunnel-proxy").start(this::acceptAll);
        }

        int port() {
            return listener.getLocalPort();
        }

        List<String> connects() {
            return connects;
        }

        private void acceptAll() {
            try {
                while (true) {
                    Socket client = listener.accept();
                    Thread.ofPlatform().daemon().name("tunnel").start(() -> tunnel(client));
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        private void tunnel(Socket client) {
            try (client; Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
                InputStream in = client.getInputStream();
                StringBuilder head = new StringBuilder();
                while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    int c = in.read();
                    if (c < 0) {
                        return;
                    }
                    head.append((char) c);
                }
                connects.add(head.substring(0, head.indexOf("\r\n")));
                client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                Thread back = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        target.getInputStream().transferTo(client.getOutputStream());
                    } catch (IOException ignored) {
                        // one side closed
                    }
                });
                in.transferTo(target.getOutputStream());
                target.close(); // the client is gone: so is its tunnel
                back.join();
            } catch (IOException | InterruptedException ignored) {
                // one side closed
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
