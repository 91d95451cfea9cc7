package dev.ringhttp.core.ws.it;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.WebSocketHandler;
import dev.ringhttp.core.testing.TestServer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A {@link TestServer} whose HTTP handler upgrades {@code /ws/N} into channel N (and answers 404
 * otherwise), and whose WebSocket handler echoes every message through the staging API, zero-copy,
 * except the text message "throw", for which it throws.
 */
final class WsHarness implements AutoCloseable {

    final TestServer test;
    final RingHttpServer server;
    final BlockingQueue<Integer> opens = new LinkedBlockingQueue<>();
    /** The handle of each WebSocket id's latest tenant, taken on the loop when it opens. */
    private final AtomicLongArray handles = new AtomicLongArray(1024);
    volatile boolean echo = true;

    private WsHarness(ServerConfig.Builder config) {
        Handler handler = new Handler();
        test = TestServer.start(config, WsHarness::route, handler);
        server = test.server();
        handler.server = server;
    }

    static WsHarness start(ServerConfig.Builder config) {
        return new WsHarness(config);
    }

    static ServerConfig.Builder small() {
        return ServerConfig.builder().maxConnections(16).maxWsConnections(16).maxWsMessageLength(64 * 1024)
                .outgoingBufferSize(1 << 20);
    }

    private static void route(HttpRequest request, HttpResponse response) {
        if (request.isWebSocketUpgrade() && request.pathStartsWith("/ws/")) {
            response.upgradeToWebSocket(Integer.parseInt(request.path().substring(4)));
        } else {
            response.status(404).body("no\n");
        }
    }

    private final class Handler implements WebSocketHandler {
        volatile RingHttpServer server;

        @Override
        public void onOpen(int wsId, HttpRequest handshake) {
            handles.set(wsId, server.webSocketHandle(wsId));
            opens.add(wsId);
        }

        @Override
        public void onMessage(int wsId, ByteBuffer payload, boolean text) {
            if (text && payload.remaining() == 5 && "throw".equals(StandardCharsets.UTF_8
                    .decode(payload.duplicate()).toString())) {
                throw new IllegalStateException("handler failure provoked by the test");
            }
            if (echo) {
                server.staging().bytes(payload).sendTo(wsId, text);
            }
        }
    }

    int port() {
        return test.port();
    }

    URI uri(int channel) {
        return URI.create("ws://127.0.0.1:" + port() + "/ws/" + channel);
    }

    /** The id of the next WebSocket opened, within 10 s. */
    int nextOpen() throws InterruptedException {
        Integer id = opens.poll(10, TimeUnit.SECONDS);
        if (id == null) {
            throw new AssertionError("no WebSocket opened within 10 s");
        }
        return id;
    }

    /** The handle of the connection that last opened as {@code wsId}. */
    long handle(int wsId) {
        return handles.get(wsId);
    }

    TestServer.Close nextWsClose() throws InterruptedException {
        return test.nextClose(ConnectionType.WEBSOCKET);
    }

    long closes(CloseReason reason) {
        return server.counters().closes(ConnectionType.WEBSOCKET, reason);
    }

    @Override
    public void close() {
        test.close();
    }
}
