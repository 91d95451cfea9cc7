package dev.ringhttp.autoconfigure.server;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Value;

/**
 * Injects the port the ringhttp server is bound to ({@code local.ringhttp.port}),
 * typically in tests started on a free port
 * ({@code @SpringBootTest(webEnvironment = RANDOM_PORT)}, or
 * {@code ringhttp.server.port=0}). Boot's {@code @LocalServerPort} injects
 * the same port where Boot runs the application in its web-server context.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Value("${" + RingHttpServerLifecycle.PORT_PROPERTY + "}")
public @interface LocalRingHttpPort {
}
