package dev.ringhttp.autoconfigure.websocket;

import dev.ringhttp.autoconfigure.route.JsonCodec;
import dev.ringhttp.autoconfigure.route.RouteDispatcher;
import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerContext;
import dev.ringhttp.core.WebSocketHandler;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The {@code @WsHandler} endpoints and their open sessions: decides which
 * upgrade requests are accepted and on which channel, and routes each
 * connection's events to its listener. The sessions it opens send through
 * the server; the endpoints know nothing of the
 * {@link WebSocketMessenger}, which reads them.
 */
public final class WsEndpoints implements WebSocketHandler, RouteDispatcher.UpgradeResolver {

    /** One {@code @WsHandler}. */
    record Endpoint(PathPattern pattern, @Nullable String literal, String channel, int channelId, WsListener listener, String name) {
    }

    private final List<Endpoint> endpoints = new ArrayList<>();
    private final Map<String, Integer> channels = new LinkedHashMap<>();
    private final WsSessions sessions;
    /** The endpoint of each open connection, by WebSocket id; only the loop reads and writes it. */
    private final @Nullable Endpoint[] endpointOf;
    private final boolean serverCompresses;
    private final WsSender sender;

    /**
     * @param context the context of the server the sessions send through: these endpoints are its
     *                WebSocket handler, so the server is built after them
     * @param json   writes what sessions send as JSON; null without Jackson
     */
    public WsEndpoints(int maxWsConnections, boolean serverCompresses, ServerContext context,
            @Nullable JsonCodec json) {
        this.sessions = new WsSessions(maxWsConnections);
        this.endpointOf = new Endpoint[maxWsConnections];
        this.serverCompresses = serverCompresses;
        this.sender = new WsSender(context, sessions, json);
    }

    /** Registers a handler at start-up. Two handlers on one path fail start-up naming both. */
    void register(String path, String channel, WsListener listener, String name) {
        PathPattern pattern = PathPatternParser.defaultInstance.parse(path);
        for (Endpoint e : endpoints) {
            if (e.pattern().getPatternString().equals(pattern.getPatternString())) {
                throw new IllegalStateException("@WsHandler clash: " + path + " is handled by both " + e.name()
                        + " and " + name);
            }
        }
        String channelName = channel.isEmpty() ? path : channel;
        int channelId = channels.computeIfAbsent(channelName, k -> channels.size());
        endpoints.add(new Endpoint(pattern, pattern.hasPatternSyntax() ? null : pattern.getPatternString(),
                channelName, channelId, listener, name));
        endpoints.sort((a, b) -> PathPattern.SPECIFICITY_COMPARATOR.compare(a.pattern(), b.pattern()));
    }

    /**
     * The channel id of {@code name}, or -1 if no {@code @WsHandler} has that channel: what
     * {@link dev.ringhttp.core.Staging#broadcast(int, boolean)} takes. Channels are registered while
     * the context starts; read them from any thread after that.
     */
    public int channelId(String name) {
        Integer id = channels.get(name);
        return id == null ? -1 : id;
    }

    List<String> channelNames() {
        return List.copyOf(channels.keySet());
    }

    List<Endpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    @Override
    public int channelFor(HttpRequest request) {
        Endpoint e = find(request);
        return e == null ? -1 : e.channelId();
    }

    @Override
    public @Nullable String patternFor(HttpRequest request) {
        Endpoint e = find(request);
        return e == null ? null : e.pattern().getPatternString();
    }

    private @Nullable Endpoint find(HttpRequest request) {
        for (Endpoint e : endpoints) {
            if (e.literal() != null && request.pathEquals(e.literal())) {
                return e;
            }
        }
        PathContainer path = null;
        for (Endpoint e : endpoints) {
            if (path == null) {
                path = PathContainer.parsePath(request.path());
            }
            if (e.pattern().matches(path)) {
                return e;
            }
        }
        return null;
    }

    /** The open sessions at this moment. Safe from any thread. */
    List<WsSession> openSessions() {
        return sessions.open();
    }

    @Override
    public void onOpen(int wsId, HttpRequest handshake) {
        Endpoint e = find(handshake);
        if (e == null) {
            throw new IllegalStateException("no @WsHandler for " + handshake.path());
        }
        WsSession session = new WsSession(wsId, handshake.path(), e.channel(), handshake.remoteAddress(),
                serverCompresses && handshake.offersZstdCompression(), sender);
        endpointOf[wsId] = e;
        sessions.opened(session);
        e.listener().onOpen(session);
    }

    @Override
    public void onMessage(int wsId, ByteBuffer payload, boolean text) {
        WsSession session = sessions.get(wsId);
        if (session != null) {
            endpointOf[wsId].listener().onMessage(session, payload, text);
        }
    }

    @Override
    public void onClose(int wsId, CloseReason reason) {
        WsSession session = sessions.closed(wsId);
        Endpoint e = endpointOf[wsId];
        endpointOf[wsId] = null;
        if (session != null) {
            session.closed(reason);
            e.listener().onClose(session, reason);
        }
    }
}
