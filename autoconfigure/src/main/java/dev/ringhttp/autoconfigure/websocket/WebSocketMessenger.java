package dev.ringhttp.autoconfigure.websocket;

import dev.ringhttp.autoconfigure.route.JsonCodec;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.Staging;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Sends WebSocket messages from any thread: to one session, to a channel
 * (the connections of a {@link WsHandler} path, or of a named channel), or
 * to every WebSocket. Each call hands the message to the event loop, which
 * stages it once in the outgoing ring, however many clients receive it.
 * Messages from one thread reach each client in the order they were sent.
 *
 * <p>Reads the {@link WsEndpoints} for their channels and sessions; they do
 * not know the messenger. Sending to one session is the session's own
 * {@link WsSession#send(String) send}.
 */
public final class WebSocketMessenger {

    private final RingHttpServer server;
    private final WsEndpoints endpoints;
    private final @Nullable JsonCodec json;

    /** @param json writes JSON broadcasts; null without Jackson */
    public WebSocketMessenger(RingHttpServer server, WsEndpoints endpoints, @Nullable JsonCodec json) {
        this.server = server;
        this.endpoints = endpoints;
        this.json = json;
    }

    public void send(WsSession session, String text) {
        session.send(text);
    }

    public void send(WsSession session, byte[] data) {
        session.send(data);
    }

    /** Sends {@code value} as a JSON text message. */
    public void sendJson(WsSession session, Object value) {
        session.sendJson(value);
    }

    /** Closes the session with status 1000 if it is still open. */
    public void close(WsSession session) {
        session.close();
    }

    public void broadcast(String channel, String text) {
        server.broadcast(channelId(channel), text);
    }

    public void broadcast(String channel, byte[] data) {
        server.broadcast(channelId(channel), data, false);
    }

    public void broadcastJson(String channel, Object value) {
        server.broadcast(channelId(channel), WsSender.toJson(json, value), true);
    }

    /** Sends {@code text} to every open WebSocket, whatever its channel. */
    public void broadcastAll(String text) {
        server.broadcast(text);
    }

    public void broadcastAllJson(Object value) {
        server.broadcast(Staging.ALL_CHANNELS, WsSender.toJson(json, value), true);
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
}
