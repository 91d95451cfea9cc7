package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.HttpRequest;
import java.lang.reflect.Method;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.util.pattern.PathPattern;

/**
 * One {@code @HttpRoute} pattern of one bean method: which methods it answers
 * and how to invoke it. A method with several patterns gives several routes
 * sharing one invoker.
 */
final class Route {

    private final PathPattern pattern;
    private final boolean[] accepts = new boolean[HttpMethod.values().length];
    private final HandlerInvoker invoker;
    private final @Nullable String literalPath;
    private final @Nullable BlockingExecutor blocking;
    private final MediaTypes mediaTypes;
    private final @Nullable CorsConfiguration cors;

    Route(PathPattern pattern, Set<HttpMethod> methods, HandlerInvoker invoker) {
        this(pattern, methods, invoker, null, MediaTypes.ANY, null);
    }

    /**
     * @param blocking   where the method runs when it may block; null: on the loop
     * @param mediaTypes what it consumes and produces ({@code @HttpRoute}'s {@code consumes}, {@code produces})
     * @param cors       its CORS configuration ({@code @CrossOrigin} and the global one); null: none
     */
    Route(PathPattern pattern, Set<HttpMethod> methods, HandlerInvoker invoker, @Nullable BlockingExecutor blocking,
            MediaTypes mediaTypes, @Nullable CorsConfiguration cors) {
        this.cors = cors;
        this.pattern = pattern;
        this.invoker = invoker;
        this.blocking = blocking;
        this.mediaTypes = mediaTypes;
        for (HttpMethod m : methods) {
            accepts[m.ordinal()] = true;
        }
        // A pattern without variables or wildcards matches exactly its own text (for unencoded paths),
        // so it can be compared in place before any parsing.
        this.literalPath = pattern.hasPatternSyntax() ? null : pattern.getPatternString();
    }

    PathPattern pattern() {
        return pattern;
    }

    String patternString() {
        return pattern.getPatternString();
    }

    /** The exact path this route matches when it has no pattern syntax, else null. */
    @Nullable String literalPath() {
        return literalPath;
    }

    HandlerInvoker invoker() {
        return invoker;
    }

    /**
     * Checks the request against what the route consumes and produces; returns the media type to
     * answer with, or null when the route declares none. Throws the 415 or 406 to answer.
     */
    @Nullable MediaType negotiate(HttpRequest request) {
        return mediaTypes.negotiate(request);
    }

    /** The CORS configuration that applies to this route; null when none does. */
    @Nullable CorsConfiguration cors() {
        return cors;
    }

    /** The executor the method runs on, off the loop; null for a route that runs on the loop. */
    @Nullable BlockingExecutor blocking() {
        return blocking;
    }

    Method method() {
        return invoker.method();
    }

    /** Whether this route answers {@code method}; HEAD is answered by GET routes. */
    boolean accepts(HttpMethod method) {
        return accepts[method.ordinal()] || (method == HttpMethod.HEAD && accepts[HttpMethod.GET.ordinal()]);
    }

    boolean declares(HttpMethod method) {
        return accepts[method.ordinal()];
    }

    @Override
    public String toString() {
        return patternString() + " -> " + invoker.description();
    }
}
