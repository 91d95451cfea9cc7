package dev.ringhttp.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringhttp.core.testing.RawConnection;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A server that was shut down starts again, as a stopped and restarted application context needs. */
class RestartTest {

    @Test
    void startsAgainAfterShutdownWithTheSameBuffersAndCounters() throws Exception {
        RingHttpServer server = RingHttpServer.create(ServerConfig.builder().address(InetAddress.getLoopbackAddress())
                .port(0).maxConnections(4).maxWsConnections(4).outgoingBufferSize(1 << 20).compressWebSocket(true)
                .build(), (request, response) -> response.body("up"), WebSocketHandler.NONE);
        for (int round = 1; round <= 3; round++) {
            server.start();
            assertThat(server.isRunning()).isTrue();
            try (RawConnection c = new RawConnection(server.address().getPort())) {
                assertThat(c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().bodyText()).isEqualTo("up");
            }
            server.shutdown(Duration.ofSeconds(1));
            assertThat(server.isRunning()).isFalse();
            assertThat(server.counters().requests()).isEqualTo(round);
        }
    }

    @Test
    void refusesASecondStartWhileRunning() {
        RingHttpServer server = RingHttpServer.create(ServerConfig.builder().address(InetAddress.getLoopbackAddress())
                .port(0).maxConnections(2).maxWsConnections(2).outgoingBufferSize(1 << 20).build(),
                (request, response) -> { }, WebSocketHandler.NONE);
        server.start();
        try {
            assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessage("already started");
        } finally {
            server.close();
        }
    }
}
