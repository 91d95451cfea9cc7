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
 * <p>The method runs on the server's event loop thread, where it must not
 * block: return a future for anything slow and complete it from another
 * thread, or mark the route {@link #blocking()} (a JDBC call, a
 * {@code RestClient} call) to have it run on the bounded executor of blocking
 * routes while the loop serves everyone else.
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

    /** Media types of the bodies this route reads ({@code application/json}); another Content-Type is 415. */
    String[] consumes() default {};

    /**
     * Media types this route answers with, the first by default; an {@code Accept} that none of
     * them satisfies is 406, and the one it prefers is the answer's Content-Type.
     */
    String[] produces() default {};

    /**
     * Whether the method may block: its arguments are read on the loop, then it runs on the
     * executor of blocking routes ({@code ringhttp.routes.blocking-threads} threads, or a virtual
     * thread each on Java 21 and later) and its answer is written back on the loop. When the
     * executor's threads and queue are all taken, the request is answered 503 with
     * {@code Retry-After} at once. Such a method cannot take the core {@code HttpRequest},
     * {@code HttpResponse} or a {@code ByteBuffer} body: they are views of the connection's
     * buffers, which belong to the loop. {@code ringhttp.routes.blocking=true} makes every route
     * that can block a blocking one.
     */
    boolean blocking() default false;
}
