package dev.ringhttp.autoconfigure;

import dev.ringhttp.core.HttpHandler;
import dev.ringhttp.core.InvalidConfigurationException;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.WebSocketHandler;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Maps {@link RingHttpProperties} onto the core's immutable
 * {@link ServerConfig}, which validates every value and the rules between
 * them. A refused value is reported under its property name, so start-up
 * fails with a message naming the property, the value and what is accepted.
 * So is a footprint the JVM cannot hold, which the core finds when the
 * server is built: its message names the properties that size it.
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
            Map.entry("wsIdleTimeout", "websocket-idle-timeout"),
            Map.entry("socketSendBuffer", "socket-send-buffer"));

    /** The core's parameter names, as whole words in its messages. */
    private static final Pattern PARAMETER = Pattern.compile("\\b(" + String.join("|", PROPERTY_OF.keySet()) + ")\\b");

    /** The core's pseudo-parameter for the total size of the buffers a configuration asks for. */
    private static final String FOOTPRINT = "footprint";

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
                    .socketSendBuffer(bytes("socket-send-buffer", p.getSocketSendBuffer()))
                    .build();
        } catch (InvalidConfigurationException e) {
            throw inPropertyTerms(e);
        }
    }

    /** Builds the server, reporting a footprint the JVM cannot hold in terms of the properties. */
    static RingHttpServer create(ServerConfig config, HttpHandler http, WebSocketHandler ws) {
        try {
            return RingHttpServer.create(config, http, ws);
        } catch (InvalidConfigurationException e) {
            throw inPropertyTerms(e);
        }
    }

    private static InvalidConfigurationPropertyValueException inPropertyTerms(InvalidConfigurationException e) {
        if (FOOTPRINT.equals(e.parameter())) {
            // Several properties size the footprint, so it is reported against their common prefix.
            return new InvalidConfigurationPropertyValueException(PREFIX.substring(0, PREFIX.length() - 1),
                    "a footprint of " + e.value(), capitalize(propertyNames(e.accepted())) + ".");
        }
        String property = PROPERTY_OF.getOrDefault(e.parameter(), e.parameter());
        String unit = (property.endsWith("-size") || property.endsWith("-buffer")) && !e.accepted().endsWith("bytes")
                ? " bytes" : "";
        return new InvalidConfigurationPropertyValueException(PREFIX + property, e.value(),
                capitalize(e.accepted()) + unit + ".");
    }

    /** {@code text} with each core parameter name replaced by its property's full name. */
    static String propertyNames(String text) {
        Matcher m = PARAMETER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(PREFIX + PROPERTY_OF.get(m.group(1))));
        }
        return m.appendTail(out).toString();
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
