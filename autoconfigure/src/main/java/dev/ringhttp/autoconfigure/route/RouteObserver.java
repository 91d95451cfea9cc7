package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpMethod;

/**
 * Told about every answered request, on the event loop thread. The metrics
 * auto-configuration supplies one that records Micrometer timers; it must not
 * block and should not allocate.
 */
public interface RouteObserver {

    /**
     * A response was handed to the server.
     *
     * @param method  the request method
     * @param route   the matched pattern, or a fixed label such as {@code "NOT_FOUND"} when none matched
     * @param status  the response status
     * @param nanos   time from the request's dispatch to its response
     */
    void answered(HttpMethod method, String route, int status, long nanos);

    /** A handler threw an exception that became a 500. */
    default void handlerFailed(String route, Throwable error) {
    }

    RouteObserver NONE = (method, route, status, nanos) -> { };
}
