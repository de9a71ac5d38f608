package io.asyncio4j.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The floor of the comparison harness's W8 (keep-alive GETs of 1 KiB over https): what the JDK's own TLS
 * costs a client for the same work with no HTTP code, no event loop and no socket, so that W8's CPU per
 * request can be split into "the JDK's TLS" and "everything else".
 *
 * <p>Two client {@link SSLEngine}s talk to a server engine in memory, over an EC P-256 certificate made with
 * the JDK's {@code keytool} and TLS 1.2 on the server side, as W8's nginx (Debian's nginx 1.22 offers
 * TLS 1.2 at most by default). Two kinds of figures, each the client's thread CPU time only:
 * <ul>
 *   <li>{@code record_us}: one request's records: the client wraps W8's request head (one record) and unwraps
 *       nginx's answer (head and 1 KiB body, one record), per cipher suite, on one connection and round 256
 *       (W8's connections, each with keys and buffers of its own); the server's records are made before the
 *       clock starts.</li>
 *   <li>{@code handshake_us}: one handshake of the client, full (no session to resume), resumed with the
 *       client's default hello (TLS 1.3 offered: the JDK makes TLS 1.3 key shares the TLS 1.2 server never
 *       uses), and resumed with a hello that offers TLS 1.2 only.</li>
 * </ul>
 * The variants run alternately, {@code rounds} times each, in one process, and each figure is the median of
 * its rounds: on a busy machine both sides of a comparison see the same load.
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.asyncio4j.benchmarks.TlsFloor [rounds] [requests]
 * </pre>
 */
public final class TlsFloor {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final char[] PASSWORD = "floor-only".toCharArray();
    private static final byte[] REQUEST = ("GET /1k.txt HTTP/1.1\r\nHost: 127.0.0.1:34999\r\nUser-Agent: asyncio4j\r\n"
            + "Accept-Encoding: gzip, deflate\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] RESPONSE = response();
    private static final String[] SUITES = {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"};

    private final SSLContext server;
    private final SSLContext client;
    // the client's trust (the server's certificate), for a context of its own per full handshake
    private final TrustManager[] trust;

    private TlsFloor(SSLContext server, SSLContext client, TrustManager[] trust) {
        this.server = server;
        this.client = client;
        this.trust = trust;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        TlsFloor floor = make();
        Map<String, List<Double>> figures = new LinkedHashMap<>();
        for (int r = 0; r < rounds + 1; r++) { // round 0 warms the JIT up and is not kept
            for (String suite : SUITES) {
                keep(figures, r, "record_us 1 connection " + suite, floor.records(suite, requests, 1));
                keep(figures, r, "record_us 256 connections " + suite, floor.records(suite, requests, 256));
            }
            keep(figures, r, "handshake_us full", floor.handshakes(200, false, false));
            keep(figures, r, "handshake_us resumed, TLS 1.3 offered", floor.handshakes(200, true, false));
            keep(figures, r, "handshake_us resumed, TLS 1.2 only", floor.handshakes(200, true, true));
        }
        figures.forEach((name, values) -> System.out.printf("%-60s median %8.2f  rounds %s%n", name, median(values), values));
    }

    private static void keep(Map<String, List<Double>> figures, int round, String name, double value) {
        if (round > 0) {
            figures.computeIfAbsent(name, k -> new ArrayList<>()).add(Math.round(value * 100) / 100.0);
        }
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** nginx's answer to W8's GET: its head and the 1 KiB body. */
    private static byte[] response() {
        String head = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Sun, 06 Dec 2026 12:00:00 GMT\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 1024\r\nLast-Modified: Sun, 06 Dec 2026 11:00:00 GMT\r\n"
                + "Connection: keep-alive\r\nETag: \"6753a1b0-400\"\r\nAccept-Ranges: bytes\r\n\r\n";
        byte[] b = Arrays.copyOf(head.getBytes(StandardCharsets.ISO_8859_1), head.length() + 1024);
        Arrays.fill(b, head.length(), b.length, (byte) 'a');
        return b;
    }

    /** A server context of a fresh EC P-256 key and certificate (keytool), and a client context trusting it. */
    private static TlsFloor make() throws Exception {
        Path dir = Files.createTempDirectory("tls-floor");
        Path store = dir.resolve("server.p12");
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "server", "-dname", "CN=127.0.0.1",
                    "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", new String(PASSWORD)).redirectErrorStream(true).start();
            byte[] said = p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IOException("keytool failed: " + new String(said, StandardCharsets.UTF_8));
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, PASSWORD);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("server", keys.getCertificate("server"));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
            return new TlsFloor(server, client, tmf.getTrustManagers());
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(dir);
        }
    }

    private SSLEngine serverEngine() {
        SSLEngine e = server.createSSLEngine();
        e.setUseClientMode(false);
        e.setEnabledProtocols(new String[] {"TLSv1.2"});
        return e;
    }

    private SSLEngine clientEngine(SSLContext context, boolean tls12Only) {
        SSLEngine e = context.createSSLEngine("127.0.0.1", 34999);
        e.setUseClientMode(true);
        var p = e.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (tls12Only) {
            p.setProtocols(new String[] {"TLSv1.2"});
        }
        e.setSSLParameters(p);
        return e;
    }

    /**
     * The client's CPU microseconds per request: wrap the request, unwrap the answer, under {@code suite}, the
     * requests going round {@code connections} connections (W8: 256, each with keys of its own).
     */
    private double records(String suite, int requests, int connections) throws SSLException {
        SSLEngine[] clients = new SSLEngine[connections];
        ByteBuffer[] answers = new ByteBuffer[connections];
        int each = (requests + connections - 1) / connections;
        for (int k = 0; k < connections; k++) {
            SSLEngine c = clientEngine(client, false);
            c.setEnabledCipherSuites(new String[] {suite});
            SSLEngine s = serverEngine();
            new Pair(c, s).handshake(null);
            clients[k] = c;
            answers[k] = ByteBuffer.allocate(each * (RESPONSE.length + 64));
            ByteBuffer one = ByteBuffer.allocate(s.getSession().getPacketBufferSize());
            for (int i = 0; i < each; i++) {
                one.clear();
                s.wrap(ByteBuffer.wrap(RESPONSE), one);
                answers[k].put(one.flip());
            }
            answers[k].flip();
        }
        ByteBuffer request = ByteBuffer.wrap(REQUEST);
        ByteBuffer out = ByteBuffer.allocate(clients[0].getSession().getPacketBufferSize());
        ByteBuffer app = ByteBuffer.allocate(clients[0].getSession().getApplicationBufferSize());
        long t0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < requests; i++) {
            int k = i % connections;
            out.clear();
            clients[k].wrap(request.clear(), out);
            app.clear();
            SSLEngineResult r = clients[k].unwrap(answers[k], app);
            if (r.bytesProduced() != RESPONSE.length) {
                throw new IllegalStateException("unwrapped " + r);
            }
        }
        return (THREADS.getCurrentThreadCpuTime() - t0) / 1e3 / requests;
    }

    /**
     * The client's CPU microseconds per handshake over {@code count} handshakes; resumed: every one after a
     * first, unmeasured one resumes its session (one client context), else each has a context of its own.
     */
    private double handshakes(int count, boolean resumed, boolean tls12Only) throws Exception {
        long[] clientNanos = {0};
        if (resumed) {
            new Pair(clientEngine(client, tls12Only), serverEngine()).handshake(null);
        }
        for (int i = 0; i < count; i++) {
            SSLContext context = client;
            if (!resumed) {
                context = SSLContext.getInstance("TLS"); // no session cache shared with the last handshake
                context.init(null, trust, null);
            }
            new Pair(clientEngine(context, tls12Only), serverEngine()).handshake(clientNanos);
        }
        return clientNanos[0] / 1e3 / count;
    }

    /** Two engines joined by two in-memory buffers (the network, each way). */
    private record Pair(SSLEngine client, SSLEngine server) {
        /** Shakes hands; adds the client's thread CPU time to {@code clientNanos[0]} when given. */
        void handshake(long[] clientNanos) throws SSLException {
            int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
            ByteBuffer toServer = ByteBuffer.allocate(4 * packet);
            ByteBuffer toClient = ByteBuffer.allocate(4 * packet);
            ByteBuffer app = ByteBuffer.allocate(4 * packet);
            ByteBuffer empty = ByteBuffer.allocate(0);
            long t0 = clientNanos == null ? 0 : THREADS.getCurrentThreadCpuTime();
            client.beginHandshake();
            long spent = clientNanos == null ? 0 : THREADS.getCurrentThreadCpuTime() - t0;
            server.beginHandshake();
            for (int steps = 0; !(done(client) && done(server)); steps++) {
                if (steps > 100) {
                    throw new IllegalStateException("no handshake: " + client.getHandshakeStatus() + " " + server.getHandshakeStatus());
                }
                t0 = clientNanos == null ? 0 : THREADS.getCurrentThreadCpuTime();
                step(client, toClient, toServer, app, empty);
                spent += clientNanos == null ? 0 : THREADS.getCurrentThreadCpuTime() - t0;
                step(server, toServer, toClient, app, empty);
            }
            if (clientNanos != null) {
                clientNanos[0] += spent;
            }
        }

        private static boolean done(SSLEngine e) {
            var s = e.getHandshakeStatus();
            return s == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || s == SSLEngineResult.HandshakeStatus.FINISHED;
        }

        /** What {@code e} can do now: run its tasks, wrap into {@code out}, unwrap from {@code in}. */
        private static void step(SSLEngine e, ByteBuffer in, ByteBuffer out, ByteBuffer app, ByteBuffer empty) throws SSLException {
            while (true) {
                switch (e.getHandshakeStatus()) {
                    case NEED_TASK -> {
                        for (Runnable t; (t = e.getDelegatedTask()) != null; ) {
                            t.run();
                        }
                    }
                    case NEED_WRAP -> e.wrap(empty, out);
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        in.flip();
                        app.clear();
                        SSLEngineResult r = e.unwrap(in, app);
                        in.compact();
                        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                            return;
                        }
                    }
                    default -> {
                        return;
                    }
                }
            }
        }
    }
}
