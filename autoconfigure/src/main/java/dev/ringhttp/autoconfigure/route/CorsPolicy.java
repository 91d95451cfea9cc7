package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Adds CORS headers from {@code ringhttp.server.cors.*}. With no allowed
 * origins it does nothing. The header values are joined once, at start-up.
 */
public final class CorsPolicy {

    private final List<String> origins;
    private final boolean anyOrigin;
    private final @Nullable String methods;
    private final @Nullable String headers;
    private final int maxAgeSeconds;

    /** @param maxAge how long browsers may cache a preflight answer; null sends no {@code Access-Control-Max-Age} */
    public CorsPolicy(List<String> origins, List<String> methods, List<String> headers, @Nullable Duration maxAge) {
        this.origins = List.copyOf(origins);
        this.anyOrigin = origins.contains("*");
        this.methods = methods.isEmpty() ? null : String.join(", ", methods);
        this.headers = headers.isEmpty() ? null : String.join(", ", headers);
        this.maxAgeSeconds = maxAge == null ? -1 : (int) Math.min(Integer.MAX_VALUE, maxAge.toSeconds());
    }

    public static CorsPolicy disabled() {
        return new CorsPolicy(List.of(), List.of(), List.of(), null);
    }

    public boolean enabled() {
        return !origins.isEmpty();
    }

    /** Adds the allow-origin header to a normal response when the request's Origin is allowed. */
    public void apply(HttpRequest request, HttpResponse response) {
        if (!enabled()) {
            return;
        }
        String origin = allowedOrigin(request);
        if (origin != null) {
            response.cors(origin, null, null, -1);
        }
    }

    /** Adds the preflight headers; {@code routeMethods} is announced when no methods are configured. */
    public void applyPreflight(HttpRequest request, HttpResponse response, String routeMethods) {
        if (!enabled()) {
            return;
        }
        String origin = allowedOrigin(request);
        if (origin != null) {
            response.cors(origin, methods != null ? methods : routeMethods, headers, maxAgeSeconds);
        }
    }

    private @Nullable String allowedOrigin(HttpRequest request) {
        String origin = request.header("Origin");
        if (origin == null) {
            return null;
        }
        if (anyOrigin) {
            return "*";
        }
        return origins.contains(origin) ? origin : null;
    }
}
