package dev.ringhttp.core.ws.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.WebSocketHandler;
import dev.ringhttp.core.testing.Await;
import dev.ringhttp.core.testing.LoopCpu;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawWebSocket;
import dev.ringhttp.core.testing.ServerFrame;
import dev.ringhttp.core.testing.TestServer;
import dev.ringhttp.core.testing.WsFrames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * WebSocket clients and callbacks that once stopped or corrupted the whole server, driven through
 * the real event loop over loopback sockets.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileWsClientsTest {

    private final List<RawWebSocket> clients = new ArrayList<>();
    private WsHarness h;
    private TestServer t;

    @AfterEach
    void stop() throws Exception {
        for (RawWebSocket c : clients) {
            c.close();
        }
        if (h != null) {
            h.close();
        }
        if (t != null) {
            t.close();
        }
    }

    /** A client of channel 0; {@code subprotocol} is offered when not null. */
    private RawWebSocket connect(int port, int receiveBuffer, String subprotocol) throws Exception {
        RawWebSocket.Connector connector = RawWebSocket.to(port, "/ws/0").receiveBuffer(receiveBuffer);
        RawWebSocket c = (subprotocol == null ? connector : connector.subprotocol(subprotocol)).connect();
        clients.add(c);
        return c;
    }

    @Test
    void anEmptyMessageEchoedIntoAFullSocketDoesNotSpinTheLoop() throws Exception {
        h = WsHarness.start(WsHarness.small().maxWsSendFrames(1024).outgoingBufferSize(16 << 20));
        RawWebSocket attacker = connect(h.port(), 4096, null);
        byte[] big = WsFrames.frame(WsFrames.FIN | WsFrames.BINARY, new byte[60_000]);
        for (int i = 0; i < 100; i++) {
            attacker.send(big);
        }
        awaitWritesSettle(h.server);
        attacker.send(WsFrames.frame(WsFrames.FIN | WsFrames.TEXT, new byte[0]));
        assertProbeAnswered(h.port());
        assertThat(LoopCpu.share(h.server, 500)).as("share of a core the loop uses").isLessThan(0.2);
        assertProbeAnswered(h.port());
    }

    @Test
    void aCloseCallbackThatBroadcastsDuringABroadcastDisturbsNoReceiver() throws Exception {
        RingHttpServer[] server = new RingHttpServer[1];
        List<Integer> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        t = TestServer.start(ServerConfig.builder().maxWsConnections(16).maxWsSendFrames(1).outgoingBufferSize(32 << 20),
                HostileWsClientsTest::upgradeAll, new WebSocketHandler() {
                    @Override
                    public void onOpen(int wsId, HttpRequest handshake) {
                        opened.add(wsId);
                    }

                    @Override
                    public void onMessage(int wsId, ByteBuffer payload, boolean text) {
                    }

                    @Override
                    public void onClose(int wsId, CloseReason reason) {
                        server[0].staging().utf8("bye").broadcast(true);
                    }
                });
        server[0] = t.server();
        RingHttpServer s = server[0];
        List<RawWebSocket> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            readers.add(connect(t.port(), 0, null));
        }
        RawWebSocket stalled = connect(t.port(), 4096, null);
        for (int i = 0; i < 3; i++) {
            readers.add(connect(t.port(), 0, null));
        }
        Await.holds(() -> opened.size() == 7, 10_000);
        int stalledId = opened.get(3);
        // One frame larger than the socket buffers: it stays queued, and the queue holds one frame.
        s.execute(() -> s.staging().bytes(new byte[12 << 20]).sendTo(stalledId, false));
        awaitWritesSettle(s);
        s.broadcast("m");
        assertThat(t.nextClose(ConnectionType.WEBSOCKET))
                .isEqualTo(new TestServer.Close(ConnectionType.WEBSOCKET, stalledId, CloseReason.WS_CLIENT_TOO_SLOW));
        for (RawWebSocket r : readers) {
            assertThat(r.readFrame().text()).isEqualTo("m");
            assertThat(r.readFrame().text()).isEqualTo("bye");
        }
    }

    @Test
    void aMessageHandlerNeverFindsWhatAnEarlierOneStagedInTheSameRead() throws Exception {
        RingHttpServer[] server = new RingHttpServer[1];
        t = TestServer.start(ServerConfig.builder().maxWsConnections(4).outgoingBufferSize(1 << 20),
                HostileWsClientsTest::upgradeAll, (wsId, payload, text) -> {
                    String message = StandardCharsets.UTF_8.decode(payload).toString();
                    if (message.equals("stage and forget")) {
                        server[0].staging().ascii("stray bytes ");
                    } else {
                        server[0].staging().ascii("reply to ").ascii(message).sendTo(wsId, true);
                    }
                });
        server[0] = t.server();
        RawWebSocket client = connect(t.port(), 0, null);
        // Both messages in one write, so that one read decodes them and both handlers run in one turn.
        client.send(WsFrames.concat(WsFrames.frame(WsFrames.FIN | WsFrames.TEXT, "stage and forget"),
                WsFrames.frame(WsFrames.FIN | WsFrames.TEXT, "hello")));
        assertThat(client.readFrame().text()).isEqualTo("reply to hello");
    }

    @Test
    void everyPingIsAnsweredInOrderWhileTheQueueHasRoom() throws Exception {
        t = TestServer.start(ServerConfig.builder().maxWsConnections(4).maxWsSendFrames(8).outgoingBufferSize(1 << 20),
                HostileWsClientsTest::upgradeAll, WebSocketHandler.NONE);
        RawWebSocket client = connect(t.port(), 0, null);
        byte[][] pings = new byte[12][];
        for (int i = 0; i < pings.length; i++) {
            pings[i] = WsFrames.frame(WsFrames.FIN | WsFrames.PING, "p" + i);
        }
        // One write: every ping decoded in one read, before any pong is written.
        client.send(WsFrames.concat(pings));
        // The first pong takes the control slot; eight more fit the frame queue; the last three find it full.
        for (int i = 0; i < 9; i++) {
            ServerFrame pong = client.readFrame();
            assertThat(pong.opcode()).isEqualTo(WsFrames.PONG);
            assertThat(pong.text()).isEqualTo("p" + i);
        }
        client.send(WsFrames.frame(WsFrames.FIN | WsFrames.PING, "later"));
        ServerFrame pong = client.readFrame();
        assertThat(pong.opcode()).isEqualTo(WsFrames.PONG);
        assertThat(pong.text()).as("the unanswered pings left the connection open").isEqualTo("later");
    }

    /**
     * A pong queued behind messages (the control slot was busy) is never overtaken by the pong of a
     * later ping: the later one takes the free control slot only when no pong waits in the queue.
     */
    @Test
    void aLaterPongNeverOvertakesOneQueuedBehindMessages() throws Exception {
        h = WsHarness.start(WsHarness.small().maxWsSendFrames(64).outgoingBufferSize(4 << 20).socketSendBuffer(4096));
        RawWebSocket client = connect(h.port(), 4096, null);
        byte[] big = WsFrames.frame(WsFrames.FIN | WsFrames.BINARY, new byte[60_000]);
        for (int i = 0; i < 10; i++) {
            client.send(big);
        }
        awaitWritesSettle(h.server);
        // One read: "a" takes the control slot, "b" queues behind the ten echoes.
        client.send(WsFrames.concat(WsFrames.frame(WsFrames.FIN | WsFrames.PING, "a"),
                WsFrames.frame(WsFrames.FIN | WsFrames.PING, "b")));
        List<String> pongs = new ArrayList<>();
        int echoes = 0;
        while (pongs.size() < 3) {
            ServerFrame f = client.readFrame();
            if (f.opcode() == WsFrames.PONG) {
                pongs.add(f.text());
                if (pongs.size() == 1) {
                    // Pong "a" went out at a frame boundary, with echoes and pong "b" still queued.
                    client.send(WsFrames.frame(WsFrames.FIN | WsFrames.PING, "c"));
                }
            } else {
                echoes++;
            }
        }
        assertThat(pongs).containsExactly("a", "b", "c");
        assertThat(echoes).isEqualTo(10);
    }

    /**
     * A client that stopped reading, its echoes piled up in the kernel, is evicted for a new
     * upgrade: it still reads what it was sent, then learns that the connection ended (end of
     * stream or reset), rather than waiting forever on a socket the server has let go.
     */
    @Test
    void anEvictedClientThatStoppedReadingLearnsItsConnectionEnded() throws Exception {
        h = WsHarness.start(WsHarness.small().maxWsConnections(1).maxWsSendFrames(64).outgoingBufferSize(4 << 20));
        RawWebSocket stalled = connect(h.port(), 4096, null);
        byte[] big = WsFrames.frame(WsFrames.FIN | WsFrames.BINARY, new byte[30_000]);
        for (int i = 0; i < 9; i++) {
            stalled.send(big);
        }
        awaitWritesSettle(h.server);
        RawWebSocket newcomer = connect(h.port(), 0, null);
        assertThat(h.nextWsClose().reason()).isEqualTo(CloseReason.EVICTED);
        stalled.socket().setSoTimeout(10_000);
        int frames = 0;
        try {
            while (stalled.readFrameOrNull() != null) {
                frames++;
            }
        } catch (java.net.SocketException e) {
            // reset: an ending too
        }
        assertThat(frames).isLessThanOrEqualTo(9);
        newcomer.sendText("hi");
        assertThat(newcomer.readFrame().text()).isEqualTo("hi");
    }

    @Test
    void aCompressedBroadcastOverHalfTheRingIsDelivered() throws Exception {
        h = WsHarness.start(WsHarness.small().compressWebSocket(true).outgoingBufferSize(64 * 1024));
        RawWebSocket zstd = connect(h.port(), 0, "compress-zstd");
        RawWebSocket plain = connect(h.port(), 0, null);
        h.nextOpen();
        h.nextOpen();
        char[] chars = new char[40_000];
        Arrays.fill(chars, 'x');
        String text = new String(chars);
        h.server.broadcast(text);
        h.server.broadcast("after");
        assertThat(plain.readFrame().text()).isEqualTo(text);
        assertThat(plain.readFrame().text()).isEqualTo("after");
        assertThat(decoded(zstd.readFrame())).isEqualTo(text);
        assertThat(decoded(zstd.readFrame())).isEqualTo("after");
        assertThat(h.server.counters().stageErrors()).isZero();
    }

    @Test
    void aStaleHandleNeverReachesTheNextTenantOfItsSlot() throws Exception {
        h = WsHarness.start(WsHarness.small());
        RingHttpServer s = h.server;
        RawWebSocket first = connect(h.port(), 0, null);
        long firstHandle = handleOf(s, h.nextOpen());
        first.send(WsFrames.frame(WsFrames.FIN | WsFrames.CLOSE, WsFrames.closePayload(1000, "")));
        assertThat(first.readClose().closeCode()).isEqualTo(1000);
        h.nextWsClose();
        RawWebSocket second = connect(h.port(), 0, null);
        int secondId = h.nextOpen();
        long secondHandle = handleOf(s, secondId);
        assertThat(secondId).isEqualTo((int) firstHandle);
        assertThat(secondHandle).isNotEqualTo(firstHandle);
        s.send(firstHandle, "not for you");
        s.closeWebSocket(firstHandle);
        second.send(WsFrames.frame(WsFrames.FIN | WsFrames.TEXT, "echo"));
        assertThat(second.readFrame().text()).isEqualTo("echo");
        s.send(secondHandle, "for you");
        assertThat(second.readFrame().text()).isEqualTo("for you");
        s.closeWebSocket(secondHandle);
        assertThat(second.readClose().closeCode()).isEqualTo(1000);
        assertThat(h.nextWsClose().reason()).isEqualTo(CloseReason.CLOSED_BY_APPLICATION);
    }

    private static String decoded(ServerFrame f) {
        if (f.opcode() == WsFrames.TEXT) {
            return f.text();
        }
        byte[] out = Zstd.decompress(f.payload(), 1 << 20);
        return new String(out, StandardCharsets.UTF_8);
    }

    private static long handleOf(RingHttpServer s, int wsId) throws Exception {
        CompletableFuture<Long> handle = new CompletableFuture<>();
        s.execute(() -> handle.complete(s.webSocketHandle(wsId)));
        return handle.get(10, TimeUnit.SECONDS);
    }

    private static void upgradeAll(HttpRequest request, HttpResponse response) {
        if (request.isWebSocketUpgrade()) {
            response.upgradeToWebSocket(0);
        } else {
            response.status(404);
        }
    }

    /** Waits until the server's written-byte count stops moving: every socket it writes to is full. */
    private static void awaitWritesSettle(RingHttpServer s) throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 100; i++) {
            long now = s.counters().bytesWritten();
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(200);
        }
        throw new AssertionError("the server kept writing for 20 s");
    }

    /** Another client is answered, fast, while the attacker holds its connection. */
    private static void assertProbeAnswered(int port) throws Exception {
        long t0 = System.nanoTime();
        try (RawConnection probe = new RawConnection(port)) {
            probe.socket().setSoTimeout(2_000);
            probe.send("GET /probe HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(probe.readResponse().status()).isEqualTo(404);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2_000);
    }
}
