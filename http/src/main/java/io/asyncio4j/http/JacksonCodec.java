package io.asyncio4j.http;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link JsonCodec} on a Jackson 3 {@link JsonMapper} with its defaults (thread-safe once built).
 *
 * <p>The mapper is built on the first encode or decode, not when a session is built: loading and
 * initialising Jackson takes a few hundred milliseconds of CPU on the calling thread (the loop thread,
 * when called from a task), which a session that never touches JSON should not pay.
 */
final class JacksonCodec implements JsonCodec {
    static final JacksonCodec INSTANCE = new JacksonCodec();

    private JacksonCodec() {
    }

    /** Lazy holder: the JVM builds the mapper once, on first use, under its class-initialisation lock. */
    private static final class Holder {
        // immutable in Jackson 3, so shared by every thread
        static final JsonMapper MAPPER = JsonMapper.builder().build();
    }

    @Override
    public <T> T decode(byte[] json, Class<T> type) {
        try {
            return Holder.MAPPER.readValue(json, type);
        } catch (JacksonException e) {
            throw new InvalidJson("cannot decode JSON as " + type.getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public Object decode(byte[] json) {
        return decode(json, Object.class);
    }

    @Override
    public byte[] encode(Object value) {
        try {
            return Holder.MAPPER.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot encode as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "JsonCodec[jackson]";
    }
}
