package dev.ringhttp.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.testing.RawConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Accepting is bounded per turn: a burst of connects waiting in the backlog is taken
 * {@value ServerLoop#MAX_ACCEPTS_PER_EVENT} at a time, and an open connection's request is answered
 * between those turns, not after the whole burst.
 */
class AcceptTest {

    @Test
    void aBurstOfConnectsIsAcceptedABoundedNumberPerTurnWhileOpenConnectionsAreServed() throws Exception {
        int burst = 2 * ServerLoop.MAX_ACCEPTS_PER_EVENT + 10;
        RingHttpServer server = RingHttpServer.create(ServerConfig.builder().address(InetAddress.getLoopbackAddress())
                .port(0).maxConnections(burst + 1).maxWsConnections(1).outgoingBufferSize(1 << 16)
                .maxWsMessageLength(1024).build(), (request, response) -> response.body("ok"), WebSocketHandler.NONE);
        int port = server.listen().getPort();
        List<Socket> flood = new ArrayList<>();
        RawConnection client = new RawConnection(port);
        try {
            server.poll(100); // takes the client
            assertThat(server.counters().accepted()).isEqualTo(1);
            for (int i = 0; i < burst; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                flood.add(s); // the kernel completed the handshake: it waits in the backlog
            }
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            server.poll(100);
            assertThat(server.counters().accepted()).as("after one turn")
                    .isGreaterThan(1).isLessThanOrEqualTo(1 + ServerLoop.MAX_ACCEPTS_PER_EVENT);
            awaitAnswered(server);
            assertThat(server.counters().accepted()).as("when the open connection was answered")
                    .isLessThan(1 + burst);
            for (int turn = 0; turn < 20 && server.counters().accepted() < 1 + burst; turn++) {
                server.poll(50);
            }
            assertThat(server.counters().accepted()).as("every connect, over several turns").isEqualTo(1 + burst);
            assertThat(new String(client.readResponse().body(), StandardCharsets.US_ASCII)).isEqualTo("ok");
        } finally {
            client.close();
            for (Socket s : flood) {
                s.close();
            }
            server.shutdown(Duration.ZERO);
        }
    }

    /** Polls until the client's request has been answered. */
    private static void awaitAnswered(RingHttpServer server) {
        for (int turn = 0; turn < 50 && server.counters().requests() == 0; turn++) {
            server.poll(100);
        }
        assertThat(server.counters().requests()).as("the open connection's request answered").isEqualTo(1);
    }
}
