package dev.ringhttp.autoconfigure;

import dev.ringhttp.core.HttpHandler;
import dev.ringhttp.core.InvalidConfigurationException;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.ServerContext;
import dev.ringhttp.core.WebSocketHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.util.unit.DataSize;

/**
 * Maps {@link RingHttpProperties} onto the core's immutable
 * {@link ServerConfig}, which validates every value and the rules between
 * them and derives what was left unset. The port and the address fall back
 * to Boot's {@code server.port} and {@code server.address} where ringhttp's
 * own are unset, so that ringhttp listens where a Boot application (and
 * {@code @SpringBootTest(webEnvironment = RANDOM_PORT)}, which sets
 * {@code server.port=0}) expects its web server. A refused value is reported
 * under the name of the property it came from, so start-up fails with a
 * message naming the property, the value and what is accepted. So is a
 * footprint the JVM cannot hold, which the core finds when the server is
 * built: its message names the properties that size it.
 */
final class ServerConfigMapper {

    private static final String PREFIX = "ringhttp.server.";

    /** Boot's property for the port, which applies when ringhttp's own is unset. */
    private static final String BOOT_PORT = "server.port";

    /** Core builder parameter → property, for reporting the core's validation in the user's terms. */
    private static final Map<String, String> PROPERTY_OF = Map.ofEntries(
            Map.entry("port", "port"),
            Map.entry("maxConnections", "max-connections"),
            Map.entry("maxWsConnections", "max-websocket-connections"),
            Map.entry("maxRequestLength", "max-request-size"),
            Map.entry("maxRequestBodyLength", "max-request-body-size"),
            Map.entry("largeBodyBuffers", "large-body-buffers"),
            Map.entry("maxRequestLineLength", "max-request-line-size"),
            Map.entry("maxHeaderCount", "max-header-count"),
            Map.entry("maxWsMessageLength", "max-websocket-message-size"),
            Map.entry("maxWsSendFrames", "max-websocket-send-frames"),
            Map.entry("outgoingBufferSize", "outgoing-buffer-size"),
            Map.entry("responseHeaderBufferSize", "response-header-buffer-size"),
            Map.entry("compressWebSocket", "compress-websocket"),
            Map.entry("webSocketDeflate", "websocket-deflate"),
            Map.entry("maxConnectionsPerPoll", "max-connections-per-poll"),
            Map.entry("eventLoops", "event-loops"),
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

    /**
     * The configuration the properties describe, adjusted by
     * {@code customizers} in their order. The properties are built once on
     * their own, so that a refusal of theirs names the property; the
     * customizers then get a fresh builder with the same values (not
     * {@link ServerConfig#toBuilder()}, which would fix the values the core
     * derived), and what they set is refused in the builder's own terms.
     */
    static ServerConfig toServerConfig(RingHttpProperties properties, ServerProperties server,
            List<RingHttpServerConfigCustomizer> customizers) {
        checkShutdownGracePeriod(properties.getShutdownGracePeriod());
        checkNoTls(server);
        ServerConfig fromProperties;
        try {
            fromProperties = builderFrom(properties, server).build();
        } catch (InvalidConfigurationException e) {
            throw inPropertyTerms(e, properties.getPort() != null ? PREFIX + "port" : BOOT_PORT);
        }
        if (customizers.isEmpty()) {
            return fromProperties;
        }
        ServerConfig.Builder builder = builderFrom(properties, server);
        customizers.forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /**
     * A builder holding the values of the properties and nothing more. A
     * property that is unset (null) leaves the core's default, and a value
     * the core derives from others (the request line limit, from the
     * request size) is left for {@link ServerConfig.Builder#build()} to
     * derive, so that a refusal names a property the user set. The port and
     * the address are ringhttp's own, else Boot's, else the core's defaults
     * (8080, every interface).
     */
    private static ServerConfig.Builder builderFrom(RingHttpProperties p, ServerProperties server) {
        ServerConfig.Builder builder = ServerConfig.builder();
        PropertyMapper map = PropertyMapper.get();
        map.from(p.getAddress() != null ? p.getAddress() : server.getAddress()).to(builder::address);
        map.from(p.getPort() != null ? p.getPort() : server.getPort()).to(builder::port);
        map.from(p::getMaxConnections).to(builder::maxConnections);
        map.from(p::getMaxWebsocketConnections).to(builder::maxWsConnections);
        map.from(p::getMaxRequestSize).as(bytes("max-request-size")).to(builder::maxRequestLength);
        map.from(p::getMaxRequestBodySize).as(bytes("max-request-body-size")).to(builder::maxRequestBodyLength);
        map.from(p::getLargeBodyBuffers).to(builder::largeBodyBuffers);
        map.from(p::getMaxRequestLineSize).as(bytes("max-request-line-size")).to(builder::maxRequestLineLength);
        map.from(p::getMaxHeaderCount).to(builder::maxHeaderCount);
        map.from(p::getMaxWebsocketMessageSize).as(bytes("max-websocket-message-size"))
                .to(builder::maxWsMessageLength);
        map.from(p::getMaxWebsocketSendFrames).to(builder::maxWsSendFrames);
        map.from(p::getOutgoingBufferSize).as(bytes("outgoing-buffer-size")).to(builder::outgoingBufferSize);
        map.from(p::getResponseHeaderBufferSize).as(bytes("response-header-buffer-size"))
                .to(builder::responseHeaderBufferSize);
        map.from(p::isCompressWebsocket).to(builder::compressWebSocket);
        map.from(p::isWebsocketDeflate).to(builder::webSocketDeflate);
        map.from(p::getMaxConnectionsPerPoll).to(builder::maxConnectionsPerPoll);
        map.from(p::getEventLoops).to(builder::eventLoops);
        map.from(p::getRequestReadTimeout).to(builder::requestReadTimeout);
        map.from(p::getIdleTimeout).to(builder::idleTimeout);
        map.from(p::getWebsocketIdleTimeout).to(builder::wsIdleTimeout);
        map.from(p::getSocketSendBuffer).as(bytes("socket-send-buffer")).to(builder::socketSendBuffer);
        return builder;
    }

    /** The grace period is the lifecycle's, not the core configuration's, so it is checked here; unset is allowed. */
    private static void checkShutdownGracePeriod(@Nullable Duration gracePeriod) {
        if (gracePeriod != null && gracePeriod.isNegative()) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + "shutdown-grace-period", gracePeriod,
                    "It must be zero or positive.");
        }
    }

    /**
     * How long a graceful shutdown lets responses in flight finish: ringhttp's grace period, or the
     * shutdown phase's timeout where that is shorter or the grace period unset. Spring stops waiting
     * for the phase at its timeout and goes on stopping the application, and the core cannot cut a
     * graceful shutdown short once it has begun; so the grace period must end it by then.
     */
    static Duration gracePeriod(RingHttpProperties properties, Duration phaseTimeout) {
        Duration bound = phaseTimeout.isNegative() ? Duration.ZERO : phaseTimeout;
        Duration own = properties.getShutdownGracePeriod();
        return own == null || own.compareTo(bound) > 0 ? bound : own;
    }

    /**
     * ringhttp speaks plain HTTP only. An application that asks Boot for TLS ({@code server.ssl.*},
     * enabled unless {@code server.ssl.enabled=false}) must not start serving its traffic in clear,
     * so that is refused rather than merely warned about as other ignored properties are.
     */
    private static void checkNoTls(ServerProperties server) {
        Ssl ssl = server.getSsl();
        if (ssl != null && ssl.isEnabled()) {
            throw new InvalidConfigurationPropertyValueException("server.ssl.enabled", true,
                    "ringhttp serves plain HTTP only. Terminate TLS in front of it (a reverse proxy or load"
                            + " balancer), or set server.ssl.enabled=false.");
        }
    }

    /** Builds the server, reporting a footprint the JVM cannot hold in terms of the properties. */
    static RingHttpServer create(ServerConfig config, ServerContext context, HttpHandler http, WebSocketHandler ws) {
        try {
            return RingHttpServer.create(config, context, http, ws);
        } catch (InvalidConfigurationException e) {
            throw inPropertyTerms(e, PREFIX + "port"); // only the footprint is refused here, never the port
        }
    }

    /** @param portProperty the property the port came from: ringhttp's own, or Boot's where that was unset */
    private static InvalidConfigurationPropertyValueException inPropertyTerms(InvalidConfigurationException e,
            String portProperty) {
        if (FOOTPRINT.equals(e.parameter())) {
            // Several properties size the footprint, so it is reported against their common prefix.
            return new InvalidConfigurationPropertyValueException(PREFIX.substring(0, PREFIX.length() - 1),
                    "a footprint of " + e.value(), capitalize(propertyNames(e.accepted())) + ".");
        }
        String property = PROPERTY_OF.getOrDefault(e.parameter(), e.parameter());
        String unit = (property.endsWith("-size") || property.endsWith("-buffer")) && !e.accepted().endsWith("bytes")
                ? " bytes" : "";
        String name = "port".equals(e.parameter()) ? portProperty : PREFIX + property;
        return new InvalidConfigurationPropertyValueException(name, e.value(),
                capitalize(propertyNames(e.accepted())) + unit + ".");
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

    /** A size as the core's int of bytes; one that does not fit is refused under its property's name. */
    private static PropertyMapper.Source.Adapter<DataSize, Integer> bytes(String property) {
        return size -> {
            long value = size.toBytes();
            if (value < 0 || value > Integer.MAX_VALUE) {
                throw new InvalidConfigurationPropertyValueException(PREFIX + property, size,
                        "It must be between 0B and " + Integer.MAX_VALUE + "B.");
            }
            return (int) value;
        };
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
