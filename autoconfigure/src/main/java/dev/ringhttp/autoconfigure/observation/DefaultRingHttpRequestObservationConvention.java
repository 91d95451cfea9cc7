package dev.ringhttp.autoconfigure.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * The key names and values of Spring MVC's and WebFlux's server observations,
 * so that dashboards and alerts built on {@code http_server_requests_seconds}
 * read ringhttp's requests unchanged.
 *
 * <p>Low cardinality: {@code method}; {@code uri}, the matched pattern, or
 * {@code REDIRECTION}, {@code NOT_FOUND} or {@code UNKNOWN} when none matched
 * (never the raw path, which would make one series per URL); {@code status};
 * {@code outcome}, the status class ({@code SUCCESS}, {@code CLIENT_ERROR},
 * ...); {@code exception}, the simple class name of what the handler threw, or
 * {@code none}. High cardinality: {@code http.url}, the request path.
 */
public class DefaultRingHttpRequestObservationConvention implements RingHttpRequestObservationConvention {

    /** The name Spring MVC and WebFlux give their server observations. */
    public static final String DEFAULT_NAME = "http.server.requests";

    static final String UNKNOWN = "UNKNOWN";
    static final String NONE = "none";

    private final String name;

    public DefaultRingHttpRequestObservationConvention() {
        this(DEFAULT_NAME);
    }

    /** @param name  the observation's name, and so the timer's ({@code management.observations.http.server.requests.name}) */
    public DefaultRingHttpRequestObservationConvention(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    /** Spring's span name: {@code http get /users/{id}}. */
    @Override
    public String getContextualName(RingHttpRequestObservationContext context) {
        String method = "http " + context.getMethod().toLowerCase(Locale.ROOT);
        String pattern = context.getPathPattern();
        return pattern == null ? method : method + " " + pattern;
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(RingHttpRequestObservationContext context) {
        return KeyValues.of(method(context), uri(context), status(context), outcome(context), exception(context));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(RingHttpRequestObservationContext context) {
        return KeyValues.of(KeyValue.of("http.url", context.getPath()));
    }

    protected KeyValue method(RingHttpRequestObservationContext context) {
        return KeyValue.of("method", context.getMethod());
    }

    protected KeyValue uri(RingHttpRequestObservationContext context) {
        String pattern = context.getPathPattern();
        if (pattern != null) {
            return KeyValue.of("uri", pattern.isEmpty() ? "/" : pattern);
        }
        HttpStatus.@Nullable Series series = series(context.getStatus());
        if (series == HttpStatus.Series.REDIRECTION) {
            return KeyValue.of("uri", "REDIRECTION");
        }
        if (context.getStatus() == HttpStatus.NOT_FOUND.value()) {
            return KeyValue.of("uri", "NOT_FOUND");
        }
        return KeyValue.of("uri", UNKNOWN);
    }

    protected KeyValue status(RingHttpRequestObservationContext context) {
        int status = context.getStatus();
        return KeyValue.of("status", status > 0 ? Integer.toString(status) : UNKNOWN);
    }

    protected KeyValue outcome(RingHttpRequestObservationContext context) {
        HttpStatus.@Nullable Series series = series(context.getStatus());
        return KeyValue.of("outcome", series == null ? UNKNOWN : outcomeOf(series));
    }

    protected KeyValue exception(RingHttpRequestObservationContext context) {
        Throwable error = context.getError();
        if (error == null) {
            return KeyValue.of("exception", NONE);
        }
        String simple = error.getClass().getSimpleName();
        // Anonymous and some generated classes have no simple name; their full name still tells them apart.
        return KeyValue.of("exception", simple.isEmpty() ? error.getClass().getName() : simple);
    }

    private static HttpStatus.@Nullable Series series(int status) {
        return status > 0 ? HttpStatus.Series.resolve(status) : null;
    }

    /** The outcome names of Spring's observations, one per status class. */
    private static String outcomeOf(HttpStatus.Series series) {
        return switch (series) {
            case INFORMATIONAL -> "INFORMATIONAL";
            case SUCCESSFUL -> "SUCCESS";
            case REDIRECTION -> "REDIRECTION";
            case CLIENT_ERROR -> "CLIENT_ERROR";
            case SERVER_ERROR -> "SERVER_ERROR";
        };
    }
}
