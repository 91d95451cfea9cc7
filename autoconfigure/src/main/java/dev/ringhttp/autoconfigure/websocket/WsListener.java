package dev.ringhttp.autoconfigure.websocket;

import dev.ringhttp.core.CloseReason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Receives the events of the WebSocket connections of a {@link WsHandler}
 * path, on the event loop thread. Override what you need:
 * {@link #onText}/{@link #onBinary} get copies, {@link #onMessage} the
 * zero-copy view into the receive buffer (valid during the call only).
 */
public interface WsListener {

    default void onOpen(WsSession session) {
    }

    /** Every message; by default decodes it and calls {@link #onText} or {@link #onBinary}. */
    default void onMessage(WsSession session, ByteBuffer payload, boolean text) {
        if (text) {
            onText(session, StandardCharsets.UTF_8.decode(payload).toString());
        } else {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            onBinary(session, bytes);
        }
    }

    default void onText(WsSession session, String text) {
    }

    default void onBinary(WsSession session, byte[] data) {
    }

    /** The connection closed; {@code reason} says why (see {@link CloseReason}). */
    default void onClose(WsSession session, CloseReason reason) {
    }
}
