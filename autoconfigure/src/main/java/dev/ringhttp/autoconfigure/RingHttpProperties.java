package dev.ringhttp.autoconfigure;

import dev.ringhttp.autoconfigure.server.LoopFailureAction;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.web.cors.CorsConfiguration;

/**
 * Configuration of the ringhttp server, under {@code ringhttp.server}. Every
 * size here becomes a buffer allocated once at start-up; the total is
 * reported by the {@code ringhttp} actuator endpoint. The port and the
 * address, unset, are Spring Boot's {@code server.port} and
 * {@code server.address}, as for any of Boot's web servers.
 */
@ConfigurationProperties("ringhttp.server")
public class RingHttpProperties {

    /** Whether to start the ringhttp server with the application context. */
    private boolean enabled = true;

    /** Address to bind. Unset, server.address applies, and every interface (IPv4 and IPv6 where the OS allows) when that is unset too. */
    private @Nullable InetAddress address;

    /** Port to listen on; 0 picks a free port. Unset, server.port applies, and 8080 when that is unset too. */
    private @Nullable Integer port;

    /** Maximum number of concurrent HTTP connections; when full, a new connection evicts an old one. */
    private int maxConnections = 1024;

    /** Maximum number of concurrent WebSocket connections; when full, an upgrade evicts an old one. */
    private int maxWebsocketConnections = 1024;

    /**
     * Size of each HTTP connection's request buffer: request line, headers and a body that fits with
     * them; a larger body borrows a large-body buffer. A head that does not fit is 431.
     */
    private DataSize maxRequestSize = DataSize.ofKilobytes(64);

    /** Maximum size of one request body, decoded if chunked (larger: 413); also each large-body buffer's size. */
    private DataSize maxRequestBodySize = DataSize.ofMegabytes(8);

    /**
     * Number of large-body buffers: how many requests at a time may have a body too large for the
     * request buffer (one more gets 503 with Retry-After); 0: every body must fit max-request-size.
     */
    private int largeBodyBuffers = 4;

    /** Maximum size of the request line (longer: 414); unset, it is 8KB or max-request-size, whichever is smaller. */
    private @Nullable DataSize maxRequestLineSize;

    /** Maximum number of header fields in one request (more: 431). */
    private int maxHeaderCount = 64;

    /** Maximum size of one incoming WebSocket message, all fragments together (larger: close 1009). */
    private DataSize maxWebsocketMessageSize = DataSize.ofKilobytes(64);

    /** Maximum number of outgoing frames queued per WebSocket before the client counts as too slow. */
    private int maxWebsocketSendFrames = 256;

    /** Size of the outgoing ring every response body and WebSocket message is staged in; clients that fall a whole ring behind are evicted. */
    private DataSize outgoingBufferSize = DataSize.ofMegabytes(16);

    /** Size of the buffer one response's status line and headers are formatted into. */
    private DataSize responseHeaderBufferSize = DataSize.ofKilobytes(4);

    /** Whether to zstd-compress WebSocket text messages over 200 bytes for clients that offer the compress-zstd subprotocol. */
    private boolean compressWebsocket = false;

    /**
     * Whether to accept permessage-deflate (RFC 7692), which browsers offer, without context
     * takeover: clients may send compressed messages, inflated within the message limit.
     */
    private boolean websocketDeflate = true;

    /** Maximum number of connections serviced per event-loop turn, 0 for no cap; a cap trades throughput for fairness. */
    private int maxConnectionsPerPoll = 0;

    /**
     * Number of event loops, each a thread with its own listening socket (SO_REUSEPORT), its share of
     * max-connections, max-websocket-connections and large-body-buffers, and an outgoing ring of its own of the full
     * outgoing-buffer-size; 0 for one per available processor.
     */
    private int eventLoops = 1;

    /** How long a request may take to arrive, head and body, from its first byte (slowloris guard; 408 when exceeded); 0 disables it. */
    private Duration requestReadTimeout = Duration.ofSeconds(30);

    /** How long an HTTP connection may wait for its next request, or on a client that stopped reading; 0 disables it. */
    private Duration idleTimeout = Duration.ofSeconds(60);

    /** How long a WebSocket may stay silent; the server pings after half of it and closes a client that still says nothing; 0 disables it. */
    private Duration websocketIdleTimeout = Duration.ofSeconds(60);

    /** How long a graceful shutdown (server.shutdown=graceful) waits for responses in flight before closing what is left; unset, or longer than spring.lifecycle.timeout-per-shutdown-phase, it is that timeout. */
    private @Nullable Duration shutdownGracePeriod;

    /** What the application does when the event loop dies of an unexpected error: exit (close the context and exit the JVM with status 1) or keep-running (health DOWN only). */
    private LoopFailureAction onLoopFailure = LoopFailureAction.EXIT;

    /** Size of the kernel send buffer each connection's socket asks for (SO_SNDBUF), so kernel memory per client is bounded too; Linux doubles it, within net.core.wmem_max. */
    private DataSize socketSendBuffer = DataSize.ofKilobytes(256);

    /** Cross-origin resource sharing for the routes: the global configuration, under each route's @CrossOrigin. */
    private final Cors cors = new Cors();

    /** Checks on WebSocket upgrades. */
    private final Websocket websocket = new Websocket();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable InetAddress getAddress() {
        return address;
    }

    public void setAddress(@Nullable InetAddress address) {
        this.address = address;
    }

    public @Nullable Integer getPort() {
        return port;
    }

    public void setPort(@Nullable Integer port) {
        this.port = port;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public int getMaxWebsocketConnections() {
        return maxWebsocketConnections;
    }

    public void setMaxWebsocketConnections(int maxWebsocketConnections) {
        this.maxWebsocketConnections = maxWebsocketConnections;
    }

    public DataSize getMaxRequestBodySize() {
        return maxRequestBodySize;
    }

    public void setMaxRequestBodySize(DataSize maxRequestBodySize) {
        this.maxRequestBodySize = maxRequestBodySize;
    }

    public int getLargeBodyBuffers() {
        return largeBodyBuffers;
    }

    public void setLargeBodyBuffers(int largeBodyBuffers) {
        this.largeBodyBuffers = largeBodyBuffers;
    }

    public DataSize getMaxRequestSize() {
        return maxRequestSize;
    }

    public void setMaxRequestSize(DataSize maxRequestSize) {
        this.maxRequestSize = maxRequestSize;
    }

    public @Nullable DataSize getMaxRequestLineSize() {
        return maxRequestLineSize;
    }

    public void setMaxRequestLineSize(@Nullable DataSize maxRequestLineSize) {
        this.maxRequestLineSize = maxRequestLineSize;
    }

    public int getMaxHeaderCount() {
        return maxHeaderCount;
    }

    public void setMaxHeaderCount(int maxHeaderCount) {
        this.maxHeaderCount = maxHeaderCount;
    }

    public DataSize getMaxWebsocketMessageSize() {
        return maxWebsocketMessageSize;
    }

    public void setMaxWebsocketMessageSize(DataSize maxWebsocketMessageSize) {
        this.maxWebsocketMessageSize = maxWebsocketMessageSize;
    }

    public int getMaxWebsocketSendFrames() {
        return maxWebsocketSendFrames;
    }

    public void setMaxWebsocketSendFrames(int maxWebsocketSendFrames) {
        this.maxWebsocketSendFrames = maxWebsocketSendFrames;
    }

    public DataSize getOutgoingBufferSize() {
        return outgoingBufferSize;
    }

    public void setOutgoingBufferSize(DataSize outgoingBufferSize) {
        this.outgoingBufferSize = outgoingBufferSize;
    }

    public DataSize getResponseHeaderBufferSize() {
        return responseHeaderBufferSize;
    }

    public void setResponseHeaderBufferSize(DataSize responseHeaderBufferSize) {
        this.responseHeaderBufferSize = responseHeaderBufferSize;
    }

    public boolean isCompressWebsocket() {
        return compressWebsocket;
    }

    public void setCompressWebsocket(boolean compressWebsocket) {
        this.compressWebsocket = compressWebsocket;
    }

    public boolean isWebsocketDeflate() {
        return websocketDeflate;
    }

    public void setWebsocketDeflate(boolean websocketDeflate) {
        this.websocketDeflate = websocketDeflate;
    }

    public int getEventLoops() {
        return eventLoops;
    }

    public void setEventLoops(int eventLoops) {
        this.eventLoops = eventLoops;
    }

    public int getMaxConnectionsPerPoll() {
        return maxConnectionsPerPoll;
    }

    public void setMaxConnectionsPerPoll(int maxConnectionsPerPoll) {
        this.maxConnectionsPerPoll = maxConnectionsPerPoll;
    }

    public Duration getRequestReadTimeout() {
        return requestReadTimeout;
    }

    public void setRequestReadTimeout(Duration requestReadTimeout) {
        this.requestReadTimeout = requestReadTimeout;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Duration getWebsocketIdleTimeout() {
        return websocketIdleTimeout;
    }

    public void setWebsocketIdleTimeout(Duration websocketIdleTimeout) {
        this.websocketIdleTimeout = websocketIdleTimeout;
    }

    public @Nullable Duration getShutdownGracePeriod() {
        return shutdownGracePeriod;
    }

    public void setShutdownGracePeriod(@Nullable Duration shutdownGracePeriod) {
        this.shutdownGracePeriod = shutdownGracePeriod;
    }

    public LoopFailureAction getOnLoopFailure() {
        return onLoopFailure;
    }

    public void setOnLoopFailure(LoopFailureAction onLoopFailure) {
        this.onLoopFailure = onLoopFailure;
    }

    public DataSize getSocketSendBuffer() {
        return socketSendBuffer;
    }

    public void setSocketSendBuffer(DataSize socketSendBuffer) {
        this.socketSendBuffer = socketSendBuffer;
    }

    public Cors getCors() {
        return cors;
    }

    public Websocket getWebsocket() {
        return websocket;
    }

    /** Checks on WebSocket upgrades, under {@code ringhttp.server.websocket}. */
    public static class Websocket {

        /**
         * Origins allowed to open WebSockets besides the server's own (same host and port), such as
         * https://app.example.com, or * for any; an upgrade without Origin (not a browser) is always allowed.
         */
        private List<String> allowedOrigins = new ArrayList<>();

        public List<String> getAllowedOrigins() {
            return allowedOrigins;
        }

        public void setAllowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
        }
    }

    /**
     * Cross-origin resource sharing for every route, under {@code ringhttp.server.cors}; a route's
     * {@code @CrossOrigin} is combined on top, as in Spring MVC.
     */
    public static class Cors {

        /** Origins allowed to call the routes from a browser, such as https://example.com, or * for any; empty (with no origin patterns) disables global CORS. */
        private List<String> allowedOrigins = new ArrayList<>();

        /** Origin patterns allowed to call the routes, such as https://*.example.com; unlike *, a pattern may be used with credentials. */
        private List<String> allowedOriginPatterns = new ArrayList<>();

        /** Methods a preflight may ask for, or *; empty allows the methods each route answers. */
        private List<String> allowedMethods = new ArrayList<>();

        /** Request headers a preflight may ask for; empty allows any (*), so a browser's JSON POST passes its preflight. */
        private List<String> allowedHeaders = new ArrayList<>();

        /** Response headers browsers may show to the calling script besides the CORS-safelisted ones. */
        private List<String> exposedHeaders = new ArrayList<>();

        /** Whether browsers may send credentials (cookies, authorization) with cross-origin requests; needs explicit origins or origin patterns, not *. */
        private boolean allowCredentials;

        /** How long browsers may cache a preflight answer. */
        private Duration maxAge = Duration.ofMinutes(30);

        /**
         * The spring-web configuration these properties describe; null when no origin is allowed.
         * Credentials with origin * fail here, at start-up.
         */
        public @Nullable CorsConfiguration toCorsConfiguration() {
            if (allowedOrigins.isEmpty() && allowedOriginPatterns.isEmpty()) {
                return null;
            }
            CorsConfiguration config = new CorsConfiguration();
            config.setAllowedOrigins(allowedOrigins);
            config.setAllowedOriginPatterns(allowedOriginPatterns);
            if (!allowedMethods.isEmpty()) {
                config.setAllowedMethods(allowedMethods);
            }
            config.setAllowedHeaders(allowedHeaders.isEmpty() ? List.of(CorsConfiguration.ALL) : allowedHeaders);
            config.setExposedHeaders(exposedHeaders);
            config.setAllowCredentials(allowCredentials);
            config.setMaxAge(maxAge);
            try {
                config.validateAllowCredentials();
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("ringhttp.server.cors: " + e.getMessage(), e);
            }
            return config;
        }

        public List<String> getAllowedOrigins() {
            return allowedOrigins;
        }

        public void setAllowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
        }

        public List<String> getAllowedOriginPatterns() {
            return allowedOriginPatterns;
        }

        public void setAllowedOriginPatterns(List<String> allowedOriginPatterns) {
            this.allowedOriginPatterns = allowedOriginPatterns;
        }

        public List<String> getAllowedMethods() {
            return allowedMethods;
        }

        public void setAllowedMethods(List<String> allowedMethods) {
            this.allowedMethods = allowedMethods;
        }

        public List<String> getAllowedHeaders() {
            return allowedHeaders;
        }

        public void setAllowedHeaders(List<String> allowedHeaders) {
            this.allowedHeaders = allowedHeaders;
        }

        public List<String> getExposedHeaders() {
            return exposedHeaders;
        }

        public void setExposedHeaders(List<String> exposedHeaders) {
            this.exposedHeaders = exposedHeaders;
        }

        public boolean isAllowCredentials() {
            return allowCredentials;
        }

        public void setAllowCredentials(boolean allowCredentials) {
            this.allowCredentials = allowCredentials;
        }

        public Duration getMaxAge() {
            return maxAge;
        }

        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }
    }
}
