package dev.ringhttp.autoconfigure.websocket;

import dev.ringhttp.autoconfigure.security.RequestValues;
import dev.ringhttp.core.CloseReason;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One WebSocket connection as the application sees it. Safe to keep and use
 * from any thread: sending to a session that has closed does nothing, even if
 * its connection id was given to a newer connection since.
 *
 * <p>It carries what its handshake established: the principal and attributes
 * the filters and {@link WsListener#onHandshake} attached, the query string,
 * and the headers and cookies its {@link WsHandler} asked to keep
 * ({@code keepHeaders}, {@code keepCookies}); nothing else of the handshake
 * outlives it. All of it is bounded by the request size limits.
 */
public final class WsSession {

    private final int id;
    private final String path;
    private final String channel;
    private final InetSocketAddress remoteAddress;
    private final boolean compressed;
    private final Instant openedAt = Instant.now();
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final @Nullable Principal principal;
    private final @Nullable String query;
    private final Map<String, String> handshakeHeaders;
    private final Map<String, String> cookies;
    private final WsSender sender;
    private volatile @Nullable CloseReason closeReason;

    WsSession(int id, String path, String channel, InetSocketAddress remoteAddress, boolean compressed,
            WsSender sender) {
        this(id, path, channel, remoteAddress, compressed, sender, null, Map.of(), null, Map.of(), Map.of());
    }

    /**
     * @param handshakeHeaders the kept headers, by name as the handler declared them
     * @param cookies          the kept cookies, by name
     */
    WsSession(int id, String path, String channel, InetSocketAddress remoteAddress, boolean compressed,
            WsSender sender, @Nullable Principal principal, Map<String, Object> attributes, @Nullable String query,
            Map<String, String> handshakeHeaders, Map<String, String> cookies) {
        this.principal = principal;
        this.attributes.putAll(attributes);
        this.query = query;
        this.handshakeHeaders = Map.copyOf(handshakeHeaders);
        this.cookies = Map.copyOf(cookies);
        this.id = id;
        this.path = path;
        this.channel = channel;
        this.remoteAddress = remoteAddress;
        this.compressed = compressed;
        this.sender = sender;
    }

    /** The server's WebSocket connection id; unique among open connections only. */
    public int id() {
        return id;
    }

    /** The path the client upgraded on. */
    public String path() {
        return path;
    }

    /** The broadcast channel the connection is in. */
    public String channel() {
        return channel;
    }

    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** Whether long text messages reach this client zstd-compressed, as binary frames. */
    public boolean compressed() {
        return compressed;
    }

    public Instant openedAt() {
        return openedAt;
    }

    /** Who opened the session, as a filter or the handshake check established it; null if none did. */
    public @Nullable Principal principal() {
        return principal;
    }

    /** The handshake's raw query string, or null. */
    public @Nullable String query() {
        return query;
    }

    /** The first value of a handshake query parameter, decoded, or null. */
    public @Nullable String queryParameter(String name) {
        return RequestValues.queryParameter(query, name);
    }

    /**
     * A handshake header the handler keeps ({@link WsHandler#keepHeaders}), by the name it declared
     * (case-insensitive); null if the handshake had none or it is not kept.
     */
    public @Nullable String handshakeHeader(String name) {
        String exact = handshakeHeaders.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, String> e : handshakeHeaders.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** A handshake cookie the handler keeps ({@link WsHandler#keepCookies}); null if absent or not kept. */
    public @Nullable String cookie(String name) {
        return cookies.get(name);
    }

    /**
     * Application data attached to the session; thread-safe. It starts with the attributes the
     * filters and the handshake check attached.
     */
    public Map<String, Object> attributes() {
        return attributes;
    }

    public boolean isOpen() {
        return closeReason == null;
    }

    /** Why the session closed, or null while it is open. */
    public @Nullable CloseReason closeReason() {
        return closeReason;
    }

    void closed(CloseReason reason) {
        this.closeReason = reason;
    }

    public void send(String text) {
        sender.send(this, text);
    }

    public void send(byte[] data) {
        sender.send(this, data);
    }

    public void sendJson(Object value) {
        sender.sendJson(this, value);
    }

    /** Closes the connection with status 1000. */
    public void close() {
        sender.close(this);
    }

    @Override
    public String toString() {
        return "WsSession[id=" + id + ", path=" + path + ", remote=" + remoteAddress + (isOpen() ? "" : ", closed " + closeReason) + "]";
    }
}
