package dev.ringhttp.autoconfigure.security;

import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Runs the {@link RingHttpFilter} beans, in order, on one request at a time,
 * and keeps what they attached (principal, attributes) until the next request.
 *
 * <p>With no filters, {@link #run} is never needed and {@link #principal()}
 * stays null and {@link #attributes()} empty: the dispatcher's path without
 * filters allocates nothing here.
 *
 * <p>What a filter throws answers that request and nothing else: a
 * {@link ResponseStatusException} or an exception annotated with
 * {@link ResponseStatus} with its status (logged at DEBUG: it is how a filter
 * refuses), anything else with 500, logged at ERROR and reported to the
 * failure listener (the handler-error meter). Loop thread only.
 */
public final class RingHttpFilterChain {

    private static final Log LOG = LogFactory.getLog(RingHttpFilterChain.class);
    private static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    private final RingHttpFilter[] filters;
    /** One per loop thread: the chain serves every loop of a server with several at once. */
    private final ThreadLocal<FilterExchange> exchanges = ThreadLocal.withInitial(FilterExchange::new);
    private final BiConsumer<String, Throwable> onFailure;

    /**
     * @param filters   in the order they run
     * @param onFailure told of each filter that failed with an unexpected exception: the filter's
     *                  class name and the exception
     */
    public RingHttpFilterChain(List<RingHttpFilter> filters, BiConsumer<String, Throwable> onFailure) {
        this.filters = filters.toArray(RingHttpFilter[]::new);
        this.onFailure = onFailure;
    }

    public static RingHttpFilterChain empty() {
        return new RingHttpFilterChain(List.of(), (filter, error) -> { });
    }

    public boolean isEmpty() {
        return filters.length == 0;
    }

    public int size() {
        return filters.length;
    }

    /**
     * Runs the filters on {@code request}. Returns true if every one let it through; false if one
     * answered it (the response holds the answer) or failed (the response holds the error status).
     */
    public boolean run(HttpRequest request, HttpResponse response) {
        FilterExchange exchange = exchanges.get();
        exchange.reset(request, response);
        for (RingHttpFilter filter : filters) {
            boolean proceed;
            try {
                proceed = filter.filter(exchange);
            } catch (Throwable t) {
                answerFailure(filter, t, request, response);
                return false;
            }
            if (exchange.answered()) {
                debugStopped(filter, request, response.status());
                return false;
            }
            if (!proceed) {
                exchange.forbidden();
                debugStopped(filter, request, 403);
                return false;
            }
        }
        return true;
    }

    /** The principal the filters attached to the last request on the calling loop, or null. */
    public @Nullable Principal principal() {
        return exchanges.get().principal();
    }

    /** The attributes the filters attached to the last request on the calling loop, read-only. */
    public Map<String, Object> attributes() {
        return exchanges.get().attributes();
    }

    private void answerFailure(RingHttpFilter filter, Throwable t, HttpRequest request, HttpResponse response) {
        String name = filter.getClass().getName();
        int status;
        String message;
        ResponseStatus annotated = AnnotatedElementUtils.findMergedAnnotation(t.getClass(), ResponseStatus.class);
        if (t instanceof ResponseStatusException rse) {
            status = rse.getStatusCode().value();
            message = rse.getReason();
        } else if (annotated != null) {
            status = annotated.code().value();
            message = annotated.reason().isEmpty() ? t.getMessage() : annotated.reason();
        } else {
            LOG.error("RingHttpFilter " + name + " failed for " + request.method() + " " + request.path(), t);
            onFailure.accept(name, t);
            status = 500;
            message = "Internal Server Error";
        }
        if (status != 500 && LOG.isDebugEnabled()) {
            LOG.debug("RingHttpFilter " + name + " answered " + request.method() + " " + request.path() + " with "
                    + status + ": " + t);
        }
        exchanges.get().respond(status).contentType(TEXT_PLAIN).body(message == null || message.isEmpty() ? "" : message + "\n");
    }

    private static void debugStopped(RingHttpFilter filter, HttpRequest request, int status) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("RingHttpFilter " + filter.getClass().getName() + " answered " + request.method() + " "
                    + request.path() + " from " + request.remoteAddress() + " with " + status);
        }
    }
}
