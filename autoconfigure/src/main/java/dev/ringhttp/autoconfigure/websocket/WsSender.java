package dev.ringhttp.autoconfigure.websocket;

import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerContext;
import org.jspecify.annotations.Nullable;

/**
 * Sends to one session from any thread. Each send becomes a task on the
 * event loop that owns the session's connection, which drops it unless the
 * session is still the connection its id names: a message for a closed
 * session never reaches a newer connection that was given the same id.
 * Messages from one thread reach the client in the order they were sent.
 */
final class WsSender {

    private final ServerContext context;
    private final WsSessions sessions;
    private final @Nullable JsonMessages json;

    /**
     * @param context  the server's context, asked at each send: the server is built after the endpoints
     * @param sessions tells whether a session is still current
     * @param json     writes {@link #sendJson} values; null without Jackson
     */
    WsSender(ServerContext context, WsSessions sessions, @Nullable JsonMessages json) {
        this.context = context;
        this.sessions = sessions;
        this.json = json;
    }

    void send(WsSession session, String text) {
        RingHttpServer loop = context.server();
        loop.execute(loop.loopOfWebSocket(session.id()), () -> {
            if (sessions.isCurrent(session)) {
                loop.staging().utf8(text).sendTo(session.id(), true);
            }
        });
    }

    void send(WsSession session, byte[] data) {
        sendBytes(session, data, false);
    }

    /** Sends {@code value} as a JSON text message; it is written on the calling thread. */
    void sendJson(WsSession session, Object value) {
        sendBytes(session, toJson(json, value), true);
    }

    private void sendBytes(WsSession session, byte[] data, boolean text) {
        RingHttpServer loop = context.server();
        loop.execute(loop.loopOfWebSocket(session.id()), () -> {
            if (sessions.isCurrent(session)) {
                loop.staging().bytes(data).sendTo(session.id(), text);
            }
        });
    }

    /** Closes the session with status 1000 if it is still open. */
    void close(WsSession session) {
        RingHttpServer loop = context.server();
        loop.execute(loop.loopOfWebSocket(session.id()), () -> {
            if (sessions.isCurrent(session)) {
                // The handle is taken now, while the session is known current; the close runs in a later task.
                loop.closeWebSocket(loop.webSocketHandle(session.id()));
            }
        });
    }

    /** {@code value} as JSON bytes, for a session or a broadcast. */
    static byte[] toJson(@Nullable JsonMessages json, Object value) {
        if (json == null) {
            throw new IllegalStateException("sending JSON needs Jackson (tools.jackson.core:jackson-databind) on the classpath");
        }
        try {
            return json.write(value);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }
}
