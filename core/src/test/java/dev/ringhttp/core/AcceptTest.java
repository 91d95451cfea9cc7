package dev.ringhttp.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawWebSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Accepting is bounded per turn: a burst of connects waiting in the backlog is taken
 * {@value ServerLoop#MAX_ACCEPTS_PER_EVENT} at a time, and an open connection's request is answered
 * between those turns, not after the whole burst. A connection is read in the turn that accepts it,
 * and registered with the selector only if it outlives that turn; its socket options wait for its
 * second write.
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

    /**
     * Three clients whose first bytes wait in their sockets when they are accepted: each is answered
     * in the accepting turn. The one that asked to close ends with a clean end of stream; the
     * keep-alive one and the one upgraded to a WebSocket live on registered and are served in later
     * turns. The WebSocket has {@code TCP_NODELAY} and the configured send buffer from before its
     * 101; the keep-alive connection gets them before its second response, not its first.
     */
    @Test
    void connectionsAnsweredInTheAcceptingTurnAreRegisteredOnlyIfTheyLiveOnAndTunedBeforeTheirSecondWrite()
            throws Exception {
        int sendBuffer = 96 * 1024;
        RingHttpServer server = RingHttpServer.create(ServerConfig.builder().address(InetAddress.getLoopbackAddress())
                .port(0).maxConnections(4).maxWsConnections(2).outgoingBufferSize(1 << 16).maxWsMessageLength(1024)
                .socketSendBuffer(sendBuffer).build(), (request, response) -> {
                    if (request.isWebSocketUpgrade()) {
                        response.upgradeToWebSocket(1);
                    } else {
                        response.body("ok");
                    }
                }, WebSocketHandler.NONE);
        int port = server.listen().getPort();
        RawConnection once = new RawConnection(port);
        RawConnection keepAlive = new RawConnection(port);
        RawWebSocket webSocket = RawWebSocket.wrap(connect(port));
        try {
            once.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            keepAlive.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            webSocket.sendHandshake("/ws");
            // Loopback queues sent bytes at the receiver before send returns: each first read finds its request.
            for (int turn = 0; turn < 20 && server.counters().accepted() < 3; turn++) {
                server.poll(100);
            }
            assertThat(server.counters().requests()).as("answered in the turns that accepted them").isEqualTo(3);

            assertThat(new String(once.readResponse().body(), StandardCharsets.US_ASCII)).isEqualTo("ok");
            assertThat(once.readToEnd()).as("after the response: a clean end of stream, no reset").isEmpty();
            assertThat(new String(keepAlive.readResponse().body(), StandardCharsets.US_ASCII)).isEqualTo("ok");
            webSocket.readHandshakeResponse();

            ConnectionTable table = server.loop(0).table;
            assertThat(table.openConnections()).as("the keep-alive connection and the WebSocket").isEqualTo(2);
            List<Connection> open = new ArrayList<>();
            for (int id = 0; id < 4; id++) {
                if (table.http(id).isOpen()) {
                    open.add(table.http(id));
                }
            }
            for (int id = 0; id < 2; id++) {
                if (table.ws(id).isOpen()) {
                    open.add(table.ws(id));
                }
            }
            assertThat(open).extracting(c -> c.type).containsExactlyInAnyOrder(ConnectionType.HTTP,
                    ConnectionType.WEBSOCKET);
            for (Connection c : open) {
                assertThat(c.key()).as(c.type + " registered").isNotNull();
                assertThat(c.key().isValid()).isTrue();
                assertThat(c.key().interestOps() & SelectionKey.OP_READ).isEqualTo(SelectionKey.OP_READ);
                assertThat(c.key().attachment()).isSameAs(c);
            }
            Connection http = open.get(0).type == ConnectionType.HTTP ? open.get(0) : open.get(1);
            Connection ws = open.get(0) == http ? open.get(1) : open.get(0);
            assertTuned(ws, sendBuffer);
            assertThat(http.channel().getOption(StandardSocketOptions.TCP_NODELAY))
                    .as("no TCP_NODELAY after the keep-alive connection's first write").isFalse();

            keepAlive.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            for (int turn = 0; turn < 20 && server.counters().requests() < 4; turn++) {
                server.poll(100);
            }
            assertThat(new String(keepAlive.readResponse().body(), StandardCharsets.US_ASCII)).isEqualTo("ok");
            assertTuned(http, sendBuffer);
            webSocket.sendClose(1000);
            for (int turn = 0; turn < 20 && table.openWebSockets() > 0; turn++) {
                server.poll(100);
            }
            webSocket.expectClose(1000); // the registered WebSocket is served
        } finally {
            once.close();
            keepAlive.close();
            webSocket.close();
            server.shutdown(Duration.ZERO);
        }
    }

    /**
     * A response that closes its connection goes out untuned, unless the kernel cannot take it at
     * once: before the rest waits for the reader, the socket gets its options, so the kernel keeps
     * no more than the configured send buffer for it.
     */
    @Test
    void aLastResponseThatMustWaitForTheReaderTunesTheSocketFirst() throws Exception {
        int sendBuffer = 64 * 1024;
        java.nio.ByteBuffer large = java.nio.ByteBuffer.allocateDirect(4 << 20);
        RingHttpServer server = RingHttpServer.create(ServerConfig.builder().address(InetAddress.getLoopbackAddress())
                .port(0).maxConnections(2).maxWsConnections(1).outgoingBufferSize(1 << 16).maxWsMessageLength(1024)
                .socketSendBuffer(sendBuffer).build(), (request, response) -> response.body(large.duplicate()),
                WebSocketHandler.NONE);
        int port = server.listen().getPort();
        RawConnection reader = RawConnection.withReceiveBuffer(port, 4096);
        try {
            reader.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            for (int turn = 0; turn < 20 && server.counters().requests() < 1; turn++) {
                server.poll(100);
            }
            ConnectionTable table = server.loop(0).table;
            Connection c = table.http(0).isOpen() ? table.http(0) : table.http(1);
            assertThat(c.isOpen()).as("waiting for the reader").isTrue();
            assertThat(c.key().interestOps()).isEqualTo(SelectionKey.OP_WRITE);
            assertTuned(c, sendBuffer);
        } finally {
            reader.close();
            server.shutdown(Duration.ZERO);
        }
    }

    /**
     * Connections that send nothing once accepted make the loop stop reading new ones in the accepting
     * turn (but for one in {@value ReadOnAccept#PROBE}); those it does not read are registered and
     * answered once their requests come. A burst whose requests wait in the backlog brings the read back.
     */
    @Test
    void silentConnectsStopTheReadOnAcceptAndWaitingRequestsBringItBack() throws Exception {
        RingHttpServer server = RingHttpServer.create(ServerConfig.builder().address(InetAddress.getLoopbackAddress())
                .port(0).maxConnections(64).maxWsConnections(1).outgoingBufferSize(1 << 16)
                .maxWsMessageLength(1024).build(), (request, response) -> response.body("ok"), WebSocketHandler.NONE);
        int port = server.listen().getPort();
        ReadOnAccept policy = server.loop(0).table.readOnAccept();
        List<Socket> silent = new ArrayList<>();
        List<RawConnection> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                silent.add(connect(port));
                server.poll(100);
            }
            assertThat(server.counters().accepted()).isEqualTo(16);
            assertThat(policy.paying()).as("after 16 connections with nothing to read").isFalse();

            RawConnection late = new RawConnection(port);
            late.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            for (int turn = 0; turn < 20 && server.counters().requests() < 1; turn++) {
                server.poll(100);
            }
            assertThat(new String(late.readResponse().body(), StandardCharsets.US_ASCII)).isEqualTo("ok");
            waiting.add(late);

            for (int i = 0; i < 2 * ReadOnAccept.PROBE; i++) {
                RawConnection c = new RawConnection(port);
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"); // waits in the backlog with its connection
                waiting.add(c);
            }
            for (int turn = 0; turn < 20 && server.counters().requests() < 1 + 2 * ReadOnAccept.PROBE; turn++) {
                server.poll(100);
            }
            assertThat(server.counters().requests()).isEqualTo(1 + 2 * ReadOnAccept.PROBE);
            assertThat(policy.paying()).as("after a burst whose requests were waiting").isTrue();
            for (RawConnection c : waiting.subList(1, waiting.size())) {
                assertThat(new String(c.readResponse().body(), StandardCharsets.US_ASCII)).isEqualTo("ok");
            }
        } finally {
            for (Socket s : silent) {
                s.close();
            }
            for (RawConnection c : waiting) {
                c.close();
            }
            server.shutdown(Duration.ZERO);
        }
    }

    private static void assertTuned(Connection c, int sendBuffer) throws java.io.IOException {
        assertThat(c.channel().getOption(StandardSocketOptions.TCP_NODELAY)).as(c.type + " TCP_NODELAY").isTrue();
        // Linux reports twice what was set, for its bookkeeping; other kernels report it as set.
        assertThat(c.channel().getOption(StandardSocketOptions.SO_SNDBUF)).as(c.type + " SO_SNDBUF")
                .isBetween(sendBuffer, 2 * sendBuffer);
    }

    private static Socket connect(int port) throws java.io.IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        s.setSoTimeout(RawConnection.TIMEOUT_MILLIS);
        return s;
    }

    /** Polls until the client's request has been answered. */
    private static void awaitAnswered(RingHttpServer server) {
        for (int turn = 0; turn < 50 && server.counters().requests() == 0; turn++) {
            server.poll(100);
        }
        assertThat(server.counters().requests()).as("the open connection's request answered").isEqualTo(1);
    }
}
