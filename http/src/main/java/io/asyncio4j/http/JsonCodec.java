package io.asyncio4j.http;

/**
 * Turns JSON bytes into Java values and back, for {@link Response#json} and {@link ClientSession#postJson}
 * (the role of aiohttp's {@code json.loads}/{@code json_serialize} hooks). The default,
 * {@link #jackson()}, uses Jackson 3; give a session another one with
 * {@link ClientSession.Builder#jsonCodec(JsonCodec)}.
 *
 * <p>Implementations must be thread-safe: one codec serves every task and transport thread of a session.
 */
public interface JsonCodec {
    /**
     * Decodes {@code json} (UTF-8, UTF-16 or UTF-32, as RFC 8259 allows) into a {@code type}.
     *
     * @throws InvalidJson when {@code json} is not valid JSON or does not fit {@code type}
     */
    <T> T decode(byte[] json, Class<T> type);

    /**
     * Decodes {@code json} into plain values: a {@code Map<String, Object>} (keys in document order) for an
     * object, a {@code List<Object>} for an array, {@link String}, a {@link Number} ({@link Integer},
     * {@link Long}, {@link java.math.BigInteger} or {@link Double}, the narrowest that holds it),
     * {@link Boolean}, or null.
     *
     * @throws InvalidJson when {@code json} is not valid JSON
     */
    Object decode(byte[] json);

    /**
     * Encodes {@code value} as UTF-8 JSON.
     *
     * @throws IllegalArgumentException when {@code value} cannot be written as JSON
     */
    byte[] encode(Object value);

    /**
     * The Jackson 3 codec ({@code tools.jackson.databind}) with its default settings, shared. To decode into
     * your own classes from a named module, open their package to {@code tools.jackson.databind}.
     *
     * <p>Jackson is loaded on the first encode or decode, not here: on a class path without Jackson, sessions
     * work for everything but JSON, and the first JSON call throws {@link IllegalStateException} naming the
     * missing jar.
     *
     * @return the shared codec
     */
    static JsonCodec jackson() {
        return DefaultJsonCodec.INSTANCE;
    }
}
