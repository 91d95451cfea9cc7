package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.util.StringUtils;
import org.springframework.web.cors.CorsConfiguration;

/**
 * Answers CORS for a route with a {@link CorsConfiguration}, the way spring-web's
 * {@code DefaultCorsProcessor} does, from the configuration's own checks ({@code checkOrigin},
 * {@code checkHttpMethod}, {@code checkHeaders}) on the core request: the processor itself would
 * need spring's server request and response adapters for every request.
 *
 * <p>Every answer of such a route varies by {@code Origin} and the preflight request headers, so
 * caches keep them apart. A request without {@code Origin}, or from the server's own origin, is
 * not a CORS request and gets no other header. An origin, method or header the configuration
 * does not allow is refused with 403 and no CORS header, on a preflight as on an actual request.
 */
final class CorsProcessing {

    static final String VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
    private static final String ORIGIN = "Origin";
    private static final String REQUEST_METHOD = "Access-Control-Request-Method";
    private static final String REQUEST_HEADERS = "Access-Control-Request-Headers";
    private static final String HTTP = "http://";
    private static final ByteBuffer FORBIDDEN_BODY = ProblemWriter.constant(403);

    private CorsProcessing() {
    }

    /** Whether {@code request} is a preflight: OPTIONS with an Origin and the method it asks for. */
    static boolean isPreflight(HttpRequest request) {
        return request.method() == dev.ringhttp.core.HttpMethod.OPTIONS && request.header(ORIGIN) != null
                && request.header(REQUEST_METHOD) != null;
    }

    /**
     * Adds the headers of an actual (not preflight) request; returns false once it has answered
     * 403 for an origin not allowed. Allocates nothing for a request without {@code Origin}.
     */
    static boolean actual(CorsConfiguration config, HttpRequest request, HttpResponse response) {
        response.header("Vary", VARY);
        String origin = request.header(ORIGIN);
        if (origin == null || sameOrigin(origin, request)) {
            return true;
        }
        String allowed = config.checkOrigin(origin);
        if (allowed == null) {
            refuse(response);
            return false;
        }
        response.cors(allowed, null, null, -1);
        List<String> exposed = config.getExposedHeaders();
        if (exposed != null && !exposed.isEmpty()) {
            response.header("Access-Control-Expose-Headers", String.join(", ", exposed));
        }
        allowCredentials(config, response);
        return true;
    }

    /**
     * Answers a preflight for a route with {@code config} (204 with the allowed origin, methods and
     * headers) or refuses it (403); returns the status.
     */
    static int preflight(CorsConfiguration config, HttpRequest request, HttpResponse response) {
        response.header("Vary", VARY);
        String origin = request.header(ORIGIN);
        String allowedOrigin = origin == null ? null : config.checkOrigin(origin);
        HttpMethod requested = HttpMethod.valueOf(request.header(REQUEST_METHOD).trim());
        List<HttpMethod> allowedMethods = config.checkHttpMethod(requested);
        List<String> requestedHeaders = headerList(request.header(REQUEST_HEADERS));
        List<String> allowedHeaders = config.checkHeaders(requestedHeaders);
        if (allowedOrigin == null || allowedMethods == null
                || (!requestedHeaders.isEmpty() && allowedHeaders == null)) {
            return refuse(response);
        }
        List<String> methodNames = new ArrayList<>(allowedMethods.size());
        allowedMethods.forEach(m -> methodNames.add(m.name()));
        Long maxAge = config.getMaxAge();
        response.cors(allowedOrigin, String.join(", ", methodNames),
                allowedHeaders == null || allowedHeaders.isEmpty() ? null : String.join(", ", allowedHeaders),
                maxAge == null ? -1 : (int) Math.min(Integer.MAX_VALUE, maxAge));
        allowCredentials(config, response);
        if (Boolean.TRUE.equals(config.getAllowPrivateNetwork())
                && "true".equalsIgnoreCase(request.header("Access-Control-Request-Private-Network"))) {
            response.header("Access-Control-Allow-Private-Network", "true");
        }
        response.status(204);
        return 204;
    }

    private static void allowCredentials(CorsConfiguration config, HttpResponse response) {
        if (Boolean.TRUE.equals(config.getAllowCredentials())) {
            response.header("Access-Control-Allow-Credentials", "true");
        }
    }

    private static int refuse(HttpResponse response) {
        response.status(403).contentType(ProblemWriter.PROBLEM_JSON).body(FORBIDDEN_BODY);
        return 403;
    }

    /**
     * Whether {@code origin} is the server's own as the request names it ({@code Host}): a
     * same-origin request, which CORS leaves alone. The server speaks plain HTTP.
     */
    private static boolean sameOrigin(String origin, HttpRequest request) {
        String host = request.header("Host");
        if (host == null || !origin.regionMatches(true, 0, HTTP, 0, HTTP.length())) {
            return false;
        }
        String originHost = origin.substring(HTTP.length());
        return originHost.equalsIgnoreCase(host) || originHost.equalsIgnoreCase(host + ":80")
                || (originHost + ":80").equalsIgnoreCase(host);
    }

    private static List<String> headerList(@Nullable String value) {
        List<String> headers = new ArrayList<>();
        if (value != null) {
            for (String h : StringUtils.tokenizeToStringArray(value, ",")) {
                headers.add(h);
            }
        }
        return headers;
    }
}
