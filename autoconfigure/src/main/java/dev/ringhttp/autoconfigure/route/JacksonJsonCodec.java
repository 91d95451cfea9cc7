package dev.ringhttp.autoconfigure.route;

import java.lang.reflect.Type;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/** {@link JsonCodec} over Spring Boot 4's Jackson 3 {@code JsonMapper}. */
public final class JacksonJsonCodec implements JsonCodec {

    private final JsonMapper mapper;

    public JacksonJsonCodec(JsonMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public @Nullable Object read(byte[] json, Type type) {
        return mapper.readValue(json, mapper.constructType(type));
    }

    @Override
    public byte[] write(Object value) {
        return mapper.writeValueAsBytes(value);
    }
}
