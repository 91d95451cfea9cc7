package dev.ringhttp.autoconfigure.websocket;

import dev.ringhttp.autoconfigure.route.JsonCodec;
import dev.ringhttp.core.RingHttpServer;
import java.util.List;

/**
 * Sends WebSocket messages from any thread: to one session, to a channel
 * (the connections of a {@link WsHandler} path, or of a named channel), or
 * to every WebSocket. Each call hands the message to the event loop, which
 * stages it once in the outgoing ring, however many clients receive it.
 * Messages from one thread reach each client in the order they were sent.
 */
public final class WebSocketMessenger {

    private final RingHttpServer server;
    private final WsEndpoints endpoints;
    private final JsonCodec json;

    public WebSocketMessenger(RingHttpServer server, WsEndpoints endpoints, JsonCodec json) {
        this.server = server;
        this.endpoints = endpoints;
        this.json = json;
        endpoints.messenger(this);
    }

    public void send(WsSession session, String text) {
        server.execute(() -> {
            if (endpoints.isCurrent(session)) {
                server.staging().utf8(text).sendTo(session.id(), true);
            }
        });
    }

    public void send(WsSession session, byte[] data) {
        server.execute(() -> {
            if (endpoints.isCurrent(session)) {
                server.staging().bytes(data).sendTo(session.id(), false);
            }
        });
    }

    /** Sends {@code value} as a JSON text message. */
    public void sendJson(WsSession session, Object value) {
        byte[] bytes = toJson(value);
        server.execute(() -> {
            if (endpoints.isCurrent(session)) {
                server.staging().bytes(bytes).sendTo(session.id(), true);
            }
        });
    }

    /** Closes the session with status 1000 if it is still open. */
    public void close(WsSession session) {
        server.execute(() -> {
            if (endpoints.isCurrent(session)) {
                // The handle is taken now, while the session is known current; the close runs in a later task.
                server.closeWebSocket(server.webSocketHandle(session.id()));
            }
        });
    }

    public void broadcast(String channel, String text) {
        server.broadcast(channelId(channel), text);
    }

    public void broadcast(String channel, byte[] data) {
        server.broadcast(channelId(channel), data, false);
    }

    public void broadcastJson(String channel, Object value) {
        server.broadcast(channelId(channel), toJson(value), true);
    }

    /** Sends {@code text} to every open WebSocket, whatever its channel. */
    public void broadcastAll(String text) {
        server.broadcast(text);
    }

    public void broadcastAllJson(Object value) {
        server.broadcast(dev.ringhttp.core.Staging.ALL_CHANNELS, toJson(value), true);
    }

    /** The open sessions at this moment. */
    public List<WsSession> sessions() {
        return endpoints.openSessions();
    }

    /** The channel names, one per {@code @WsHandler} path unless they share one. */
    public List<String> channels() {
        return endpoints.channelNames();
    }

    private int channelId(String channel) {
        int id = endpoints.channelId(channel);
        if (id < 0) {
            throw new IllegalArgumentException("unknown WebSocket channel '" + channel + "'; channels are " + endpoints.channelNames());
        }
        return id;
    }

    private byte[] toJson(Object value) {
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
