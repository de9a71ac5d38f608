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
 * (The session builder offers no way to pass an SSLContext, so a trusting session is not tested here.)
 * Real time: the handshakes are real ones on loopback.
 */
@RealTime
class TlsVerificationTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @AsyncioTest
    void aSelfSignedCertificateFailsTheHandshakeOfADefaultSession(Runner runner, @TempDir Path dir) throws Exception {
        SSLContext serverContext = selfSignedContext(dir);
        try (TestServer server = TestServer.startTls(serverContext).dispatcher(r -> Reply.ok("ok"));
             ClientSession session = ClientSession.builder().build()) {
            String url = server.url("/");

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

    /** As {@link #selfSignedContext(Path)}, for the subject alternative names {@code san} (keytool syntax). */
    static SSLContext selfSignedContext(Path dir, String san) throws Exception {
        Path keystore = dir.resolve("server-" + Integer.toHexString(san.hashCode()) + ".p12");
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
