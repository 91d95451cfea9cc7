package dev.ringhttp.core.demo;

import dev.ringhttp.core.HandlerFactory;
import dev.ringhttp.core.HttpHandler;
import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.ServerContext;
import dev.ringhttp.core.WebSocketHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A small runnable server showing the core API: {@code GET /hello},
 * {@code POST /echo}, a WebSocket echo on {@code /ws/echo} and a broadcast
 * ticker on {@code /ws/ticker}. Port from the first argument (default 8080).
 * Lives in the test sources, out of the library jar:
 * {@code mvn -pl core exec:java} (test classpath) runs it.
 */
public final class DemoServer {

    private static final int ECHO_CHANNEL = 0;
    private static final int TICKER_CHANNEL = 1;
    private static final ByteBuffer HELLO = constant("Hello, World!");
    private static final ByteBuffer INDEX = constant("""
            ringhttp demo
              GET  /hello      Hello, World!
              POST /echo       echoes the body
              WS   /ws/echo    echoes every message
              WS   /ws/ticker  a broadcast every second
            """);

    private DemoServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        ServerConfig config = ServerConfig.builder().port(port).compressWebSocket(true).build();
        RingHttpServer server = RingHttpServer.create(config, new HandlerFactory() {
            @Override
            public HttpHandler httpHandler(ServerContext context) {
                return new Routes();
            }

            @Override
            public WebSocketHandler webSocketHandler(ServerContext context) {
                return new Echo(context);
            }
        });
        server.start();
        System.out.printf("ringhttp demo listening on %s (footprint %,d bytes)%n", server.address(), server.footprint());

        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(() -> server.broadcast(TICKER_CHANNEL,
                "{\"time\":\"" + Instant.now() + "\",\"requests\":" + server.counters().requests() + "}"),
                1, 1, TimeUnit.SECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ticker.shutdownNow();
            server.shutdown(Duration.ofSeconds(2));
        }));
        Thread.currentThread().join();
    }

    private static ByteBuffer constant(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }

    private static final class Routes implements HttpHandler {
        @Override
        public void handle(HttpRequest request, HttpResponse response) {
            if (request.pathEquals("/hello")) {
                response.contentType("text/plain; charset=utf-8").body(HELLO);
            } else if (request.pathEquals("/echo") && request.method() == HttpMethod.POST) {
                String type = request.header("Content-Type");
                response.contentType(type == null ? "application/octet-stream" : type);
                ByteBuffer body = request.body();
                byte[] copy = new byte[body.remaining()];
                body.get(copy);
                response.body(copy);
            } else if (request.pathEquals("/ws/echo") && request.isWebSocketUpgrade()) {
                response.upgradeToWebSocket(ECHO_CHANNEL);
            } else if (request.pathEquals("/ws/ticker") && request.isWebSocketUpgrade()) {
                response.upgradeToWebSocket(TICKER_CHANNEL);
            } else if (request.pathEquals("/")) {
                response.contentType("text/plain; charset=utf-8").body(INDEX);
            } else {
                response.status(404).contentType("text/plain; charset=utf-8").body("Not Found\n");
            }
        }
    }

    /** Echoes every message on the echo channel back to its sender, zero-copy into the ring. */
    private static final class Echo implements WebSocketHandler {
        private final ServerContext context;

        Echo(ServerContext context) {
            this.context = context;
        }

        @Override
        public void onMessage(int wsId, ByteBuffer payload, boolean text) {
            context.staging().bytes(payload).sendTo(wsId, text);
        }
    }
}
