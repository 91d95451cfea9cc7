package dev.ringhttp.core.adversarial;

import dev.ringhttp.core.RingHttpServer;

/**
 * The one place that names connections for closing from other threads.
 *
 * <p>TEMPORARY: main still has only the bare-id API ({@code closeWebSocket(int)},
 * {@code closeHttpConnection(int)}), so a "handle" here is the slot id and a close that races with the
 * slot's reuse hits the next tenant. The adversarial run notices exactly that (a non-victim connection
 * closed by the application). When the generation-tagged API lands ({@code webSocketHandle(int)},
 * {@code httpConnectionHandle(int)}, {@code closeWebSocket(long)}, {@code closeHttpConnection(long)}),
 * switch the four methods below to it; nothing else changes.
 */
final class ConnectionHandles {

    private ConnectionHandles() {
    }

    /** Loop thread: the handle of the WebSocket now open in slot {@code wsId}. */
    static long webSocket(RingHttpServer server, int wsId) {
        return wsId;
    }

    /** Loop thread: the handle of the HTTP connection now open in slot {@code connectionId}. */
    static long http(RingHttpServer server, int connectionId) {
        return connectionId;
    }

    /** Any thread. */
    static void closeWebSocket(RingHttpServer server, long handle) {
        server.closeWebSocket((int) handle);
    }

    /** Any thread. */
    static void closeHttp(RingHttpServer server, long handle) {
        server.closeHttpConnection((int) handle);
    }
}
