package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;

/**
 * Answers requests outside the application's own routes, such as actuator
 * endpoints under their base path. Asked before the routes, on the event
 * loop; it should check its path prefix in place and return quickly.
 */
public interface RouteContributor {

    /** Handles the request and returns true, or returns false without touching the response. */
    boolean handle(HttpRequest request, HttpResponse response);

    /**
     * Told the application's routes once they are known, before the server starts: a contributor
     * whose paths must yield to the routes (static resources) decides here which it leaves to them.
     */
    default void routesInstalled(RouteTable routes) {
    }

    /**
     * Whether it belongs to the management side (the actuator): with {@code management.server.port}
     * set apart, it answers on the management listener only, and the others on the main one only.
     */
    default boolean management() {
        return false;
    }
}
