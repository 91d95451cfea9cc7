package dev.ringhttp.autoconfigure.route;

import java.lang.reflect.Type;

/** Reads and writes JSON bodies; backed by the application's Jackson {@code JsonMapper} when present. */
public interface JsonCodec {

    Object read(byte[] json, Type type) throws Exception;

    byte[] write(Object value) throws Exception;
}
