package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpMethod;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.aot.hint.annotation.Reflective;
import org.springframework.core.annotation.AliasFor;

/**
 * Marks a bean method that answers HTTP requests on the ringhttp server.
 *
 * <p>Paths are Spring {@code PathPattern}s and mean exactly what they mean in
 * Spring MVC: {@code /users/{id}}, {@code /static/**}, {@code /files/{*path}}.
 * Arguments may be the core {@code HttpRequest} or {@code HttpResponse},
 * {@code @PathVariable}, {@code @RequestParam} and {@code @RequestHeader}
 * values (converted with Spring's conversion service), and a
 * {@code @RequestBody} as {@code String}, {@code byte[]}, {@code ByteBuffer}
 * or a JSON-bound object. Return a {@code ResponseEntity}, {@code String}
 * (text/plain), {@code byte[]} or a static {@code ByteBuffer}
 * (application/octet-stream), an object (JSON), nothing (204), or a
 * {@code CompletableFuture} of any of these. A {@code void} method that takes
 * the core {@code HttpResponse} fills it itself: the allocation-free way to
 * answer with a static body and a content type of your choice.
 *
 * <p>The method runs on the server's event loop thread: it must not block.
 * Return a future for anything slow and complete it from another thread.
 *
 * <p>Processed ahead of time, the method is registered for invocation and
 * its body types for JSON binding ({@link HttpRouteReflectiveProcessor}), so
 * routes work in a native image.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(HttpRouteReflectiveProcessor.class)
public @interface HttpRoute {

    /** Path patterns; alias of {@link #path()}. */
    @AliasFor("path")
    String[] value() default {};

    /** Path patterns this method answers. */
    @AliasFor("value")
    String[] path() default {};

    /** Methods this route answers; HEAD is answered from GET, OPTIONS from the routes. */
    HttpMethod[] method() default HttpMethod.GET;
}
