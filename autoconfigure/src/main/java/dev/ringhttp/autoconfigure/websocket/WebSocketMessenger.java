package dev.ringhttp.autoconfigure.websocket;

import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.Staging;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Sends WebSocket messages from any thread: to one session, to a channel
 * (the connections of a {@link WsHandler} path, or of a named channel), or
 * to every WebSocket. Each call hands the message to the event loop, which
 * stages it once in the outgoing ring, however many clients receive it.
 * Messages from one thread reach each client in the order they were sent.
 *
 * <p>With a {@link BroadcastRelay} (the cluster, {@code ringhttp.cluster.*}),
 * every broadcast also goes to the application's other instances: the loop
 * hands it to the local clients and then to the relay, so the relay sees
 * this instance's broadcasts in the order its clients got them.
 * {@link #local()} is the same messenger without the relay, for what
 * concerns this instance only (its own statistics, say). Sending to one
 * session always stays on its instance.
 *
 * <p>Reads the {@link WsEndpoints} for their channels and sessions; they do
 * not know the messenger. Sending to one session is the session's own
 * {@link WsSession#send(String) send}.
 */
public final class WebSocketMessenger {

    private final RingHttpServer server;
    private final WsEndpoints endpoints;
    private final @Nullable JsonMessages json;
    private final BroadcastRelay relay;
    private final WebSocketMessenger local;

    /**
     * A messenger whose broadcasts stay on this instance.
     *
     * @param json writes JSON broadcasts; null without Jackson
     */
    public WebSocketMessenger(RingHttpServer server, WsEndpoints endpoints, @Nullable JsonMessages json) {
        this(server, endpoints, json, BroadcastRelay.NONE);
    }

    /**
     * @param json  writes JSON broadcasts; null without Jackson
     * @param relay told of every broadcast on the event loop, after the local clients got it
     */
    public WebSocketMessenger(RingHttpServer server, WsEndpoints endpoints, @Nullable JsonMessages json,
            BroadcastRelay relay) {
        this.server = server;
        this.endpoints = endpoints;
        this.json = json;
        this.relay = relay;
        this.local = relay == BroadcastRelay.NONE ? this : new WebSocketMessenger(server, endpoints, json);
    }

    /** This messenger without its relay: broadcasts through it reach this instance's clients only. */
    public WebSocketMessenger local() {
        return local;
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
        int id = channelId(channel);
        if (relay == BroadcastRelay.NONE) {
            server.broadcast(id, text); // staged straight from the string on the loop, no copy here
        } else {
            handOff(id, new BroadcastRelay.Broadcast(channel, text.getBytes(StandardCharsets.UTF_8), true));
        }
    }

    public void broadcast(String channel, byte[] data) {
        broadcast(channelId(channel), channel, data, false);
    }

    public void broadcastJson(String channel, Object value) {
        broadcast(channelId(channel), channel, WsSender.toJson(json, value), true);
    }

    /** Sends {@code text} to every open WebSocket, whatever its channel. */
    public void broadcastAll(String text) {
        if (relay == BroadcastRelay.NONE) {
            server.broadcast(text);
        } else {
            handOff(Staging.ALL_CHANNELS,
                    new BroadcastRelay.Broadcast(null, text.getBytes(StandardCharsets.UTF_8), true));
        }
    }

    public void broadcastAllJson(Object value) {
        broadcast(Staging.ALL_CHANNELS, null, WsSender.toJson(json, value), true);
    }

    private void broadcast(int channelId, @Nullable String channel, byte[] data, boolean text) {
        if (relay == BroadcastRelay.NONE) {
            server.broadcast(channelId, data, text);
        } else {
            handOff(channelId, new BroadcastRelay.Broadcast(channel, data, text));
        }
    }

    /**
     * One task does both, so the relay sees the broadcasts in the loop's order, which is the order every
     * local client receives them in; the broadcast record is built here, so the loop allocates nothing for it.
     */
    private void handOff(int channelId, BroadcastRelay.Broadcast broadcast) {
        server.execute(() -> {
            server.staging().bytes(broadcast.payload()).broadcast(channelId, broadcast.text());
            relay.relay(broadcast);
        });
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
