package io.asyncio4j.http;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every https connection of a session is set up with ({@link TlsSetup}): the TLS 1.2 rule (after a handshake with an origin ends in TLS 1.2, its next connections offer TLS 1.2
 * only and resume the session; a TLS 1.3 or failed handshake ends the rule). Real JDK TLS sockets on loopback
 * against a real TLS 1.2 server; the end-to-end test runs a burst of a session's requests over it.
 */
@RealTime
class TlsSetupTest {
    private static final String ORIGIN = "https://127.0.0.1:1";

    @Test
    void afterATls12HandshakeTheOriginsNextConnectionsOfferTls12OnlyAndResumeItsSession(@TempDir Path dir) throws Exception {
        SSLContext any = TlsVerificationTest.selfSignedContext(dir);
        TlsSetup setup = new TlsSetup();
        setup.context(TlsVerificationTest.trustingContext(dir, "TLS"));
        try (TlsServer server = new TlsServer(any, "TLSv1.2")) {
            SSLSocket first = server.connect(setup, ORIGIN);
            assertTrue(offered(first).contains("TLSv1.3"), "the first connection offers every version: " + offered(first));
            assertEquals("TLSv1.2", first.getSession().getProtocol());
            setup.handshaken(ORIGIN, first.getSession());

            SSLSocket second = server.connect(setup, ORIGIN);
            assertEquals(List.of("TLSv1.2"), offered(second));
            assertArrayEquals(first.getSession().getId(), second.getSession().getId(), "the TLS session was resumed");
            assertTrue(offered(server.connect(setup, "https://localhost:1")).contains("TLSv1.3"), "another origin: all versions");

            setup.handshaken(ORIGIN, null); // a failed handshake
            assertTrue(offered(server.connect(setup, ORIGIN)).contains("TLSv1.3"), "after a failure: all versions again");
        }
    }

    @Test
    void aTls13HandshakeEndsTheTls12RuleForItsOrigin(@TempDir Path dir) throws Exception {
        SSLContext any = TlsVerificationTest.selfSignedContext(dir);
        TlsSetup setup = new TlsSetup();
        setup.context(TlsVerificationTest.trustingContext(dir, "TLS"));
        try (TlsServer old = new TlsServer(any, "TLSv1.2");
             TlsServer upgraded = new TlsServer(any, "TLSv1.3", "TLSv1.2")) {
            setup.handshaken(ORIGIN, old.connect(setup, ORIGIN).getSession());
            SSLSocket pinned = upgraded.connect(setup, ORIGIN);
            assertEquals("TLSv1.2", pinned.getSession().getProtocol(), "offered TLS 1.2 only, the server agreed");
            TlsSetup fresh = new TlsSetup();
            fresh.context(TlsVerificationTest.trustingContext(dir, "TLS"));
            SSLSocket tls13 = upgraded.connect(fresh, ORIGIN);
            assertEquals("TLSv1.3", tls13.getSession().getProtocol());
            setup.handshaken(ORIGIN, tls13.getSession());
            assertTrue(offered(upgraded.connect(setup, ORIGIN)).contains("TLSv1.3"));
        }
    }

    @AsyncioTest
    void aBurstOfRequestsToATls12ServerMakesTls13KeySharesOnlyForTheFirstHandshake(Runner runner, @TempDir Path dir)
            throws Exception {
        SSLContext any = TlsVerificationTest.selfSignedContext(dir);
        int n = 16;
        try (HelloCountingServer server = new HelloCountingServer(any);
             ClientSession session = ClientSession.builder().sslContext(TlsVerificationTest.trustingContext(dir, "TLS"))
                     .timeout(new ClientTimeout(Duration.ofSeconds(20), Duration.ofSeconds(5), null)).build()) {
            String url = "https://127.0.0.1:" + server.port() + "/";
            List<String> bodies = runner.run(() -> {
                List<Task<String>> gets = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    gets.add(Asyncio.createTask(() -> session.get(url).text()));
                }
                return Asyncio.gather(gets);
            });
            assertEquals(Collections.nCopies(n, "ok"), bodies);
            assertEquals(n, server.hellos.get(), "the burst opened a connection per request");
            assertEquals(1, server.keyShares.get(), "only the first hello offered TLS 1.3 (key shares)");
        }
    }

    private static List<String> offered(SSLSocket s) {
        return Arrays.asList(s.getSSLParameters().getProtocols());
    }

    /** An https listener on loopback of {@code protocols} that completes each connection's handshake and keeps it open. */
    private static final class TlsServer implements AutoCloseable {
        private final SSLServerSocket listener;
        private final List<Socket> sockets = new ArrayList<>();
        private final List<Socket> clients = new ArrayList<>();
        private final Thread thread;

        TlsServer(SSLContext context, String... protocols) throws IOException {
            listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            listener.setEnabledProtocols(protocols);
            thread = Thread.ofVirtual().start(() -> {
                while (true) {
                    try {
                        SSLSocket s = (SSLSocket) listener.accept();
                        synchronized (sockets) {
                            sockets.add(s);
                        }
                        Thread.ofVirtual().start(() -> {
                            try (s) { // closed once the client's close_notify came, which the client's close awaits
                                s.startHandshake();
                                s.getInputStream().read();
                            } catch (IOException ignored) {
                                // the client went away
                            }
                        });
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
        }

        /** A connection of {@code setup} for {@code origin}, its handshake done; closed by {@link #close()}. */
        SSLSocket connect(TlsSetup setup, String origin) throws IOException {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 10_000);
            SSLSocket ssl = setup.socket(s, origin, "127.0.0.1", listener.getLocalPort());
            ssl.setSoTimeout(10_000);
            ssl.startHandshake();
            synchronized (clients) {
                clients.add(ssl);
            }
            return ssl;
        }

        @Override
        public void close() throws Exception {
            listener.close();
            synchronized (clients) {
                for (Socket s : clients) {
                    s.close();
                }
            }
            synchronized (sockets) {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            thread.join(10_000);
        }
    }

    /**
     * A keep-alive https server (TLS 1.2 at most) answering every GET with {@code ok}, that reads each
     * connection's ClientHello itself first and counts those that carry a {@code key_share} extension (TLS 1.3
     * offered: the client made key pairs for it).
     */
    private static final class HelloCountingServer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new ArrayList<>();
        private final Thread thread;
        final AtomicInteger hellos = new AtomicInteger();
        final AtomicInteger keyShares = new AtomicInteger();

        HelloCountingServer(SSLContext context) throws IOException {
            thread = Thread.ofVirtual().start(() -> {
                while (true) {
                    try {
                        Socket s = listener.accept();
                        synchronized (sockets) {
                            sockets.add(s);
                        }
                        Thread.ofVirtual().start(() -> serve(context, s));
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
        }

        private void serve(SSLContext context, Socket s) {
            try {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] record = new byte[5];
                in.readFully(record);
                record = Arrays.copyOf(record, 5 + (((record[3] & 0xff) << 8) | (record[4] & 0xff)));
                in.readFully(record, 5, record.length - 5);
                hellos.incrementAndGet();
                if (hasKeyShare(ByteBuffer.wrap(record))) {
                    keyShares.incrementAndGet();
                }
                SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(s, new ByteArrayInputStream(record), true);
                ssl.setUseClientMode(false);
                ssl.setEnabledProtocols(new String[] {"TLSv1.2"});
                InputStream tls = ssl.getInputStream();
                OutputStream out = ssl.getOutputStream();
                while (TlsChannelTest.RehandshakingServer.readHead(tls)) {
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        /** Whether the ClientHello record {@code r} (one record, one message) has the key_share extension (51). */
        private static boolean hasKeyShare(ByteBuffer r) {
            r.position(5 + 4 + 2 + 32); // record header, handshake header, version, random
            r.position(r.position() + 1 + (r.get() & 0xff)); // session id
            r.position(r.position() + 2 + (r.getShort() & 0xffff)); // cipher suites
            r.position(r.position() + 1 + (r.get() & 0xff)); // compression methods
            int end = r.position() + 2 + (r.getShort() & 0xffff);
            while (r.position() < end) {
                int type = r.getShort() & 0xffff;
                int length = r.getShort() & 0xffff;
                if (type == 51) {
                    return true;
                }
                r.position(r.position() + length);
            }
            return false;
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            listener.close();
            synchronized (sockets) {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            thread.join(10_000);
        }
    }
}
