package io.asyncio4j.cli;

import static io.asyncio4j.cli.FetchTestSupport.assertOneLineUsageError;
import static io.asyncio4j.cli.FetchTestSupport.fetch;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.asyncio4j.cli.FetchTestSupport.Result;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;
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
     * Connection 0 answers one request; the second GET goes out on it (kept alive in the client's pool), and
     * the server closes it without a byte of answer: the client itself sends the GET again on a fresh
     * connection. Two requests went out for the second URL, and its line says so.
     */
    @Test
    void attemptsCountsTheClientsResendOnAFreshConnection() throws Exception {
        try (TestServer server = TestServer.start(request ->
                request.connection() == 0 && request.sequence() == 1 ? Reply.hangUp() : Reply.ok("ok"))) {
            Result r = fetch("-c", "1", server.url("/first"), server.url("/second"));
            assertEquals(0, r.exit(), r.toString());
            Map<String, Map<String, Object>> lines = new java.util.HashMap<>();
            r.lines().forEach(m -> lines.put((String) m.get("url"), m));
            assertEquals(1, lines.get(server.url("/first")).get("attempts"), r.out());
            assertEquals(2, lines.get(server.url("/second")).get("attempts"), r.out());
            assertEquals(List.of("GET /first HTTP/1.1 (connection 0, request 0)",
                    "GET /second HTTP/1.1 (connection 0, request 1)", "GET /second HTTP/1.1 (connection 1, request 0)"),
                    server.requests().stream().map(Object::toString).toList());
        }
    }
}
