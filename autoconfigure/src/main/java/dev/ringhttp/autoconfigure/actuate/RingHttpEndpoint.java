package dev.ringhttp.autoconfigure.actuate;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionSnapshot;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.ServerCounters;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code ringhttp} actuator endpoint: the server's configuration and
 * footprint, its counters (closes by connection type and reason, non-zero
 * ones only), and its live connections.
 *
 * <p>The connection list is taken on the event loop; the read operation
 * waits for it at most {@value #CONNECTIONS_TIMEOUT_SECONDS} seconds and
 * reports an error in its place if the loop does not answer.
 */
@Endpoint(id = "ringhttp")
public class RingHttpEndpoint {

    static final long CONNECTIONS_TIMEOUT_SECONDS = 2;

    private final RingHttpServer server;

    public RingHttpEndpoint(RingHttpServer server) {
        this.server = server;
    }

    @ReadOperation
    public RingHttpDescriptor ringhttp() {
        List<ConnectionDescriptor> connections = null;
        String connectionsError = null;
        try {
            connections = server.connections().get(CONNECTIONS_TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
                    .map(ConnectionDescriptor::of).toList();
        } catch (TimeoutException ex) {
            connectionsError = "the event loop did not answer within " + CONNECTIONS_TIMEOUT_SECONDS + "s";
        } catch (ExecutionException ex) {
            connectionsError = String.valueOf(ex.getCause());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            connectionsError = "interrupted";
        }
        return new RingHttpDescriptor(server.isRunning(), format(server.address()),
                server.failure() != null ? server.failure().toString() : null,
                ConfigurationDescriptor.of(server.configuration(), server.footprint(), server.kernelSendBufferLimit()),
                CountersDescriptor.of(server.counters()), connections, connectionsError);
    }

    static @Nullable String format(@Nullable InetSocketAddress address) {
        return address == null ? null : address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** What the endpoint returns. */
    public record RingHttpDescriptor(boolean running, @Nullable String address, @Nullable String failure,
            ConfigurationDescriptor configuration, CountersDescriptor counters,
            @Nullable List<ConnectionDescriptor> connections, @Nullable String connectionsError)
            implements OperationResponseBody {
    }

    /**
     * Every {@link ServerConfig} value, sizes in bytes (the pools' sizes for all event loops together), the
     * footprint of all buffers of every loop, and apart
     * from it the kernel memory the connections' send queues may hold (not the JVM's).
     */
    public record ConfigurationDescriptor(String address, int port, int maxConnections, int maxWsConnections,
            int maxRequestLength, int maxRequestLineLength, int maxHeaderCount, int maxWsMessageLength,
            int maxWsSendFrames, int outgoingBufferSize, int responseHeaderBufferSize, boolean compressWebSocket,
            int maxConnectionsPerPoll, int wsReceiveBufferSize, String requestReadTimeout, String idleTimeout,
            String wsIdleTimeout, int socketSendBuffer, int eventLoops, long footprintBytes,
            long kernelSendBufferLimitBytes) {

        /** How the endpoint shows an unset bind address: every interface. */
        static final String ANY_ADDRESS = "*";

        static ConfigurationDescriptor of(ServerConfig c, long footprint, long kernelSendBufferLimit) {
            String address = c.address() == null ? ANY_ADDRESS : c.address().getHostAddress();
            return new ConfigurationDescriptor(address, c.port(), c.maxConnections(),
                    c.maxWsConnections(), c.maxRequestLength(), c.maxRequestLineLength(), c.maxHeaderCount(),
                    c.maxWsMessageLength(), c.maxWsSendFrames(), c.outgoingBufferSize(),
                    c.responseHeaderBufferSize(), c.compressWebSocket(), c.maxConnectionsPerPoll(),
                    c.wsReceiveBufferSize(), c.requestReadTimeout().toString(), c.idleTimeout().toString(),
                    c.wsIdleTimeout().toString(), c.socketSendBuffer(), c.eventLoops(), footprint, kernelSendBufferLimit);
        }
    }

    /** Every {@link ServerCounters} value; {@code closes} maps type, then reason, to non-zero counts. */
    public record CountersDescriptor(long accepted, long activeHttp, long activeWebSocket, long requests,
            long upgrades, long bytesRead, long bytesWritten, long framesRead, long framesWritten,
            long messagesRead, long broadcasts, long ringBytesStaged, long stageErrors, long evictions,
            long compressionBytesIn, long compressionBytesOut, long deflateBytesIn, long deflateBytesOut,
            long handlerErrors,
            Map<String, Map<String, Long>> closes) {

        static CountersDescriptor of(ServerCounters c) {
            Map<String, Map<String, Long>> closes = new LinkedHashMap<>();
            for (ConnectionType type : ConnectionType.values()) {
                Map<String, Long> byReason = new LinkedHashMap<>();
                for (CloseReason reason : CloseReason.values()) {
                    long n = c.closes(type, reason);
                    if (n != 0) {
                        byReason.put(reason.name(), n);
                    }
                }
                closes.put(type == ConnectionType.HTTP ? "http" : "websocket", byReason);
            }
            return new CountersDescriptor(c.accepted(), c.active(ConnectionType.HTTP),
                    c.active(ConnectionType.WEBSOCKET), c.requests(), c.upgrades(), c.bytesRead(), c.bytesWritten(),
                    c.framesRead(), c.framesWritten(), c.messagesRead(), c.broadcasts(), c.ringBytesStaged(),
                    c.stageErrors(), c.evictions(), c.compressionBytesIn(), c.compressionBytesOut(),
                    c.deflateBytesIn(), c.deflateBytesOut(), c.handlerErrors(), closes);
        }
    }

    /** One live connection; {@code ageMillis} since accept (HTTP) or upgrade (WebSocket). */
    public record ConnectionDescriptor(String type, int id, @Nullable String remoteAddress, String state,
            long ageMillis, long pendingBytes) {

        static ConnectionDescriptor of(ConnectionSnapshot s) {
            return new ConnectionDescriptor(s.type() == ConnectionType.HTTP ? "http" : "websocket", s.id(),
                    format(s.remoteAddress()), s.state(), s.age().toMillis(), s.pendingBytes());
        }
    }
}
