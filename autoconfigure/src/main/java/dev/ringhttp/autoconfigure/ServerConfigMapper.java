package dev.ringhttp.autoconfigure;

import dev.ringhttp.core.InvalidConfigurationException;
import dev.ringhttp.core.ServerConfig;
import java.util.Map;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Maps {@link RingHttpProperties} onto the core's immutable
 * {@link ServerConfig}, which validates every value and the rules between
 * them. A refused value is reported under its property name, so start-up
 * fails with a message naming the property, the value and what is accepted.
 */
final class ServerConfigMapper {

    private static final String PREFIX = "ringhttp.server.";

    /** Core builder parameter → property, for reporting the core's validation in the user's terms. */
    private static final Map<String, String> PROPERTY_OF = Map.ofEntries(
            Map.entry("port", "port"),
            Map.entry("maxConnections", "max-connections"),
            Map.entry("maxWsConnections", "max-websocket-connections"),
            Map.entry("maxRequestLength", "max-request-size"),
            Map.entry("maxRequestLineLength", "max-request-line-size"),
            Map.entry("maxHeaderCount", "max-header-count"),
            Map.entry("maxWsMessageLength", "max-websocket-message-size"),
            Map.entry("maxWsSendFrames", "max-websocket-send-frames"),
            Map.entry("outgoingBufferSize", "outgoing-buffer-size"),
            Map.entry("responseHeaderBufferSize", "response-header-buffer-size"),
            Map.entry("compressWebSocket", "compress-websocket"),
            Map.entry("maxConnectionsPerPoll", "max-connections-per-poll"),
            Map.entry("requestReadTimeout", "request-read-timeout"),
            Map.entry("idleTimeout", "idle-timeout"),
            Map.entry("wsIdleTimeout", "websocket-idle-timeout"));

    private ServerConfigMapper() {
    }

    static ServerConfig toServerConfig(RingHttpProperties p) {
        if (p.getShutdownGracePeriod() == null || p.getShutdownGracePeriod().isNegative()) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + "shutdown-grace-period",
                    p.getShutdownGracePeriod(), "It must be zero or positive.");
        }
        try {
            return ServerConfig.builder()
                    .address(p.getAddress())
                    .port(p.getPort())
                    .maxConnections(p.getMaxConnections())
                    .maxWsConnections(p.getMaxWebsocketConnections())
                    .maxRequestLength(bytes("max-request-size", p.getMaxRequestSize()))
                    .maxRequestLineLength(bytes("max-request-line-size", p.getMaxRequestLineSize()))
                    .maxHeaderCount(p.getMaxHeaderCount())
                    .maxWsMessageLength(bytes("max-websocket-message-size", p.getMaxWebsocketMessageSize()))
                    .maxWsSendFrames(p.getMaxWebsocketSendFrames())
                    .outgoingBufferSize(bytes("outgoing-buffer-size", p.getOutgoingBufferSize()))
                    .responseHeaderBufferSize(bytes("response-header-buffer-size", p.getResponseHeaderBufferSize()))
                    .compressWebSocket(p.isCompressWebsocket())
                    .maxConnectionsPerPoll(p.getMaxConnectionsPerPoll())
                    .requestReadTimeout(p.getRequestReadTimeout())
                    .idleTimeout(p.getIdleTimeout())
                    .wsIdleTimeout(p.getWebsocketIdleTimeout())
                    .build();
        } catch (InvalidConfigurationException e) {
            String property = PROPERTY_OF.getOrDefault(e.parameter(), e.parameter());
            String unit = property.endsWith("-size") && !e.accepted().endsWith("bytes") ? " bytes" : "";
            throw new InvalidConfigurationPropertyValueException(PREFIX + property, e.value(),
                    capitalize(e.accepted()) + unit + ".");
        }
    }

    private static int bytes(String property, DataSize size) {
        long value = size == null ? -1 : size.toBytes();
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + property, size,
                    "It must be between 0B and " + Integer.MAX_VALUE + "B.");
        }
        return (int) value;
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
