package dev.ringhttp.core.adversarial;

import dev.ringhttp.core.RingHttpServer;

/**
 * The one place that names connections for closing from other threads: generation-tagged handles
 * taken on the loop when a connection opens, so a close that races with the slot's reuse must leave
 * the next tenant alone (the adversarial run flags any non-victim closed by the application).
 */
final class ConnectionHandles {

    private ConnectionHandles() {
    }

    /** Loop thread: the handle of the WebSocket now open in slot {@code wsId}. */
    static long webSocket(RingHttpServer server, int wsId) {
        return server.webSocketHandle(wsId);
    }

    /** Loop thread: the handle of the HTTP connection now open in slot {@code connectionId}. */
    static long http(RingHttpServer server, int connectionId) {
        return server.httpConnectionHandle(connectionId);
    }

    /** Any thread. */
    static void closeWebSocket(RingHttpServer server, long handle) {
        server.closeWebSocket(handle);
    }

    /** Any thread. */
    static void closeHttp(RingHttpServer server, long handle) {
        server.closeHttpConnection(handle);
    }
}
