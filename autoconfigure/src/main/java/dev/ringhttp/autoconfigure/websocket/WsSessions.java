package dev.ringhttp.autoconfigure.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The open sessions, indexed by WebSocket id in an atomic array, so that any
 * thread can ask whether a session is still the connection its id names
 * (the core gives a freed id to a new connection). Only the event loop
 * writes it, when a connection opens or closes.
 */
final class WsSessions {

    private final AtomicReferenceArray<@Nullable WsSession> byId;

    WsSessions(int maxWsConnections) {
        this.byId = new AtomicReferenceArray<>(maxWsConnections);
    }

    /** On the loop, before the session is handed to its listener. */
    void opened(WsSession session) {
        byId.set(session.id(), session);
    }

    /** On the loop: removes the session with this id and returns it, or null if none was registered. */
    @Nullable WsSession closed(int wsId) {
        return byId.getAndSet(wsId, null);
    }

    /** The open session with this id, or null. Safe from any thread. */
    @Nullable WsSession get(int wsId) {
        return wsId >= 0 && wsId < byId.length() ? byId.get(wsId) : null;
    }

    /** Whether {@code session} is still the connection its id names. Safe from any thread. */
    boolean isCurrent(WsSession session) {
        return session.isOpen() && get(session.id()) == session;
    }

    /** The open sessions at this moment. */
    List<WsSession> open() {
        List<WsSession> open = new ArrayList<>();
        for (int i = 0; i < byId.length(); i++) {
            WsSession s = byId.get(i);
            if (s != null) {
                open.add(s);
            }
        }
        return open;
    }
}
