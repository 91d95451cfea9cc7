package dev.ringhttp.autoconfigure.websocket;

import dev.ringhttp.autoconfigure.route.RouteDispatcher;
import dev.ringhttp.autoconfigure.security.OriginPolicy;
import dev.ringhttp.autoconfigure.security.RequestValues;
import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerContext;
import dev.ringhttp.core.WebSocketHandler;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The {@code @WsHandler} endpoints and their open sessions: decides which
 * upgrade requests are accepted and on which channel, and routes each
 * connection's events to its listener. The sessions it opens send through
 * the server; the endpoints know nothing of the
 * {@link WebSocketMessenger}, which reads them.
 *
 * <p>Accepting an upgrade ({@link #accept}): a path no handler has is 404; a
 * foreign {@code Origin} the {@link OriginPolicy} does not allow is 403; then
 * the handler's {@link WsListener#onHandshake} may refuse it. What an accepted
 * handshake established (principal, attributes) waits in
 * {@code acceptedOn[httpConnectionId]} until the core opens the WebSocket and
 * calls {@link #onOpen}, which takes it into the session. Invariant: every
 * upgrade the core performs was accepted here on the same HTTP connection
 * just before (the dispatcher answers upgrades only through {@link #accept}),
 * so {@code onOpen} reads what its own handshake stored; an entry whose
 * upgrade never happened (the client left first) is overwritten by the slot's
 * next accepted upgrade and never read.
 */
public final class WsEndpoints implements WebSocketHandler, RouteDispatcher.UpgradeResolver {

    private static final Log LOG = LogFactory.getLog(WsEndpoints.class);
    private static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    /** One {@code @WsHandler}. */
    record Endpoint(PathPattern pattern, @Nullable String literal, String channel, int channelId, WsListener listener,
            String name, List<String> keepHeaders, List<String> keepCookies) {
    }

    /** What an accepted handshake hands to its session. */
    private record Accepted(@Nullable Principal principal, Map<String, Object> attributes) {
    }

    private final List<Endpoint> endpoints = new ArrayList<>();
    private final Map<String, Integer> channels = new LinkedHashMap<>();
    private final WsSessions sessions;
    /** The endpoint of each open connection, by WebSocket id; only the loop reads and writes it. */
    private final @Nullable Endpoint[] endpointOf;
    private final boolean serverCompresses;
    private final WsSender sender;
    private final OriginPolicy origins;
    /** What each HTTP connection's accepted upgrade established, by HTTP connection id; loop only. */
    private final @Nullable Accepted[] acceptedOn;

    /**
     * @param maxConnections the server's HTTP connections: upgrades are accepted on them
     * @param context the context of the server the sessions send through: these endpoints are its
     *                WebSocket handler, so the server is built after them
     * @param json   writes what sessions send as JSON; null without Jackson
     * @param origins which {@code Origin}s may open WebSockets
     */
    public WsEndpoints(int maxConnections, int maxWsConnections, boolean serverCompresses, ServerContext context,
            @Nullable JsonMessages json, OriginPolicy origins) {
        this.sessions = new WsSessions(maxWsConnections);
        this.endpointOf = new Endpoint[maxWsConnections];
        this.acceptedOn = new Accepted[maxConnections];
        this.serverCompresses = serverCompresses;
        this.sender = new WsSender(context, sessions, json);
        this.origins = origins;
    }

    /** Registers a handler at start-up. Two handlers on one path fail start-up naming both. */
    void register(String path, String channel, WsListener listener, String name) {
        register(path, channel, listener, name, List.of(), List.of());
    }

    /** As {@link #register(String, String, WsListener, String)}, with the handshake headers and cookies sessions keep. */
    void register(String path, String channel, WsListener listener, String name, List<String> keepHeaders,
            List<String> keepCookies) {
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
                channelName, channelId, listener, name, List.copyOf(keepHeaders), List.copyOf(keepCookies)));
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
    public int accept(HttpRequest request, HttpResponse response, @Nullable Principal principal,
            Map<String, Object> attributes) {
        Endpoint e = find(request);
        if (e == null) {
            answer(response, 404, "Not Found");
            return -1;
        }
        if (!origins.allows(request)) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("WebSocket upgrade on " + request.path() + " from " + request.remoteAddress()
                        + " refused: Origin " + request.header("Origin") + " is neither the server's own ("
                        + request.header("Host") + ") nor allowed (ringhttp.server.websocket.allowed-origins)");
            }
            answer(response, 403, "Forbidden");
            return -1;
        }
        WsHandshake handshake = new WsHandshake(request, response, principal, attributes);
        boolean accepted;
        try {
            accepted = e.listener().onHandshake(handshake);
        } catch (Throwable t) {
            refuseAfterFailure(e, request, response, t);
            return -1;
        }
        if (handshake.isRefused() || !accepted) {
            if (!handshake.isRefused()) {
                handshake.refuse(403);
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug(e.name() + " refused the WebSocket upgrade on " + request.path() + " from "
                        + request.remoteAddress() + " with " + response.status());
            }
            return -1;
        }
        handshake.attributes().values().removeIf(Objects::isNull); // a session's attributes hold no nulls
        acceptedOn[request.connectionId()] = new Accepted(handshake.principal(), Map.copyOf(handshake.attributes()));
        return e.channelId();
    }

    private static void refuseAfterFailure(Endpoint e, HttpRequest request, HttpResponse response, Throwable t) {
        ResponseStatus annotated = AnnotatedElementUtils.findMergedAnnotation(t.getClass(), ResponseStatus.class);
        if (t instanceof ResponseStatusException rse) {
            answer(response, rse.getStatusCode().value(), rse.getReason() == null ? "Refused" : rse.getReason());
        } else if (annotated != null) {
            answer(response, annotated.code().value(), annotated.reason().isEmpty() ? "Refused" : annotated.reason());
        } else {
            LOG.error(e.name() + ".onHandshake failed for " + request.path(), t);
            answer(response, 500, "Internal Server Error");
        }
    }

    private static void answer(HttpResponse response, int status, String text) {
        response.status(status).contentType(TEXT_PLAIN).body(text + "\n");
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
        Accepted accepted = acceptedOn[handshake.connectionId()];
        acceptedOn[handshake.connectionId()] = null;
        WsSession session = new WsSession(wsId, handshake.path(), e.channel(), handshake.remoteAddress(),
                serverCompresses && handshake.offersZstdCompression(), sender,
                accepted == null ? null : accepted.principal(), accepted == null ? Map.of() : accepted.attributes(),
                handshake.query(), kept(e.keepHeaders(), handshake::header),
                kept(e.keepCookies(), name -> RequestValues.cookie(handshake, name)));
        endpointOf[wsId] = e;
        sessions.opened(session);
        e.listener().onOpen(session);
    }

    /** The values of {@code names} that {@code lookUp} finds, by name; nothing allocated for no names. */
    private static Map<String, String> kept(List<String> names, Function<String, @Nullable String> lookUp) {
        if (names.isEmpty()) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : names) {
            String value = lookUp.apply(name);
            if (value != null) {
                values.put(name, value);
            }
        }
        return values;
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
