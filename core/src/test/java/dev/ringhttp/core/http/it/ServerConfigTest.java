package dev.ringhttp.core.http.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.WebSocketHandler;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Builder validation messages and the footprint a configuration promises. */
class ServerConfigTest {

    private static final int MAX_BUFFER = 1 << 30;

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad("port", -1, b -> b.port(-1), "0 and 65535"),
                bad("port", 65_536, b -> b.port(65_536), "0 and 65535"),
                bad("maxConnections", 0, b -> b.maxConnections(0), "1 and " + (1 << 20)),
                bad("maxWsConnections", 0, b -> b.maxWsConnections(0), "1 and " + (1 << 20)),
                bad("maxRequestLength", 0, b -> b.maxRequestLength(0), "256 and " + MAX_BUFFER),
                bad("maxRequestLineLength", 0, b -> b.maxRequestLineLength(0), "16 and 65536"),
                bad("maxHeaderCount", 0, b -> b.maxHeaderCount(0), "1 and 4096"),
                bad("maxWsMessageLength", 0, b -> b.maxWsMessageLength(0), "1 and " + MAX_BUFFER),
                bad("maxWsSendFrames", 0, b -> b.maxWsSendFrames(0), "1 and 65536"),
                bad("responseHeaderBufferSize", 0, b -> b.responseHeaderBufferSize(0), "256 and " + (1 << 20)),
                bad("outgoingBufferSize", 0, b -> b.outgoingBufferSize(0), "maxWsMessageLength (65536) and " + MAX_BUFFER),
                bad("maxConnectionsPerPoll", -1, b -> b.maxConnectionsPerPoll(-1), "0 and " + Integer.MAX_VALUE),
                bad("socketSendBuffer", 0, b -> b.socketSendBuffer(0), "4096 and " + MAX_BUFFER),
                bad("socketSendBuffer", 4095, b -> b.socketSendBuffer(4095), "4096 and " + MAX_BUFFER),
                bad("outgoingBufferSize", 1000, b -> b.maxWsMessageLength(2000).outgoingBufferSize(1000),
                        "maxWsMessageLength (2000) and " + MAX_BUFFER),
                bad("maxRequestLineLength", 2000, b -> b.maxRequestLength(1024).maxRequestLineLength(2000), "16 and 1024"));
    }

    private static Arguments bad(String name, int value, UnaryOperator<ServerConfig.Builder> set, String range) {
        return Arguments.of(name, value, set, range);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badValues")
    void messageNamesParameterValueAndRange(String name, int value, UnaryOperator<ServerConfig.Builder> set, String range) {
        assertThatThrownBy(() -> set.apply(ServerConfig.builder()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(name + " is " + value)
                .hasMessageContaining("between " + range);
    }

    @Test
    void boundaryValuesAreAccepted() {
        assertThat(ServerConfig.builder().port(0).build().port()).isZero();
        assertThat(ServerConfig.builder().port(65_535).build().port()).isEqualTo(65_535);
        ServerConfig c = ServerConfig.builder().maxRequestLength(1024).maxRequestLineLength(1024)
                .maxWsMessageLength(4096).outgoingBufferSize(4096).build();
        assertThat(c.maxRequestLineLength()).isEqualTo(c.maxRequestLength());
        assertThat(c.outgoingBufferSize()).isEqualTo(c.maxWsMessageLength());
    }

    static Stream<ServerConfig.Builder> configs() {
        return Stream.of(
                ItSupport.smallConfig(),
                ItSupport.smallConfig().maxConnections(3).maxWsConnections(7).maxHeaderCount(5).maxWsSendFrames(9),
                ServerConfig.builder().maxConnections(100).maxWsConnections(1).maxRequestLength(300)
                        .maxRequestLineLength(100).responseHeaderBufferSize(300).maxWsMessageLength(1)
                        .outgoingBufferSize(1 << 16),
                ServerConfig.builder().maxConnections(1).maxWsConnections(50).maxWsMessageLength(10_000)
                        .outgoingBufferSize(3 << 20).maxWsSendFrames(1000));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void builtServerFootprintEqualsConfigFootprint(ServerConfig.Builder builder) {
        ServerConfig config = builder.build();
        RingHttpServer server = RingHttpServer.create(config, (req, res) -> { }, WebSocketHandler.NONE);
        try {
            assertThat(server.footprint()).isEqualTo(config.footprint());
            assertThat(server.configuration()).isSameAs(config);
        } finally {
            server.close();
        }
    }

    @Test
    void socketSendBufferBoundsKernelMemoryApartFromTheFootprint() throws Exception {
        ServerConfig base = ItSupport.smallConfig().maxConnections(10).maxWsConnections(6).build();
        assertThat(base.socketSendBuffer()).as("default").isEqualTo(256 * 1024);
        ServerConfig doubled = base.toBuilder().socketSendBuffer(2 * base.socketSendBuffer()).build();
        assertThat(doubled.socketSendBuffer()).isEqualTo(512 * 1024);
        assertThat(doubled.footprint()).as("kernel memory is not the JVM's").isEqualTo(base.footprint());
        assertThat(doubled.toString()).contains("socketSendBuffer=524288");

        ServerConfig small = base.toBuilder().socketSendBuffer(64 * 1024).build();
        RingHttpServer server = RingHttpServer.create(small, (req, res) -> { }, WebSocketHandler.NONE);
        try {
            long perSocket = server.kernelSendBufferLimit() / 16;
            assertThat(server.kernelSendBufferLimit()).isEqualTo(16 * perSocket);
            // Linux grants min(request, net.core.wmem_max) and doubles it; elsewhere the request as it is.
            assertThat(perSocket).isBetween(4096L, 2L * 64 * 1024);
            if (System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
                // Not Files.readString: on JDK 17 it reads this procfs file short.
                long wmemMax = Long.parseLong(java.nio.file.Files.readAllLines(
                        java.nio.file.Path.of("/proc/sys/net/core/wmem_max")).get(0).trim());
                assertThat(perSocket).isEqualTo(2 * Math.min(64 * 1024, wmemMax));
            }
        } finally {
            server.close();
        }
    }
}
