package io.asyncio4j.cli;

import static io.asyncio4j.cli.FetchTestSupport.assertOneLineUsageError;
import static io.asyncio4j.cli.FetchTestSupport.fetch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.asyncio4j.cli.FetchTestSupport.Result;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What a new user types and what it means: a bare number for --timeout is seconds, a bare --rate is per
 * second and /h per hour, a negative duration says so, a CR LF in -H is shown as {@code \r\n}, a port out of
 * range is a usage error; and {@code attempts} counts the client's own resend on a fresh connection.
 */
class FetchOptionsTest {

    /** The command after picocli parsed {@code args} into it (nothing is run). */
    private static FetchCommand parsed(String... args) {
        FetchCommand command = new FetchCommand(new ByteArrayInputStream(new byte[0]), fd -> false);
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void aTimeoutWithoutUnitIsSeconds() {
        assertEquals(Duration.ofSeconds(10), parsed("--timeout", "10", "http://127.0.0.1/").timeout());
        assertEquals(Duration.ofMillis(1500), parsed("--timeout", "1.5", "http://127.0.0.1/").timeout());
    }

    @Test
    void aBareRateIsPerSecondAndSlashHIsPerHour() {
        assertEquals(5.0, parsed("--rate", "5", "http://127.0.0.1/").ratePerSecond());
        assertEquals(5.0 / 3600, parsed("--rate", "5/h", "http://127.0.0.1/").ratePerSecond(), 1e-12);
        assertEquals(2.0, parsed("--rate", "120/m", "http://127.0.0.1/").ratePerSecond(), 1e-12);
    }

    @Test
    void aNegativeDurationSaysItMustNotBeNegative() {
        assertOneLineUsageError(fetch("--timeout=-5s", "http://127.0.0.1/"),
                "Invalid value for option '--timeout': '-5s' must not be negative");
        assertOneLineUsageError(fetch("--retry-delay=-1", "http://127.0.0.1/"),
                "Invalid value for option '--retry-delay': '-1' must not be negative");
    }

    @Test
    void aCrLfInAHeaderIsShownAsBackslashRBackslashN() {
        assertOneLineUsageError(fetch("-H", "X-Note: a\r\nX-Evil: 1", "http://127.0.0.1/"),
                "Invalid value for option '--header': 'X-Note: a\\r\\nX-Evil: 1': invalid header value for header"
                        + " \"X-Note\": \"a\\r\\nX-Evil: 1\" (CR, LF, NUL and characters above U+00FF cannot be sent)");
    }

    @Test
    void aPortAbove65535IsAUsageError() {
        assertOneLineUsageError(fetch("http://127.0.0.1:99999/"),
                "Invalid URL 'http://127.0.0.1:99999/': port 99999 out of range (1 to 65535)");
    }

    /**
     * Connection 0 answers one request and then the server closes it while it idles in the client's pool;
     * later connections answer every request. The second GET goes out on the closed connection, fails
     * without a byte of answer and is sent again on a fresh one by the client itself: two requests went out.
     */
    @Test
    void attemptsCountsTheClientsResendOnAFreshConnection() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofPlatform().daemon().name("resend-test-server").start(() -> serve(listener));
            String base = "http://127.0.0.1:" + listener.getLocalPort();
            Result r = fetch("-c", "1", base + "/first", base + "/second");
            assertEquals(0, r.exit(), r.toString());
            Map<String, Map<String, Object>> lines = new java.util.HashMap<>();
            r.lines().forEach(m -> lines.put((String) m.get("url"), m));
            assertEquals(1, lines.get(base + "/first").get("attempts"), r.out());
            assertEquals(2, lines.get(base + "/second").get("attempts"), r.out());
            listener.close();
            server.join(5_000);
        }
    }

    private static void serve(ServerSocket listener) {
        try {
            for (int n = 0; ; n++) {
                Socket s = listener.accept();
                int connection = n;
                Thread.ofPlatform().daemon().start(() -> {
                    try (s) {
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        while (readHead(in)) {
                            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            if (connection == 0) {
                                return; // closed while the client keeps it for the next request
                            }
                        }
                    } catch (IOException e) {
                        // the client went away
                    }
                });
            }
        } catch (IOException e) {
            // the listener was closed: the test is over
        }
    }

    /** Reads a request head up to its blank line; false at the end of the stream. */
    private static boolean readHead(InputStream in) throws IOException {
        int matched = 0;
        for (int c; (c = in.read()) >= 0; ) {
            matched = c == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : c == '\r' ? 1 : 0;
            if (matched == 4) {
                return true;
            }
        }
        return false;
    }
}
