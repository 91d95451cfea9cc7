package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What argument resolvers read for one dispatch. One instance belongs to the
 * dispatcher and is refilled for every request: handlers run one at a time
 * on the event loop, so it is never shared between two calls in progress.
 */
final class Invocation {

    // Set by reset() before any resolver reads them.
    @SuppressWarnings("NullAway.Init")
    HttpRequest request;
    @SuppressWarnings("NullAway.Init")
    HttpResponse response;
    @SuppressWarnings("NullAway.Init")
    Map<String, String> pathVariables;
    /** What the filters attached to this request: its principal (or null) and attributes. */
    @Nullable Principal principal;
    Map<String, Object> attributes = Map.of();
    private @Nullable Map<String, String> query;

    void reset(HttpRequest request, HttpResponse response, Map<String, String> pathVariables) {
        reset(request, response, pathVariables, null, Map.of());
    }

    void reset(HttpRequest request, HttpResponse response, Map<String, String> pathVariables,
            @Nullable Principal principal, Map<String, Object> attributes) {
        this.request = request;
        this.response = response;
        this.pathVariables = pathVariables;
        this.principal = principal;
        this.attributes = attributes;
        this.query = null;
    }

    /** The first value of query parameter {@code name}, decoded, or null. Parses the query on first use. */
    @Nullable String queryParameter(String name) {
        if (query == null) {
            query = parseQuery(request.query());
        }
        return query.get(name);
    }

    static Map<String, String> parseQuery(@Nullable String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            values.putIfAbsent(name, value);
        }
        return values;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("malformed percent-encoding in the query string");
        }
    }
}
