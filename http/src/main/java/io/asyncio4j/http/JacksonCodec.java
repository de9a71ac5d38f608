package io.asyncio4j.http;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** {@link JsonCodec} on a Jackson 3 {@link JsonMapper} with its defaults (thread-safe once built). */
final class JacksonCodec implements JsonCodec {
    static final JacksonCodec INSTANCE = new JacksonCodec();

    // immutable in Jackson 3, so shared by every thread
    private final JsonMapper mapper = JsonMapper.builder().build();

    private JacksonCodec() {
    }

    @Override
    public <T> T decode(byte[] json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
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
            return mapper.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot encode as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "JsonCodec[jackson]";
    }
}
