package io.asyncio4j.cli;

import java.util.Locale;

/**
 * What {@code fetch} found out about one URL: one line of its JSON Lines output.
 *
 * <pre>{@code
 * {"url":"http://127.0.0.1:8080/json","final_url":"http://127.0.0.1:8080/json","status":200,"bytes":71,
 *  "elapsed_ms":3.125,"attempts":1,"error":null}
 * }</pre>
 * (on one line). A URL succeeded when {@link #error} is null: it got a 1xx, 2xx or 3xx response and its
 * whole body. {@code error} is {@code "KIND: message"}, KIND one of {@link ErrorKind}'s labels.
 *
 * @param url          the URL as given
 * @param finalUrl     the URL that answered, after redirects; null when no response came
 * @param status       the status of the last response, or null when none came
 * @param bytes        body bytes read (after gzip/deflate decoding), of the last attempt
 * @param elapsedNanos from the first attempt's start to the end of the last, backoff waits included
 * @param attempts     requests sent for this URL (1 + retries)
 * @param kind         why it failed, or null when it succeeded
 * @param message      the details of the failure, or null
 */
record FetchResult(String url, String finalUrl, Integer status, long bytes, long elapsedNanos, int attempts,
                   ErrorKind kind, String message) {

    /** Why a URL failed; the label starts its {@code error} text and names it in the summary. */
    enum ErrorKind {
        /** --timeout passed before the response and its body were in. */
        TIMEOUT,
        /** Connecting failed or the connection broke (refused, reset, unknown host, malformed response). */
        CONNECTION,
        /** The URL (or a redirect's Location) is not an absolute http(s) URL. */
        INVALID_URL,
        /** More than 10 redirects. */
        TOO_MANY_REDIRECTS,
        /** The response's status is 4xx or 5xx. */
        HTTP_STATUS,
        /** The body is longer than {@code crawl --max-bytes} (reading stopped there). */
        TOO_LARGE,
        /** Anything else the client refused. */
        OTHER;

        /** {@code timeout}, {@code connection}, {@code invalid_url}, ... */
        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether the URL got a response below 400 and its whole body. */
    boolean ok() {
        return kind == null;
    }

    /** The {@code error} field: {@code "KIND: message"}, or null. */
    String error() {
        return kind == null ? null : message == null ? kind.label() : kind.label() + ": " + message;
    }

    /** Appends this result as one JSON object, without a line break. */
    void appendJson(StringBuilder b) {
        b.append("{\"url\":");
        string(b, url);
        b.append(",\"final_url\":");
        string(b, finalUrl);
        b.append(",\"status\":").append(status);
        b.append(",\"bytes\":").append(bytes);
        b.append(",\"elapsed_ms\":");
        millis(b, elapsedNanos);
        b.append(",\"attempts\":").append(attempts);
        b.append(",\"error\":");
        string(b, error());
        b.append('}');
    }

    /** {@code nanos} as milliseconds with three decimals ({@code 212.345}), a JSON number. */
    static void millis(StringBuilder b, long nanos) {
        long micros = nanos / 1000;
        b.append(micros / 1000).append('.');
        long frac = micros % 1000;
        b.append(frac < 10 ? "00" : frac < 100 ? "0" : "").append(frac);
    }

    /** A JSON string (RFC 8259: quote, backslash and control characters escaped), or {@code null}. */
    static void string(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
