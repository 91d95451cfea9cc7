package dev.ringhttp.autoconfigure.websocket;

import dev.ringhttp.core.CloseReason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Receives the events of the WebSocket connections of a {@link WsHandler}
 * path, on the event loop thread, from the handshake on. Override what you need:
 * {@link #onText}/{@link #onBinary} get copies, {@link #onMessage} the
 * zero-copy view into the receive buffer (valid during the call only).
 */
public interface WsListener {

    /**
     * Decides whether to accept an upgrade on this handler's path, before the {@code 101} is sent:
     * after the filters have run and the {@code Origin} check has passed. Look at the headers,
     * cookies, query, remote address and the filters' principal; attach attributes the session
     * should carry. Return false (or call {@link WsHandshake#refuse}) to refuse: with the status
     * given to {@code refuse}, else 403. By default every handshake is accepted.
     *
     * <p>Runs on the event loop: it must not block. An exception refuses the handshake with 500
     * (logged), or with the status of a {@code ResponseStatusException}.
     */
    default boolean onHandshake(WsHandshake handshake) {
        return true;
    }

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
