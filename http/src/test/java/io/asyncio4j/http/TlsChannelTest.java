package io.asyncio4j.http;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * https on the loop's selector ({@link TlsChannel}: an SSLEngine over the non-blocking channel) against real
 * TLS servers on loopback: bodies across many records, keep-alive, the certificate checks and their messages,
 * the handshake's time limit, cancels during the handshake and during a read, a server that cuts a record in
 * half, a server's KeyUpdate (TLS 1.3) and renegotiation (TLS 1.2), and the close_notify at the end. Certificates
 * are made with keytool ({@link TlsVerificationTest#selfSignedContext}). Real time: real handshakes.
 */
@RealTime
class TlsChannelTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private static ClientSession trusting(SSLContext context) {
        return ClientSession.builder().sslContext(context)
                .timeout(new ClientTimeout(Duration.ofSeconds(20), Duration.ofSeconds(5), null)).build();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    @AsyncioTest
    void largeBodiesWithContentLengthOrChunkedCrossManyRecordsIntactOnOneKeepAliveConnection(Runner runner,
                                                                                          @TempDir Path dir) throws Exception {
        SSLContext context = TlsVerificationTest.selfSignedContext(dir);
        byte[] big = randomBytes(1_000_000); // about 62 TLS records of 16 KiB
        try (TestServer server = TestServer.startTls(context).dispatcher(r -> switch (r.path()) {
                case "/length" -> Reply.status(200).body(big);
                case "/chunked" -> Reply.status(200).body(big).chunked(7_000);
                default -> Reply.ok("ok");
            });
             ClientSession session = trusting(context)) {
            runner.run(() -> {
                assertArrayEquals(big, session.get(server.url("/length")).bytes());
                assertArrayEquals(big, session.get(server.url("/chunked")).bytes());
                try (Response r = session.stream(server.url("/chunked"))) {
                    assertArrayEquals(big, r.stream().readAllBytes());
                }
                assertEquals("ok", session.get(server.url("/small")).text());
            });
            assertEquals(1, server.connectionCount(), "every request went over the one kept-alive connection");
            assertEquals(4, server.requestCount());
        }
    }

    @AsyncioTest
    void aCertificateNoTrustedCaIssuedIsRefusedWithAMessageSayingSo(Runner runner, @TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.startTls(TlsVerificationTest.selfSignedContext(dir)).dispatcher(r -> Reply.ok("ok"));
             ClientSession session = ClientSession.builder().build()) {
            ClientConnectionError e = assertThrows(ClientConnectionError.class, () -> runner.run(() -> session.get(server.url("/"))));
            assertInstanceOf(SSLHandshakeException.class, e.getCause());
            assertTrue(e.getMessage().contains("TLS handshake with 127.0.0.1:" + server.port()
                    + " failed: the server's certificate is not issued by a trusted CA"), e.getMessage());
            assertTrue(e.getMessage().contains("trustStore"), "says how to trust a private CA: " + e.getMessage());
        }
    }

    @AsyncioTest
    void aCertificateOutsideItsValidityPeriodIsRefusedWithAMessageSayingSo(Runner runner, @TempDir Path dir) throws Exception {
        // a valid private CA that issued the server a certificate valid from ten days ago for two days
        keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Test CA",
                "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12", "-keystore", "ca.p12", "-storepass", "changeit");
        keytool(dir, "-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", "changeit", "-rfc", "-file", "ca.pem");
        keytool(dir, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", "server.p12", "-storepass", "changeit");
        keytool(dir, "-certreq", "-alias", "server", "-keystore", "server.p12", "-storepass", "changeit", "-file", "server.csr");
        keytool(dir, "-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", "changeit", "-infile", "server.csr",
                "-outfile", "server.pem", "-rfc", "-ext", "san=ip:127.0.0.1", "-startdate", "-10d", "-validity", "2");
        keytool(dir, "-importcert", "-alias", "ca", "-file", "ca.pem", "-keystore", "server.p12", "-storepass", "changeit", "-noprompt");
        keytool(dir, "-importcert", "-alias", "server", "-file", "server.pem", "-keystore", "server.p12", "-storepass", "changeit");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType()); // the CA only
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (TestServer server = TestServer.startTls(contextOf(dir.resolve("server.p12"), "TLS")).dispatcher(r -> Reply.ok("ok"));
             ClientSession session = ClientSession.builder().trustStore(trust).build()) {
            ClientConnectionError e = assertThrows(ClientConnectionError.class, () -> runner.run(() -> session.get(server.url("/"))));
            assertTrue(e.getMessage().contains("the server's certificate is outside its validity period"), e.getMessage());
        }
    }

    @AsyncioTest
    void aTrustedCertificateForAnotherNameIsRefusedByDefaultNamingTheHost(Runner runner, @TempDir Path dir) throws Exception {
        SSLContext other = TlsVerificationTest.selfSignedContext(dir, "dns:other.example");
        try (TestServer server = TestServer.startTls(other).dispatcher(r -> Reply.ok("ok"));
             ClientSession session = trusting(other)) {
            ClientConnectionError e = assertThrows(ClientConnectionError.class, () -> runner.run(() -> session.get(server.url("/"))));
            assertTrue(e.getMessage().contains("the server's certificate is not for 127.0.0.1"), e.getMessage());
        }
    }

    @AsyncioTest
    void aServerThatNeverShakesHandsFailsAtTheConnectTimeoutAndIsLetGo(Runner runner) throws Exception {
        try (SilentServer silent = new SilentServer();
             ClientSession session = ClientSession.builder()
                     .timeout(new ClientTimeout(Duration.ofSeconds(20), Duration.ofMillis(300), null)).build()) {
            ClientTimeoutError e = assertThrows(ClientTimeoutError.class,
                    () -> runner.run(() -> session.get("https://127.0.0.1:" + silent.port() + "/")));
            assertTrue(e.getMessage().contains("connect timeout"), e.getMessage());
            assertTrue(silent.awaitClientClosed(), "the connection was closed");
        }
    }

    @AsyncioTest
    void aCancelDuringTheHandshakeDropsTheConnection(Runner runner) throws Exception {
        try (SilentServer silent = new SilentServer(); ClientSession session = trusting(SSLContext.getDefault())) {
            runner.run(() -> {
                Task<Response> t = Asyncio.createTask(() -> session.get("https://127.0.0.1:" + silent.port() + "/"));
                while (!silent.accepted.await(0, TimeUnit.SECONDS)) {
                    Asyncio.sleep(0.005);
                }
                Asyncio.sleep(0.02); // the ClientHello is out: the task waits for the server's answer
                t.cancel();
                assertThrows(CancelledError.class, t::await);
            });
            assertTrue(silent.awaitClientClosed(), "the cancelled handshake's connection was closed");
        }
    }

    @AsyncioTest
    void aCancelDuringAReadDropsTheConnectionInsteadOfPoolingIt(Runner runner, @TempDir Path dir) throws Exception {
        SSLContext context = TlsVerificationTest.selfSignedContext(dir);
        try (TestServer server = TestServer.startTls(context)
                .dispatcher(r -> r.path().equals("/stall") ? Reply.status(200).body(randomBytes(100_000)).stallAfter(30_000) : Reply.ok("ok"));
             ClientSession session = trusting(context)) {
            String after = runner.run(() -> {
                session.get(server.url("/warm")); // the connection goes to the pool
                Task<Response> t = Asyncio.createTask(() -> session.get(server.url("/stall")));
                while (server.requestCount() < 2) {
                    Asyncio.sleep(0.005);
                }
                Asyncio.sleep(0.02); // part of the body is in: the task waits for the rest
                t.cancel();
                assertThrows(CancelledError.class, t::await);
                return session.get(server.url("/ok")).text();
            });
            assertEquals("ok", after);
            assertEquals(2, server.connectionCount(), "the cancelled exchange's connection was not reused");
        }
    }

    @AsyncioTest
    void aServerThatClosesInTheMiddleOfARecordRaisesClientConnectionError(Runner runner, @TempDir Path dir) throws Exception {
        assumeFalse(Boolean.getBoolean("asyncio4j.http.blockingSockets"),
                "TlsChannel's check; the JDK's SSLSocket (blocking-socket path) reports a cut record as the end of the stream");
        SSLContext context = TlsVerificationTest.selfSignedContext(dir);
        try (TestServer server = TestServer.startTls(context).dispatcher(r -> Reply.status(200).body(randomBytes(10_000)));
             RecordRelay relay = new RecordRelay(server.port(), 5_000);
             ClientSession session = trusting(context)) {
            ClientConnectionError e = assertThrows(ClientConnectionError.class,
                    () -> runner.run(() -> session.get("https://127.0.0.1:" + relay.port() + "/")));
            assertInstanceOf(EOFException.class, e.getCause());
            assertTrue(e.getMessage().contains("in the middle of a TLS record"), e.getMessage());
        }
    }

    @AsyncioTest
    void closingTheSessionSendsCloseNotifyBeforeTheTcpClose(Runner runner, @TempDir Path dir) throws Exception {
        SSLContext server12 = TlsVerificationTest.selfSignedContext(dir);
        SSLContext client12 = context(dir, "TLSv1.2"); // TLS 1.2: alerts travel as records of type 21, not hidden
        try (TestServer server = TestServer.startTls(server12).dispatcher(r -> Reply.ok("ok"));
             RecordRelay relay = new RecordRelay(server.port(), Integer.MAX_VALUE)) {
            ClientSession session = trusting(client12);
            assertEquals("ok", runner.run(() -> session.get("https://127.0.0.1:" + relay.port() + "/").text()));
            session.close();
            assertTrue(relay.clientDone.await(10, TimeUnit.SECONDS), "the client closed its connection");
            List<Integer> types = relay.clientRecordTypes;
            assertEquals(21, types.getLast(), "the last record the client sent is an alert (close_notify): " + types);
        }
    }

    @AsyncioTest
    void aKeyUpdateOrARenegotiationFromTheServerIsAnsweredAndTheConnectionGoesOn(Runner runner, @TempDir Path dir) throws Exception {
        SSLContext client = TlsVerificationTest.selfSignedContext(dir);
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            try (RehandshakingServer server = new RehandshakingServer(context(dir, protocol), protocol);
                 ClientSession session = trusting(client)) {
                String url = "https://127.0.0.1:" + server.port() + "/";
                List<String> bodies = runner.run(() -> List.of(session.get(url).text(), session.get(url).text(),
                        session.get(url).text()));
                assertEquals(List.of("1", "2", "3"), bodies, protocol);
                assertEquals(1, server.connections, protocol + ": one connection throughout");
            }
        }
    }

    // ---- servers -------------------------------------------------------------------------------------------

    /**
     * A context of {@code protocol} (TLSv1.2: that version at most) presenting and trusting the key that
     * {@link TlsVerificationTest#selfSignedContext(Path)} made in {@code dir} before (same file, same key).
     */
    private static SSLContext context(Path dir, String protocol) throws Exception {
        return contextOf(dir.resolve("server-" + Integer.toHexString("ip:127.0.0.1,dns:localhost".hashCode()) + ".p12"), protocol);
    }

    private static SSLContext contextOf(Path store, String protocol) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext context = SSLContext.getInstance(protocol);
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /** Runs the JDK's keytool in {@code dir}; fails the test when it fails. */
    private static void keytool(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("keytool " + args[0] + " failed: " + output);
        }
    }

    /** Accepts one TCP connection and never says a word; tells when the client closed it. */
    private static final class SilentServer implements AutoCloseable {
        final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final CountDownLatch accepted = new CountDownLatch(1);
        final CountDownLatch clientClosed = new CountDownLatch(1);
        private final Thread thread = Thread.ofVirtual().start(() -> {
            try (Socket s = listener.accept(); InputStream in = s.getInputStream()) {
                accepted.countDown();
                while (in.read(new byte[4096]) >= 0) {
                    // the ClientHello, unanswered
                }
                clientClosed.countDown();
            } catch (IOException e) {
                clientClosed.countDown(); // a reset is a close too
            }
        });

        SilentServer() throws IOException {
        }

        int port() {
            return listener.getLocalPort();
        }

        boolean awaitClientClosed() throws InterruptedException {
            return clientClosed.await(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            listener.close();
            thread.join(10_000);
        }
    }

    /**
     * A TCP relay in front of a TLS server that forwards whole TLS records, notes the type of each record the
     * client sends, and cuts the first server record carrying more than {@code cutOver} bytes: it forwards
     * half of it, then closes both sides.
     */
    private static final class RecordRelay implements AutoCloseable {
        final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Integer> clientRecordTypes = new CopyOnWriteArrayList<>();
        final CountDownLatch clientDone = new CountDownLatch(1);
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final Thread thread;

        RecordRelay(int target, int cutOver) throws IOException {
            thread = Thread.ofVirtual().start(() -> {
                try (Socket client = listener.accept(); Socket server = new Socket(InetAddress.getLoopbackAddress(), target)) {
                    sockets.add(client);
                    sockets.add(server);
                    Thread up = Thread.ofVirtual().start(() -> pump(client, server, Integer.MAX_VALUE, clientRecordTypes));
                    pump(server, client, cutOver, new CopyOnWriteArrayList<>());
                    up.join();
                } catch (IOException | InterruptedException e) {
                    // the test sees what the client saw
                }
            });
        }

        private void pump(Socket from, Socket to, int cutOver, List<Integer> types) {
            try {
                DataInputStream in = new DataInputStream(from.getInputStream());
                OutputStream out = to.getOutputStream();
                byte[] header = new byte[5];
                while (true) {
                    in.readFully(header);
                    int length = (header[3] & 0xff) << 8 | header[4] & 0xff;
                    byte[] payload = in.readNBytes(length);
                    types.add(header[0] & 0xff);
                    out.write(header);
                    if (length > cutOver) {
                        out.write(payload, 0, length / 2);
                        out.flush();
                        to.close();
                        from.close();
                        return;
                    }
                    out.write(payload);
                    out.flush();
                }
            } catch (IOException end) {
                try {
                    to.shutdownOutput();
                } catch (IOException ignored) {
                    // already closed
                }
            } finally {
                if (types == clientRecordTypes) {
                    clientDone.countDown();
                }
            }
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            listener.close();
            for (Socket s : sockets) {
                s.close();
            }
            thread.join(10_000);
        }
    }

    /**
     * A keep-alive https server on one connection that answers each GET with its number and, after each
     * answer, starts a new handshake: a KeyUpdate on TLS 1.3, a renegotiation on TLS 1.2 (the JDK's
     * {@code startHandshake()} on an established connection).
     */
    static final class RehandshakingServer implements AutoCloseable {
        private final SSLServerSocket listener;
        private final Thread thread;
        volatile int connections;

        RehandshakingServer(SSLContext context, String protocol) throws IOException {
            listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            listener.setEnabledProtocols(new String[] {protocol});
            thread = Thread.ofVirtual().start(() -> {
                while (true) {
                    try (SSLSocket s = (SSLSocket) listener.accept()) {
                        connections++;
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        for (int n = 1; readHead(in); n++) {
                            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + String.valueOf(n).length() + "\r\n\r\n" + n)
                                    .getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                            s.startHandshake();
                        }
                    } catch (IOException e) {
                        if (listener.isClosed()) {
                            return;
                        }
                    }
                }
            });
        }

        /** Reads one request head; false at the end of the stream. */
        static boolean readHead(InputStream in) throws IOException {
            int matched = 0;
            for (int b; (b = in.read()) >= 0; ) {
                matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
                if (matched == 4) {
                    return true;
                }
            }
            return false;
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            listener.close();
            thread.join(10_000);
        }
    }
}
