package io.asyncio4j.http;

import java.time.Duration;

/**
 * The time limits of a request (aiohttp's {@code ClientTimeout}); a null component means no limit.
 *
 * <ul>
 *   <li>{@code total}: the whole request, from waiting for a connection slot (the session's limits) to the
 *       last byte of the body, measured on the loop clock with {@link io.asyncio4j.Asyncio#timeout}.</li>
 *   <li>{@code connect}: opening the TCP (and TLS) connection: on the loop clock around a connect on the
 *       loop's selector (plain http), in real time as the socket's connect timeout on a TLS socket.</li>
 *   <li>{@code sockRead}: the longest wait for the response headers after sending the request, and then
 *       between two chunks of the body.</li>
 * </ul>
 * A limit that passes raises {@link ClientTimeoutError}. {@link #DEFAULT} is aiohttp's default: total
 * 5 minutes, nothing else.
 *
 * @param total    the limit on the whole request, or null
 * @param connect  the limit on opening a connection, or null
 * @param sockRead the limit on each wait for data from the server, or null
 */
public record ClientTimeout(Duration total, Duration connect, Duration sockRead) {
    /** Total 5 minutes, no connect or read limit (aiohttp's default). */
    public static final ClientTimeout DEFAULT = new ClientTimeout(Duration.ofMinutes(5), null, null);

    /** No limit at all. */
    public static final ClientTimeout NONE = new ClientTimeout(null, null, null);

    /** Checks that every given limit is positive. */
    public ClientTimeout {
        check("total", total);
        check("connect", connect);
        check("sockRead", sockRead);
    }

    /** A timeout with only a {@code total} limit. */
    public static ClientTimeout ofTotal(Duration total) {
        return new ClientTimeout(total, null, null);
    }

    private static void check(String name, Duration d) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException("ClientTimeout." + name + " must be positive or null, got " + d);
        }
    }
}
