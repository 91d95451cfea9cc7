package dev.ringhttp.autoconfigure.websocket;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.aot.hint.annotation.Reflective;
import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a {@link WsListener} bean that handles WebSocket connections on a
 * path (a Spring {@code PathPattern}). The path is also a broadcast channel:
 * {@link WebSocketMessenger#broadcast(String, String)} with the channel name
 * reaches every connection the handler accepted. Handlers sharing a
 * {@link #channel()} share one channel.
 *
 * <p>Callbacks run on the server's event loop: they must not block.
 * Processed ahead of time, the bean's class is registered for reflection
 * ({@code @Reflective}), so that its annotation is found in a native image.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
@Reflective
public @interface WsHandler {

    /** The path clients upgrade on; alias of {@link #path()}. */
    @AliasFor("path")
    String value() default "";

    @AliasFor("value")
    String path() default "";

    /** The broadcast channel of this handler's connections; defaults to the path. */
    String channel() default "";

    /**
     * Handshake headers each session keeps, by name ({@link WsSession#handshakeHeader}); none by
     * default, so that a session holds no more than it needs.
     */
    String[] keepHeaders() default {};

    /** Handshake cookies each session keeps, by name ({@link WsSession#cookie}); none by default. */
    String[] keepCookies() default {};
}
