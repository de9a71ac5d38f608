package io.asyncio4j.http;

import io.asyncio4j.Asyncio;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The http module on a plain class path without Jackson: this JVM's class path minus the Jackson jars, in a
 * class loader of its own, runs {@link Probe}. Text requests work; the first JSON call names the missing jar.
 */
class NoJacksonClassPathTest {
    @Test
    void aSessionWithoutJacksonServesTextAndTheFirstJsonCallNamesTheMissingJar() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("jackson")) {
                urls.add(toUrl(entry));
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> probe = Class.forName(Probe.class.getName(), true, loader);
            assertTrue(probe.getClassLoader() == loader, "the probe runs in the loader without Jackson");
            @SuppressWarnings("unchecked")
            List<String> seen = (List<String>) probe.getMethod("run").invoke(null);
            assertEquals("hello", seen.get(0));
            assertTrue(seen.get(1).startsWith("IllegalStateException: JSON needs Jackson 3 on the class path"), seen.get(1));
            assertTrue(seen.get(1).contains("tools.jackson.core:jackson-databind"), seen.get(1));
            assertEquals(seen.get(1), seen.get(2), "a second JSON call says the same");
        }
    }

    private static URL toUrl(String entry) {
        try {
            return new File(entry).toURI().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Runs in the loader without Jackson: one text GET from a loopback socket, then two JSON calls. */
    public static final class Probe {
        private Probe() {
        }

        public static List<String> run() throws IOException {
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                Thread.ofPlatform().daemon().start(() -> answerOnce(server));
                String url = "http://127.0.0.1:" + server.getLocalPort() + "/";
                return Asyncio.run(() -> {
                    List<String> seen = new ArrayList<>();
                    try (ClientSession session = ClientSession.builder().build()) {
                        seen.add(session.get(url).text());
                        for (int i = 0; i < 2; i++) {
                            try {
                                JsonCodec.jackson().encode(Map.of("a", 1));
                                seen.add("encoded");
                            } catch (IllegalStateException e) {
                                seen.add("IllegalStateException: " + e.getMessage());
                            }
                        }
                    }
                    return seen;
                });
            }
        }

        private static void answerOnce(ServerSocket server) {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                while (!in.readLine().isEmpty()) {
                    // the request line and headers
                }
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
                        .getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
