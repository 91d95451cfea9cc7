package dev.ringhttp.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.testing.RawConnection;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A server that was shut down, or whose loop died, starts again, as a stopped and restarted application
 * context needs; starting and shutting down twice change nothing.
 */
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
    void aSecondStartWhileRunningChangesNothing() throws Exception {
        RingHttpServer server = RingHttpServer.create(ServerConfig.builder().address(InetAddress.getLoopbackAddress())
                .port(0).maxConnections(2).maxWsConnections(2).outgoingBufferSize(1 << 20).build(),
                (request, response) -> response.body("up"), WebSocketHandler.NONE);
        server.start();
        try (RawConnection before = new RawConnection(server.address().getPort())) {
            int port = server.address().getPort();
            server.start();
            assertThat(server.address().getPort()).isEqualTo(port);
            assertThat(before.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().bodyText())
                    .as("a connection made before the second start").isEqualTo("up");
        } finally {
            server.close();
            server.close();
        }
        assertThat(server.isRunning()).isFalse();
    }

    @Test
    void startsAgainAfterItsLoopDied() throws Exception {
        RingHttpServer server = RingHttpServer.create(ServerConfig.builder().address(InetAddress.getLoopbackAddress())
                .port(0).maxConnections(2).maxWsConnections(2).outgoingBufferSize(1 << 20).build(),
                (request, response) -> response.body("up"), WebSocketHandler.NONE);
        java.util.concurrent.CountDownLatch died = new java.util.concurrent.CountDownLatch(1);
        server.onLoopFailure(cause -> died.countDown());
        server.start();
        try {
            // A broken selector is what can kill a loop; nothing a client sends can.
            server.execute(() -> {
                try {
                    server.loop(0).loop.selector().close();
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(died.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("loop died").isTrue();
            assertThat(server.isRunning()).isFalse();

            server.start();
            assertThat(server.isRunning()).isTrue();
            assertThat(server.failure()).isNull();
            try (RawConnection c = new RawConnection(server.address().getPort())) {
                assertThat(c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().bodyText()).isEqualTo("up");
            }
        } finally {
            server.close();
        }
    }
}
