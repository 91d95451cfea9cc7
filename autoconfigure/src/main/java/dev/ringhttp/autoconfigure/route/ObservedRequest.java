package dev.ringhttp.autoconfigure.route;

/**
 * One request being observed, from {@link RequestObserver#begin} until
 * {@link #stop}. All calls come from the event loop that owns the request
 * (except the scope a blocking route opens on its executor's thread, while
 * the loop leaves the request alone: each call happens before the next), in
 * this order: {@link #route} at most once, then any number of
 * {@link #openScope}/{@link #closeScope} pairs (never nested) and of
 * {@link #error} calls (the last error is the one recorded), then {@link #stop}
 * exactly once. A deferred answer stops when its response completes; if the
 * client leaves first, it stops with status 0, since none was sent.
 */
public interface ObservedRequest {

    /**
     * The request matched a route or a WebSocket handler with this pattern (such as {@code /users/{id}}).
     * Not called for requests that matched nothing.
     */
    void route(String pattern);

    /** Makes the observation current on this thread (trace ids in the logging MDC) until {@link #closeScope}. */
    void openScope();

    void closeScope();

    /** The handler threw; it may still have been answered with a 4xx from the exception's status. */
    void error(Throwable error);

    /** The response was handed to the server with this status; 0 when there is none (the client left). */
    void stop(int status);
}
