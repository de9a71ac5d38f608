package io.asyncio4j.http;

import java.io.IOException;
import java.net.Socket;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * How one session's https connections set TLS up: the context (the session's, else the JDK's default), and
 * the parameters every engine ({@link TlsChannel}) and every blocking TLS socket gets. The cipher suites are
 * the JDK's, in its order (AES-256-GCM first): AES-128-GCM first was measured to save about 0.14 µs of the
 * JDK's CPU per request of W8 ({@code TlsFloor} in the benchmarks), too little to override the JDK's choice.
 *
 * <p>What the user sees, for every https connection:
 * <ul>
 *   <li>The server's certificate must name the URL's host (endpoint identification {@code "HTTPS"}), the
 *       host name goes out as SNI (not an IP literal), ALPN offers {@code http/1.1}.</li>
 *   <li>After a handshake with an origin ends in TLS 1.2, the session's next connections to that origin
 *       offer TLS 1.2 only, so they resume its TLS session without first computing the TLS 1.3 key shares
 *       (an X25519 and a P-256 key pair) that the server would not use: a resumed handshake then costs the
 *       JDK about a quarter of the CPU. A handshake with that origin that ends in TLS 1.3, or fails, ends
 *       the rule for it: the next connection offers every version again. The first
 *       handshake with an origin always offers TLS 1.3, whose downgrade protection checks that a TLS 1.2
 *       answer is the server's own choice.</li>
 * </ul>
 *
 * <p>Thread-safety: the context is set before the first request and taken on the first https connection
 * (a benign race: every taker sees the same default context); the origins that spoke TLS 1.2 are a
 * concurrent set, since a session used from tasks of another loop opens blocking sockets on their threads.
 */
final class TlsSetup {
    private static final String TLS12 = "TLSv1.2";

    // the session's context, else the JDK's default taken on the first https connection; see Thread-safety
    private volatile SSLContext context;
    // the origins (the pool's keys) whose last handshake ended in TLS 1.2; any thread
    private final Set<String> tls12 = ConcurrentHashMap.newKeySet();

    /** Uses {@code context} for https instead of the JDK's default; before the first request. */
    void context(SSLContext context) {
        this.context = context;
    }

    /** A client-mode engine for {@code host} (a bracketed IPv6 literal loses its brackets) of {@code origin}. */
    SSLEngine engine(String origin, String host, int port) throws IOException {
        String name = bare(host);
        SSLEngine engine = context().createSSLEngine(name, port);
        engine.setUseClientMode(true);
        engine.setSSLParameters(parameters(engine.getSSLParameters(), origin, name));
        return engine;
    }

    /** A client TLS socket over the connected {@code s} to {@code host} of {@code origin}, before its handshake. */
    SSLSocket socket(Socket s, String origin, String host, int port) throws IOException {
        String name = bare(host);
        SSLSocket ssl = (SSLSocket) context().getSocketFactory().createSocket(s, name, port, true);
        ssl.setSSLParameters(parameters(ssl.getSSLParameters(), origin, name));
        return ssl;
    }

    /** Notes how a handshake with {@code origin} ended: {@code session} when it succeeded, else null. */
    void handshaken(String origin, SSLSession session) {
        if (session != null && TLS12.equals(session.getProtocol())) {
            tls12.add(origin);
        } else {
            tls12.remove(origin);
        }
    }

    private SSLContext context() throws IOException {
        SSLContext c = context;
        if (c == null) {
            try {
                context = c = SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IOException("no default TLS context", e);
            }
        }
        return c;
    }

    /** The client parameters of every https connection (see the class comment). */
    private SSLParameters parameters(SSLParameters p, String origin, String name) {
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(name)) {
            p.setServerNames(List.of(new SNIHostName(name)));
        }
        p.setApplicationProtocols(new String[] {"http/1.1"});
        if (tls12.contains(origin) && Arrays.asList(p.getProtocols()).contains(TLS12)) {
            p.setProtocols(new String[] {TLS12});
        }
        return p;
    }

    private static String bare(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(ch -> ch == '.' || (ch >= '0' && ch <= '9'));
    }
}
