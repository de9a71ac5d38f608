package io.asyncio4j.http;

import io.asyncio4j.Runner;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * ClientSession verifies TLS certificates by default: against a loopback HTTPS server with a freshly generated
 * self-signed certificate, a default session fails the handshake. A plain JDK client that trusts that certificate
 * gets 200 from the same server, so the failure is the certificate check and not a broken server.
 * A session given a context or a trust store that trusts the certificate (self-signed, or issued by a private
 * CA made here with keytool) gets the answer, on both transports, and hostname verification stays on with it.
 * Real time: the handshakes are real ones on loopback.
 */
@RealTime
class TlsVerificationTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @AsyncioTest
    void aSelfSignedCertificateFailsTheHandshakeOfADefaultSession(Runner runner, @TempDir Path dir) throws Exception {
        SSLContext serverContext = selfSignedContext(dir);
        TestServer server = server(serverContext);
        try (ClientSession session = ClientSession.builder().build()) {
            String url = "https://127.0.0.1:" + server.port() + "/";

            ClientConnectionError e = assertThrows(ClientConnectionError.class, () -> runner.run(() -> session.get(url)));
            assertTrue(causeChainHas(e, SSLHandshakeException.class), () -> "no SSLHandshakeException in the cause chain of " + e);

            // the same server answers a client that trusts its certificate (the keystore doubles as trust store)
            try (HttpClient trusting = HttpClient.newBuilder().sslContext(serverContext)
                    .connectTimeout(Duration.ofSeconds(5)).build()) {
                HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertEquals("ok", r.body());
            }
        } finally {
            server.close();
        }
    }

    /** An https server on loopback answering "ok" with the key and certificate of {@code context}. */
    private static TestServer server(SSLContext context) throws java.io.IOException {
        return TestServer.startTls(context).dispatcher(r -> Reply.ok("ok"));
    }

    @AsyncioTest
    void aSessionWhoseSslContextTrustsTheCertificateGetsTheAnswer(Runner runner, @TempDir Path dir) throws Exception {
        SSLContext context = selfSignedContext(dir);
        TestServer server = server(context);
        try (ClientSession session = ClientSession.builder().sslContext(context).build()) {
            String url = "https://127.0.0.1:" + server.port() + "/";
            assertEquals("ok", runner.run(() -> session.get(url).text()));
        } finally {
            server.close();
        }
    }

    @AsyncioTest
    void hostnameVerificationStaysOnWithACustomContext(Runner runner, @TempDir Path dir) throws Exception {
        // trusted, but issued to another name than the host of the URL
        SSLContext context = selfSignedContext(dir, "dns:other.example");
        TestServer server = server(context);
        try (ClientSession session = ClientSession.builder().sslContext(context).build()) {
            String url = "https://127.0.0.1:" + server.port() + "/";
            ClientConnectionError e = assertThrows(ClientConnectionError.class, () -> runner.run(() -> session.get(url)));
            assertTrue(causeChainHas(e, java.security.cert.CertificateException.class),
                    () -> "no CertificateException (the name check) in the cause chain of " + e);
        } finally {
            server.close();
        }
    }

    @AsyncioTest
    void aPrivateCaGivenAsTrustStoreIsTrustedForTheCertificatesItIssued(Runner runner, @TempDir Path dir) throws Exception {
        // a CA, and a server key whose certificate (for 127.0.0.1) the CA signs
        keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Test CA",
                "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12", "-keystore", "ca.p12", "-storepass", "changeit");
        keytool(dir, "-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", "changeit", "-rfc", "-file", "ca.pem");
        keytool(dir, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", "server.p12", "-storepass", "changeit");
        keytool(dir, "-certreq", "-alias", "server", "-keystore", "server.p12", "-storepass", "changeit", "-file", "server.csr");
        keytool(dir, "-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", "changeit", "-infile", "server.csr",
                "-outfile", "server.pem", "-rfc", "-ext", "san=ip:127.0.0.1", "-validity", "2");
        keytool(dir, "-importcert", "-alias", "ca", "-file", "ca.pem", "-keystore", "server.p12", "-storepass", "changeit", "-noprompt");
        keytool(dir, "-importcert", "-alias", "server", "-file", "server.pem", "-keystore", "server.p12", "-storepass", "changeit");

        KeyStore serverKeys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
            serverKeys.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(serverKeys, PASSWORD);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);

        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TestServer server = server(serverContext);
        try (ClientSession trusting = ClientSession.builder().trustStore(trust).build();
             ClientSession plain = ClientSession.builder().build()) {
            String url = "https://127.0.0.1:" + server.port() + "/";
            assertEquals("ok", runner.run(() -> trusting.get(url).text()));
            assertThrows(ClientConnectionError.class, () -> runner.run(() -> plain.get(url)), "the JDK's CAs do not know it");
        } finally {
            server.close();
        }
    }

    /** Runs the JDK's keytool in {@code dir} with {@code args}; fails the test when it fails. */
    private static void keytool(Path dir, String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("keytool did not finish: " + output);
        }
        if (p.exitValue() != 0) {
            fail("keytool " + args[0] + " failed with exit code " + p.exitValue() + ": " + output);
        }
    }

    private static boolean causeChainHas(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Generates an EC key pair with a self-signed certificate for 127.0.0.1/localhost and makes a context that both presents and trusts it. */
    static SSLContext selfSignedContext(Path dir) throws Exception {
        return selfSignedContext(dir, "ip:127.0.0.1,dns:localhost");
    }

    /**
     * A client context of {@code protocol} (say {@code "TLSv1.2"}: no newer version offered) that trusts the
     * certificate {@link #selfSignedContext(Path)} made in {@code dir}.
     */
    static SSLContext trustingContext(Path dir, String protocol) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(keystoreName("ip:127.0.0.1,dns:localhost")))) {
            ks.load(in, PASSWORD);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext context = SSLContext.getInstance(protocol);
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static String keystoreName(String san) {
        return "server-" + Integer.toHexString(san.hashCode()) + ".p12";
    }

    /** As {@link #selfSignedContext(Path)}, for the subject alternative names {@code san} (keytool syntax). */
    static SSLContext selfSignedContext(Path dir, String san) throws Exception {
        Path keystore = dir.resolve(keystoreName(san));
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=" + san, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("keytool did not finish: " + output);
        }
        if (p.exitValue() != 0 || !Files.exists(keystore)) {
            fail("keytool failed with exit code " + p.exitValue() + ": " + output);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }
}
