package dev.ringhttp.autoconfigure.websocket;

/**
 * Writes the values sessions and broadcasts send as JSON text messages: the application's
 * Jackson 3 {@code JsonMapper} where Jackson is on the classpath. HTTP bodies do not come
 * here; they go through spring-web's message converters.
 */
@FunctionalInterface
public interface JsonMessages {

    byte[] write(Object value) throws Exception;
}
