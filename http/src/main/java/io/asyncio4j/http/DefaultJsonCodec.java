package io.asyncio4j.http;

/**
 * The codec {@link JsonCodec#jackson()} returns: {@link JacksonCodec}, reached only when JSON is first
 * encoded or decoded. So a session built on a class path without Jackson works for every request that does
 * not touch JSON, and the first one that does fails with a message naming the missing jar rather than with
 * {@link NoClassDefFoundError}.
 */
final class DefaultJsonCodec implements JsonCodec {
    static final DefaultJsonCodec INSTANCE = new DefaultJsonCodec();

    private DefaultJsonCodec() {
    }

    /** {@link JacksonCodec}, whose class links only when Jackson's classes can be loaded. */
    private static JsonCodec jackson() {
        try {
            return JacksonCodec.INSTANCE;
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("JSON needs Jackson 3 on the class path, and it is missing ("
                    + e.getMessage() + "): add the jar tools.jackson.core:jackson-databind (3.x) and its "
                    + "dependencies, or give the session another codec with ClientSession.Builder.jsonCodec(...)", e);
        }
    }

    @Override
    public <T> T decode(byte[] json, Class<T> type) {
        return jackson().decode(json, type);
    }

    @Override
    public Object decode(byte[] json) {
        return jackson().decode(json);
    }

    @Override
    public byte[] encode(Object value) {
        return jackson().encode(value);
    }

    @Override
    public String toString() {
        return "JsonCodec[jackson]";
    }
}
