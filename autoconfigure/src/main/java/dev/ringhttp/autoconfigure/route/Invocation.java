package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.autoconfigure.security.RequestValues;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * What argument resolvers read for one dispatch. One instance belongs to the
 * dispatcher and is refilled for every request: handlers run one at a time
 * on the event loop, so it is never shared between two calls in progress.
 */
final class Invocation {

    private static final String FORM = "application/x-www-form-urlencoded";

    // Set by reset() before any resolver reads them.
    @SuppressWarnings("NullAway.Init")
    HttpRequest request;
    @SuppressWarnings("NullAway.Init")
    HttpResponse response;
    @SuppressWarnings("NullAway.Init")
    Map<String, String> pathVariables;
    private @Nullable MultiValueMap<String, String> parameters;
    /** What the filters attached to this request: its principal (or null) and attributes. */
    @Nullable Principal principal;
    Map<String, Object> attributes = Map.of();

    void reset(HttpRequest request, HttpResponse response, Map<String, String> pathVariables) {
        reset(request, response, pathVariables, null, Map.of());
    }

    void reset(HttpRequest request, HttpResponse response, Map<String, String> pathVariables,
            @Nullable Principal principal, Map<String, Object> attributes) {
        this.request = request;
        this.response = response;
        this.pathVariables = pathVariables;
        this.parameters = null;
        this.principal = principal;
        this.attributes = attributes;
    }

    /** The first value of request parameter {@code name}, decoded, or null. */
    @Nullable String queryParameter(String name) {
        return parameters().getFirst(name);
    }

    /**
     * The request parameters as Spring MVC has them: the query's, then those of a form body
     * ({@code application/x-www-form-urlencoded}), each name with its values in order. Parsed on
     * first use.
     */
    MultiValueMap<String, String> parameters() {
        MultiValueMap<String, String> p = parameters;
        if (p == null) {
            p = new LinkedMultiValueMap<>();
            parse(request.query(), p);
            if (isForm(request)) {
                parse(StandardCharsets.UTF_8.decode(request.body().duplicate()).toString(), p);
            }
            parameters = p;
        }
        return p;
    }

    static boolean isForm(HttpRequest request) {
        String type = request.header("Content-Type");
        return type != null && type.regionMatches(true, 0, FORM, 0, FORM.length())
                && (type.length() == FORM.length() || type.charAt(FORM.length()) == ';'
                        || type.charAt(FORM.length()) == ' ');
    }

    /** Adds the {@code name=value} pairs of {@code raw} (a query or form body), decoded, to {@code into}. */
    private static void parse(@Nullable String raw, MultiValueMap<String, String> into) {
        try {
            RequestValues.parameters(raw, into);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("malformed percent-encoding in the request parameters");
        }
    }
}
