package dev.ringhttp.core;

import dev.ringhttp.core.ring.OffsetHeap;
import dev.ringhttp.core.ws.FrameDecoder;
import java.net.InetAddress;
import java.time.Duration;

/**
 * Immutable configuration of a {@link RingHttpServer}. Every buffer the server
 * will ever use is sized from these values when the server is built, so
 * {@link #footprint()} is known before anything is allocated.
 *
 * <p>Built with {@link #builder()}; {@link Builder#build()} validates every
 * value and the rules between them, and names the parameter and the accepted
 * range in the exception message.
 */
public final class ServerConfig {

    /** Bytes of the per-connection control-frame area: one pong and one close frame of at most 127 bytes each. */
    static final int WS_CONTROL_BUFFER_SIZE = 2 * (2 + 125);
    /** Bytes one queued outgoing frame costs: ring offset (8), length (4), flags (1). */
    static final int WS_FRAME_ENTRY_BYTES = Long.BYTES + Integer.BYTES + 1;
    /** Frames gathered into one vectored write, and so the size of the shared header scratch. */
    static final int MAX_GATHERED_FRAMES = 64;
    /** Largest server frame header: 2 bytes plus a 64-bit length. */
    static final int MAX_FRAME_HEADER = 10;
    /** Bytes of header storage per parsed header field: name and value start and length as ints, and its kind. */
    static final int HEADER_INDEX_BYTES = 4 * Integer.BYTES + Footprint.REFERENCE_BYTES;
    /** Messages longer than this are compressed when compression is enabled (DESIGN: "over 200 bytes"). */
    public static final int COMPRESSION_THRESHOLD = 200;
    /** {@link #managementPort()} when there is no management listener. */
    public static final int NO_MANAGEMENT_PORT = -1;
    /** {@link Builder#eventLoops(int)} value for one loop per processor the JVM may use. */
    public static final int LOOP_PER_PROCESSOR = 0;
    /** The most loops one server runs: a handle has eight bits for its loop. */
    public static final int MAX_EVENT_LOOPS = 256;

    private final InetAddress address;
    private final int port;
    private final InetAddress managementAddress;
    private final int managementPort;
    private final int maxConnections;
    private final int maxWsConnections;
    private final int maxRequestLength;
    private final int maxRequestBodyLength;
    private final int largeBodyBuffers;
    private final int maxRequestLineLength;
    private final int maxHeaderCount;
    private final int maxWsMessageLength;
    private final int maxWsSendFrames;
    private final int outgoingBufferSize;
    private final int responseHeaderBufferSize;
    private final boolean compressWebSocket;
    private final boolean webSocketDeflate;
    private final int maxConnectionsPerPoll;
    private final long requestReadTimeoutMillis;
    private final long idleTimeoutMillis;
    private final long wsIdleTimeoutMillis;
    private final int socketSendBuffer;
    private final int eventLoops;

    private ServerConfig(Builder b) {
        this.address = b.address;
        this.port = b.port;
        this.managementAddress = b.managementAddress;
        this.managementPort = b.managementPort;
        this.maxConnections = b.maxConnections;
        this.maxWsConnections = b.maxWsConnections;
        this.maxRequestLength = b.maxRequestLength;
        this.maxRequestBodyLength = b.maxRequestBodyLength;
        this.largeBodyBuffers = b.largeBodyBuffers;
        this.maxRequestLineLength = b.maxRequestLineLength;
        this.maxHeaderCount = b.maxHeaderCount;
        this.maxWsMessageLength = b.maxWsMessageLength;
        this.maxWsSendFrames = b.maxWsSendFrames;
        this.outgoingBufferSize = b.outgoingBufferSize;
        this.responseHeaderBufferSize = b.responseHeaderBufferSize;
        this.compressWebSocket = b.compressWebSocket;
        this.webSocketDeflate = b.webSocketDeflate;
        this.maxConnectionsPerPoll = b.maxConnectionsPerPoll;
        this.requestReadTimeoutMillis = b.requestReadTimeout.toMillis();
        this.idleTimeoutMillis = b.idleTimeout.toMillis();
        this.wsIdleTimeoutMillis = b.wsIdleTimeout.toMillis();
        this.socketSendBuffer = b.socketSendBuffer;
        this.eventLoops = b.eventLoops;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with this configuration's values. */
    public Builder toBuilder() {
        return new Builder()
                .address(address)
                .port(port)
                .managementAddress(managementAddress)
                .managementPort(managementPort)
                .maxConnections(maxConnections)
                .maxWsConnections(maxWsConnections)
                .maxRequestLength(maxRequestLength)
                .maxRequestBodyLength(maxRequestBodyLength)
                .largeBodyBuffers(largeBodyBuffers)
                .maxRequestLineLength(maxRequestLineLength)
                .maxHeaderCount(maxHeaderCount)
                .maxWsMessageLength(maxWsMessageLength)
                .maxWsSendFrames(maxWsSendFrames)
                .outgoingBufferSize(outgoingBufferSize)
                .responseHeaderBufferSize(responseHeaderBufferSize)
                .compressWebSocket(compressWebSocket)
                .webSocketDeflate(webSocketDeflate)
                .maxConnectionsPerPoll(maxConnectionsPerPoll)
                .requestReadTimeout(Duration.ofMillis(requestReadTimeoutMillis))
                .idleTimeout(Duration.ofMillis(idleTimeoutMillis))
                .wsIdleTimeout(Duration.ofMillis(wsIdleTimeoutMillis))
                .socketSendBuffer(socketSendBuffer)
                .eventLoops(eventLoops);
    }

    /** Address to bind, or {@code null} for the wildcard address (dual stack where the OS allows). */
    public InetAddress address() {
        return address;
    }

    public int port() {
        return port;
    }

    /**
     * Port of the second listener, for management requests (the actuator), or {@link #NO_MANAGEMENT_PORT}
     * for none; 0 picks a free port. Its connections are served by the same loop from the same pools;
     * {@link HttpRequest#viaManagementPort()} tells a handler which listener a request came through.
     */
    public int managementPort() {
        return managementPort;
    }

    /** Whether a second, management listener is configured. */
    public boolean hasManagementPort() {
        return managementPort != NO_MANAGEMENT_PORT;
    }

    /** Address of the management listener, or {@code null} for the main listener's {@link #address()}. */
    public InetAddress managementAddress() {
        return managementAddress;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxWsConnections() {
        return maxWsConnections;
    }

    public int maxRequestLength() {
        return maxRequestLength;
    }

    /**
     * The longest request body accepted (decoded, if chunked); longer ones are 413. A body that
     * does not fit its connection's request buffer ({@link #maxRequestLength()}) with the head
     * borrows one of the {@link #largeBodyBuffers()}, each this large, for its request's lifetime.
     */
    public int maxRequestBodyLength() {
        return maxRequestBodyLength;
    }

    /**
     * How many large-body buffers of {@link #maxRequestBodyLength()} bytes the server holds: how
     * many requests at a time may have a body too large for the request buffer. One more gets
     * 503 with {@code Retry-After}; 0 means every body must fit the request buffer.
     */
    public int largeBodyBuffers() {
        return largeBodyBuffers;
    }

    public int maxRequestLineLength() {
        return maxRequestLineLength;
    }

    public int maxHeaderCount() {
        return maxHeaderCount;
    }

    public int maxWsMessageLength() {
        return maxWsMessageLength;
    }

    public int maxWsSendFrames() {
        return maxWsSendFrames;
    }

    public int outgoingBufferSize() {
        return outgoingBufferSize;
    }

    public int responseHeaderBufferSize() {
        return responseHeaderBufferSize;
    }

    public boolean compressWebSocket() {
        return compressWebSocket;
    }

    /**
     * Whether to accept {@code permessage-deflate} (RFC 7692), which browsers offer, without
     * context takeover in either direction: clients may then send compressed messages, which the
     * server inflates (through one buffer of {@link #maxWsMessageLength()} for the whole loop)
     * within the message limit; and messages over {@value #COMPRESSION_THRESHOLD} bytes reach them
     * deflated (with RSV1), each deflated once for all its receivers, unless they agreed to zstd.
     */
    public boolean webSocketDeflate() {
        return webSocketDeflate;
    }

    /** Connections serviced per {@code poll} call, 0 for no cap. */
    public int maxConnectionsPerPoll() {
        return maxConnectionsPerPoll;
    }

    /**
     * Time a request may take to arrive, head and body, from its first byte:
     * the guard against slowloris clients. Exceeded: 408 and
     * {@link CloseReason#REQUEST_TIMEOUT}. 0 disables it.
     */
    public Duration requestReadTimeout() {
        return Duration.ofMillis(requestReadTimeoutMillis);
    }

    /**
     * Time an HTTP connection may wait for its next request, or wait on a
     * client that stopped reading its response. Exceeded:
     * {@link CloseReason#IDLE_TIMEOUT}. 0 disables it.
     */
    public Duration idleTimeout() {
        return Duration.ofMillis(idleTimeoutMillis);
    }

    /**
     * Time a WebSocket may stay silent. After half of it the server sends a
     * ping; a client that answers nothing by the end is closed with
     * {@link CloseReason#WS_IDLE_TIMEOUT}. 0 disables both.
     */
    public Duration wsIdleTimeout() {
        return Duration.ofMillis(wsIdleTimeoutMillis);
    }

    /**
     * Bytes of kernel send buffer each connection's socket asks for ({@code SO_SNDBUF}), so that
     * what the kernel holds for clients is bounded too: a client that stops reading fills at most
     * this much (Linux: twice this, within {@code net.core.wmem_max}) before its data backs up into
     * the ring and its frame queue, where the server notices and closes it as too slow. Setting it
     * turns off the kernel's send-buffer autotuning, which on Linux lets one socket grow to
     * {@code net.ipv4.tcp_wmem}'s maximum (4 MiB by default). It is set, with {@code TCP_NODELAY},
     * before a connection's second write, or before the rest of its first waits for the reader: a
     * connection that writes one response the kernel takes at once, and closes, never needs it
     * (until then its socket has the kernel's initial buffer, which grows only as acknowledgements
     * come).
     */
    public int socketSendBuffer() {
        return socketSendBuffer;
    }

    /**
     * Event loops the server runs, each on a thread of its own with its share of the server: a
     * listening socket, {@link LoopShares its part} of both pools and of the large-body buffers, and a
     * ring of its own of the full {@link #outgoingBufferSize()} (every loop stores every broadcast, so
     * each needs the same room to let a slow client fall behind). {@link #footprint()} is the sum.
     */
    public int eventLoops() {
        return eventLoops;
    }

    /**
     * The configuration of loop {@code loop}: this one with its share of the pools and of the
     * large-body buffers, and one loop. The same object when there is one loop.
     */
    ServerConfig loopShare(int loop) {
        if (eventLoops == 1) {
            return this;
        }
        return toBuilder()
                .eventLoops(1)
                .maxConnections(LoopShares.size(maxConnections, eventLoops, loop))
                .maxWsConnections(LoopShares.size(maxWsConnections, eventLoops, loop))
                .largeBodyBuffers(LoopShares.size(largeBodyBuffers, eventLoops, loop))
                .build();
    }

    long requestReadTimeoutMillis() {
        return requestReadTimeoutMillis;
    }

    long idleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    long wsIdleTimeoutMillis() {
        return wsIdleTimeoutMillis;
    }

    /** Bytes of receive buffer each WebSocket connection gets: a whole message plus the largest frame that may follow it. */
    public int wsReceiveBufferSize() {
        return FrameDecoder.receiveBufferSize(maxWsMessageLength);
    }

    /**
     * Bytes the server allocates when built from this configuration and never
     * grows: every direct buffer and every array sized by the configuration,
     * exactly, plus each slot's fixed-size objects as measured on HotSpot with
     * compressed references. Not included: the selector, the native tables of
     * the zstd context and of zlib's deflater and inflater (about 300 KiB for
     * permessage-deflate, one of each per loop), and kernel memory (the sockets' send buffers:
     * {@link #socketSendBuffer()}, {@link RingHttpServer#kernelSendBufferLimit()}).
     */
    public long footprint() {
        return Footprint.of(this);
    }

    /**
     * Bytes of the part of {@link #footprint()} that lives in direct buffers, outside the heap:
     * the ring, each HTTP connection's request and response-head buffers, the large-body buffers, each WebSocket's receive
     * buffer and control-frame area, the shared frame-header scratch and the error bodies. The JVM caps their total
     * ({@code -XX:MaxDirectMemorySize}); {@link RingHttpServer#create} checks it first.
     */
    long directBytes() {
        return Footprint.direct(this);
    }

    @Override
    public String toString() {
        return "ServerConfig[address=" + (address == null ? "*" : address.getHostAddress())
                + ", port=" + port
                + (hasManagementPort() ? ", managementAddress=" + (managementAddress == null ? "(address)"
                        : managementAddress.getHostAddress()) + ", managementPort=" + managementPort : "")
                + ", maxConnections=" + maxConnections
                + ", maxWsConnections=" + maxWsConnections
                + ", maxRequestLength=" + maxRequestLength
                + ", maxRequestBodyLength=" + maxRequestBodyLength
                + ", largeBodyBuffers=" + largeBodyBuffers
                + ", maxRequestLineLength=" + maxRequestLineLength
                + ", maxHeaderCount=" + maxHeaderCount
                + ", maxWsMessageLength=" + maxWsMessageLength
                + ", maxWsSendFrames=" + maxWsSendFrames
                + ", outgoingBufferSize=" + outgoingBufferSize
                + ", responseHeaderBufferSize=" + responseHeaderBufferSize
                + ", compressWebSocket=" + compressWebSocket
                + ", webSocketDeflate=" + webSocketDeflate
                + ", maxConnectionsPerPoll=" + maxConnectionsPerPoll
                + ", requestReadTimeout=" + requestReadTimeout()
                + ", idleTimeout=" + idleTimeout()
                + ", wsIdleTimeout=" + wsIdleTimeout()
                + ", socketSendBuffer=" + socketSendBuffer
                + ", eventLoops=" + eventLoops + "]";
    }

    /** Collects and validates configuration values. Defaults suit a small dashboard server. */
    public static final class Builder {
        private static final int MAX_BUFFER = 1 << 30;
        private static final int DEFAULT_REQUEST_LINE_LENGTH = 8 * 1024;
        private static final Duration MAX_TIMEOUT = Duration.ofDays(1);
        /** Below what Linux keeps as a socket's minimum send buffer anyway. */
        private static final int MIN_SOCKET_SEND_BUFFER = 4 * 1024;
        private static final int DEFAULT_SOCKET_SEND_BUFFER = 256 * 1024;

        private InetAddress address;
        private int port = 8080;
        private InetAddress managementAddress;
        private int managementPort = NO_MANAGEMENT_PORT;
        private int maxConnections = 1024;
        private int maxWsConnections = 1024;
        private int maxRequestLength = 64 * 1024;
        private int maxRequestBodyLength = 8 * 1024 * 1024;
        private int largeBodyBuffers = 4;
        private int maxRequestLineLength = DEFAULT_REQUEST_LINE_LENGTH;
        private boolean requestLineLengthSet;
        private int maxHeaderCount = 64;
        private int maxWsMessageLength = 64 * 1024;
        private int maxWsSendFrames = 256;
        private int outgoingBufferSize = 16 * 1024 * 1024;
        private int responseHeaderBufferSize = 4 * 1024;
        private boolean compressWebSocket;
        private boolean webSocketDeflate = true;
        private int maxConnectionsPerPoll;
        private Duration requestReadTimeout = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration wsIdleTimeout = Duration.ofSeconds(60);
        private int socketSendBuffer = DEFAULT_SOCKET_SEND_BUFFER;
        private int eventLoops = 1;

        private Builder() {
        }

        public Builder address(InetAddress address) {
            this.address = address;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * A second listener for management requests: 0 to 65535 (0 picks a free port), or
         * {@link #NO_MANAGEMENT_PORT} (the default) for none. A fixed port must differ from {@link #port}.
         */
        public Builder managementPort(int managementPort) {
            this.managementPort = managementPort;
            return this;
        }

        /** Address of the management listener; {@code null} (the default) binds it where {@link #address} says. */
        public Builder managementAddress(InetAddress managementAddress) {
            this.managementAddress = managementAddress;
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        public Builder maxWsConnections(int maxWsConnections) {
            this.maxWsConnections = maxWsConnections;
            return this;
        }

        public Builder maxRequestLength(int maxRequestLength) {
            this.maxRequestLength = maxRequestLength;
            return this;
        }

        /** See {@link ServerConfig#maxRequestBodyLength()}: 1 byte to 1 GiB (default 8 MiB). */
        public Builder maxRequestBodyLength(int maxRequestBodyLength) {
            this.maxRequestBodyLength = maxRequestBodyLength;
            return this;
        }

        /** See {@link ServerConfig#largeBodyBuffers()}: 0 to 1024 (default 4). */
        public Builder largeBodyBuffers(int largeBodyBuffers) {
            this.largeBodyBuffers = largeBodyBuffers;
            return this;
        }

        /** Unless set, the request line may be 8 KiB or the whole {@code maxRequestLength}, whichever is smaller. */
        public Builder maxRequestLineLength(int maxRequestLineLength) {
            this.maxRequestLineLength = maxRequestLineLength;
            this.requestLineLengthSet = true;
            return this;
        }

        public Builder maxHeaderCount(int maxHeaderCount) {
            this.maxHeaderCount = maxHeaderCount;
            return this;
        }

        public Builder maxWsMessageLength(int maxWsMessageLength) {
            this.maxWsMessageLength = maxWsMessageLength;
            return this;
        }

        public Builder maxWsSendFrames(int maxWsSendFrames) {
            this.maxWsSendFrames = maxWsSendFrames;
            return this;
        }

        public Builder outgoingBufferSize(int outgoingBufferSize) {
            this.outgoingBufferSize = outgoingBufferSize;
            return this;
        }

        public Builder responseHeaderBufferSize(int responseHeaderBufferSize) {
            this.responseHeaderBufferSize = responseHeaderBufferSize;
            return this;
        }

        /** See {@link ServerConfig#webSocketDeflate()} (default true). */
        public Builder webSocketDeflate(boolean webSocketDeflate) {
            this.webSocketDeflate = webSocketDeflate;
            return this;
        }

        public Builder compressWebSocket(boolean compressWebSocket) {
            this.compressWebSocket = compressWebSocket;
            return this;
        }

        public Builder maxConnectionsPerPoll(int maxConnectionsPerPoll) {
            this.maxConnectionsPerPoll = maxConnectionsPerPoll;
            return this;
        }

        public Builder requestReadTimeout(Duration requestReadTimeout) {
            this.requestReadTimeout = requestReadTimeout;
            return this;
        }

        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        public Builder wsIdleTimeout(Duration wsIdleTimeout) {
            this.wsIdleTimeout = wsIdleTimeout;
            return this;
        }

        /**
         * {@code SO_SNDBUF} of every accepted socket, 4 KiB to 1 GiB (default 256 KiB). Always set:
         * leaving it to the OS would let the kernel hold megabytes per stalled client outside the
         * fixed budget. See {@link ServerConfig#socketSendBuffer()}.
         */
        public Builder socketSendBuffer(int socketSendBuffer) {
            this.socketSendBuffer = socketSendBuffer;
            return this;
        }

        /**
         * Event loops, 1 to {@value ServerConfig#MAX_EVENT_LOOPS} (default 1), or
         * {@link ServerConfig#LOOP_PER_PROCESSOR} for one per processor the JVM may use, counted when
         * the configuration is built. Both pools need at least one slot per loop. See
         * {@link ServerConfig#eventLoops()}.
         */
        public Builder eventLoops(int eventLoops) {
            this.eventLoops = eventLoops;
            return this;
        }

        /**
         * Validates and freezes the configuration.
         *
         * @throws InvalidConfigurationException naming the first bad parameter, its value and the accepted range
         */
        public ServerConfig build() {
            check("port", port, 0, 65_535);
            check("managementPort", managementPort, NO_MANAGEMENT_PORT, 65_535);
            if (managementPort > 0 && managementPort == port) {
                throw new InvalidConfigurationException("managementPort", managementPort,
                        "it must differ from port, or be " + NO_MANAGEMENT_PORT + " to serve management requests there");
            }
            check("maxConnections", maxConnections, 1, 1 << 20);
            check("maxWsConnections", maxWsConnections, 1, 1 << 20);
            check("maxRequestLength", maxRequestLength, 256, MAX_BUFFER);
            if (!requestLineLengthSet) {
                maxRequestLineLength = Math.min(DEFAULT_REQUEST_LINE_LENGTH, maxRequestLength);
            }
            check("maxRequestLineLength", maxRequestLineLength, 16, maxRequestLength);
            check("maxRequestBodyLength", maxRequestBodyLength, 1, MAX_BUFFER);
            check("largeBodyBuffers", largeBodyBuffers, 0, 1024);
            check("maxHeaderCount", maxHeaderCount, 1, 4096);
            check("maxWsMessageLength", maxWsMessageLength, 1, MAX_BUFFER);
            check("maxWsSendFrames", maxWsSendFrames, 1, 1 << 16);
            check("responseHeaderBufferSize", responseHeaderBufferSize, 256, 1 << 20);
            check("maxConnectionsPerPoll", maxConnectionsPerPoll, 0, Integer.MAX_VALUE);
            check("socketSendBuffer", socketSendBuffer, MIN_SOCKET_SEND_BUFFER, MAX_BUFFER);
            check("eventLoops", eventLoops, LOOP_PER_PROCESSOR, MAX_EVENT_LOOPS);
            if (eventLoops == LOOP_PER_PROCESSOR) {
                eventLoops = Math.min(Runtime.getRuntime().availableProcessors(), MAX_EVENT_LOOPS);
            }
            if (maxConnections < eventLoops || maxWsConnections < eventLoops) {
                boolean http = maxConnections < eventLoops;
                throw new InvalidConfigurationException(http ? "maxConnections" : "maxWsConnections",
                        http ? maxConnections : maxWsConnections, "each of the " + eventLoops
                        + " event loops needs at least one slot of each pool, so it must be at least " + eventLoops
                        + " (or eventLoops lower)");
            }
            checkTimeout("requestReadTimeout", requestReadTimeout);
            checkTimeout("idleTimeout", idleTimeout);
            checkTimeout("wsIdleTimeout", wsIdleTimeout);
            if (outgoingBufferSize < maxWsMessageLength || outgoingBufferSize > MAX_BUFFER) {
                throw new InvalidConfigurationException("outgoingBufferSize", outgoingBufferSize,
                        "it must hold at least one whole message, so it must be between maxWsMessageLength ("
                        + maxWsMessageLength + ") and " + MAX_BUFFER + " bytes");
            }
            if (compressWebSocket && !ZstdSupport.available()) {
                throw new InvalidConfigurationException("compressWebSocket", true,
                        "zstd-jni (com.github.luben:zstd-jni) is not on the classpath; add it or disable compression");
            }
            return new ServerConfig(this);
        }

        private static void checkTimeout(String name, Duration value) {
            if (value == null || value.isNegative() || value.compareTo(MAX_TIMEOUT) > 0) {
                throw new InvalidConfigurationException(name, value,
                        "it must be between 0 (disabled) and " + MAX_TIMEOUT);
            }
        }

        private static void check(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new InvalidConfigurationException(name, value, "it must be between " + min + " and " + max);
            }
        }
    }

    /** Whether zstd-jni can be loaded, probed without linking against it. */
    static final class ZstdSupport {
        private ZstdSupport() {
        }

        static boolean available() {
            try {
                Class.forName("com.github.luben.zstd.ZstdCompressCtx", false, ServerConfig.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
    }
}
