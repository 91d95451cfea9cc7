package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpRequest;
import org.jspecify.annotations.Nullable;

/**
 * Opens one observation per routed request (and per WebSocket upgrade), such
 * as a Micrometer {@code Observation} that a tracing bridge turns into a span.
 * Unlike {@link RouteObserver}, which is told once a request has been answered,
 * this one sees the request before it is routed, so that trace context from its
 * headers can be in scope while the handler runs.
 *
 * <p>Called on the event loop. The request is a view of the connection's
 * buffer that is valid only until {@link #begin} returns: read headers there,
 * keep nothing of it.
 */
@FunctionalInterface
public interface RequestObserver {

    /**
     * Starts observing a request, or returns null to leave it unobserved. Returning null must allocate
     * nothing: that is what keeps dispatch free of garbage when nothing is observed.
     */
    @Nullable ObservedRequest begin(HttpRequest request);

    /** Observes nothing. */
    RequestObserver NONE = request -> null;
}
