package dev.ringhttp.sample;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.ServerCounters;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's counters at one moment, as served by {@code GET /api/stats}
 * and broadcast on {@code /ws/live}. Totals since start; the page derives
 * rates from consecutive snapshots and {@link #time}.
 *
 * @param time epoch milliseconds when the snapshot was taken
 * @param closes closes per reason since start, only reasons that happened, in {@link CloseReason} order
 */
public record StatsSnapshot(
        long time,
        long accepted,
        long activeHttp,
        long activeWebSocket,
        long requests,
        long upgrades,
        long bytesRead,
        long bytesWritten,
        long framesRead,
        long framesWritten,
        long messagesRead,
        long broadcasts,
        long ringBytesStaged,
        long evictions,
        long handlerErrors,
        long stageErrors,
        long compressionBytesIn,
        long compressionBytesOut,
        long deflateBytesIn,
        long deflateBytesOut,
        List<Closes> closes,
        Limits limits) {

    /** Closes for one reason, per connection type. */
    public record Closes(String reason, long http, long webSocket) {
    }

    /** The fixed capacity the server was built with. */
    public record Limits(long footprint, int maxConnections, int maxWebSocketConnections, int outgoingBufferSize,
            boolean compressWebSocket) {
    }

    /** Reads every counter of {@code server}; safe from any thread. */
    public static StatsSnapshot of(RingHttpServer server) {
        ServerCounters c = server.counters();
        List<Closes> closes = new ArrayList<>();
        for (CloseReason reason : CloseReason.values()) {
            long http = c.closes(ConnectionType.HTTP, reason);
            long ws = c.closes(ConnectionType.WEBSOCKET, reason);
            if (http != 0 || ws != 0) {
                closes.add(new Closes(reason.name(), http, ws));
            }
        }
        ServerConfig config = server.configuration();
        return new StatsSnapshot(System.currentTimeMillis(), c.accepted(), c.active(ConnectionType.HTTP),
                c.active(ConnectionType.WEBSOCKET), c.requests(), c.upgrades(), c.bytesRead(), c.bytesWritten(),
                c.framesRead(), c.framesWritten(), c.messagesRead(), c.broadcasts(), c.ringBytesStaged(),
                c.evictions(), c.handlerErrors(), c.stageErrors(), c.compressionBytesIn(), c.compressionBytesOut(),
                c.deflateBytesIn(), c.deflateBytesOut(), closes, new Limits(server.footprint(), config.maxConnections(), config.maxWsConnections(),
                        config.outgoingBufferSize(), config.compressWebSocket()));
    }
}
