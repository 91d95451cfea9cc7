package dev.ringhttp.core;

/**
 * Answers HTTP requests. Called on the event loop thread: it must not block,
 * and it owns the loop while it runs. A handler that needs to wait defers the
 * response ({@link HttpResponse#defer()}) and completes it later.
 */
@FunctionalInterface
public interface HttpHandler {

    /**
     * Fills in {@code response} for {@code request}. The response is written
     * when this method returns, unless it was deferred. An exception becomes a
     * 500 response; the connection stays usable.
     */
    void handle(HttpRequest request, HttpResponse response);

    /** Called once when HTTP connection {@code connectionId} closes, with the reason. Not called for upgrades. */
    default void onClose(int connectionId, CloseReason reason) {
    }
}
