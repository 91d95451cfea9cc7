package dev.ringhttp.autoconfigure.websocket;

import dev.ringhttp.core.CloseReason;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One WebSocket connection as the application sees it. Safe to keep and use
 * from any thread: sending to a session that has closed does nothing, even if
 * its connection id was given to a newer connection since.
 */
public final class WsSession {

    private final int id;
    private final String path;
    private final String channel;
    private final InetSocketAddress remoteAddress;
    private final boolean compressed;
    private final Instant openedAt = Instant.now();
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final WsSender sender;
    private volatile @Nullable CloseReason closeReason;

    WsSession(int id, String path, String channel, InetSocketAddress remoteAddress, boolean compressed,
            WsSender sender) {
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

    /** Application data attached to the session; thread-safe. */
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
