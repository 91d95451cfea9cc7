package dev.ringhttp.core;

import java.nio.ByteBuffer;

/**
 * Handles WebSocket connections. Called on the event loop thread: it must not
 * block. Ids lie in {@code [0, maxWsConnections)} and may be recycled after
 * {@link #onClose}.
 */
public interface WebSocketHandler {

    /**
     * The 101 response has been written and the connection is open. The
     * handshake request is readable during this call only.
     */
    default void onOpen(int wsId, HttpRequest handshake) {
    }

    /**
     * A complete message (all fragments joined). {@code payload} is a
     * read-only view into the connection's receive buffer, valid during this
     * call only; text messages are already validated as UTF-8. An exception
     * closes the connection with {@link CloseReason#HANDLER_ERROR} (1011).
     */
    void onMessage(int wsId, ByteBuffer payload, boolean text);

    /** Called once when the connection closes, with the reason. */
    default void onClose(int wsId, CloseReason reason) {
    }

    /** A handler that accepts no messages: every upgrade is still possible, messages are dropped. */
    WebSocketHandler NONE = (wsId, payload, text) -> { };
}
