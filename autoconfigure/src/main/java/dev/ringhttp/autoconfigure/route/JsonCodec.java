package dev.ringhttp.autoconfigure.route;

import java.lang.reflect.Type;
import org.jspecify.annotations.Nullable;

/** Reads and writes JSON bodies; backed by the application's Jackson {@code JsonMapper} when present. */
public interface JsonCodec {

    /** The value {@code json} holds; null for JSON {@code null}. */
    @Nullable Object read(byte[] json, Type type) throws Exception;

    byte[] write(Object value) throws Exception;
}
