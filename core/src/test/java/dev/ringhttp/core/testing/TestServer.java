package dev.ringhttp.core.testing;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.HttpHandler;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.WebSocketHandler;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real server on a free loopback port with its own loop thread, whose
 * handlers delegate to the test's and record every close with its reason.
 */
public final class TestServer implements AutoCloseable {

    /** One reported close. */
    public record Close(ConnectionType type, int id, CloseReason reason) {
    }

    private final BlockingQueue<Close> closes = new LinkedBlockingQueue<>();
    private final RingHttpServer server;

    private TestServer(ServerConfig.Builder config, HttpHandler http, WebSocketHandler ws) {
        ServerConfig cfg = config.address(InetAddress.getLoopbackAddress()).port(0).build();
        server = RingHttpServer.create(cfg, new HttpHandler() {
            @Override
            public void handle(HttpRequest request, HttpResponse response) {
                http.handle(request, response);
            }

            @Override
            public void onClose(int connectionId, CloseReason reason) {
                closes.add(new Close(ConnectionType.HTTP, connectionId, reason));
                http.onClose(connectionId, reason);
            }
        }, new WebSocketHandler() {
            @Override
            public void onOpen(int wsId, HttpRequest handshake) {
                ws.onOpen(wsId, handshake);
            }

            @Override
            public void onMessage(int wsId, ByteBuffer payload, boolean text) {
                ws.onMessage(wsId, payload, text);
            }

            @Override
            public void onClose(int wsId, CloseReason reason) {
                closes.add(new Close(ConnectionType.WEBSOCKET, wsId, reason));
                ws.onClose(wsId, reason);
            }
        });
        server.start();
    }

    /** Starts a server with {@code config} (address and port are overridden with loopback:0). */
    public static TestServer start(ServerConfig.Builder config, HttpHandler http, WebSocketHandler ws) {
        return new TestServer(config, http, ws);
    }

    public static TestServer start(HttpHandler http, WebSocketHandler ws) {
        return start(ServerConfig.builder().maxConnections(64).maxWsConnections(256)
                .outgoingBufferSize(4 << 20), http, ws);
    }

    public RingHttpServer server() {
        return server;
    }

    public int port() {
        return server.address().getPort();
    }

    /** The next close reported, waiting up to 10 s; fails the test on timeout. */
    public Close nextClose() throws InterruptedException {
        Close c = closes.poll(10, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("no close was reported within 10 s");
        }
        return c;
    }

    /** The next close reported for {@code type}, skipping others, waiting up to 10 s. */
    public Close nextClose(ConnectionType type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            long left = deadline - System.nanoTime();
            Close c = closes.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (c == null) {
                throw new AssertionError("no " + type + " close was reported within 10 s");
            }
            if (c.type() == type) {
                return c;
            }
        }
    }

    /** Closes reported so far, without waiting. */
    public BlockingQueue<Close> closes() {
        return closes;
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(1));
    }
}
