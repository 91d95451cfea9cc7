package dev.ringhttp.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Handlers built by a HandlerFactory reach their server and its staging through the context they keep. */
class ServerContextTest {

    private static ServerConfig config() {
        return ServerConfig.builder().address(InetAddress.getLoopbackAddress()).port(0).maxConnections(4)
                .maxWsConnections(4).outgoingBufferSize(1 << 20).build();
    }

    @Test
    void aWebSocketHandlerAnswersThroughTheStagingOfItsContext() throws Exception {
        RingHttpServer server = RingHttpServer.create(config(), new HandlerFactory() {
            @Override
            public HttpHandler httpHandler(ServerContext context) {
                return (request, response) -> response.upgradeToWebSocket(0);
            }

            @Override
            public WebSocketHandler webSocketHandler(ServerContext context) {
                return (wsId, payload, text) -> context.staging().ascii("echo: ").bytes(payload).sendTo(wsId, text);
            }
        });
        server.start();
        try {
            CompletableFuture<String> reply = new CompletableFuture<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.address().getPort() + "/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                            reply.complete(data.toString());
                            return null;
                        }
                    }).get(5, TimeUnit.SECONDS);
            ws.sendText("hello", true);
            assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("echo: hello");
            ws.abort();
        } finally {
            server.close();
        }
    }

    @Test
    void theContextKnowsItsServerOnceBuiltAndRefusesUseWhileHandlersAreBuilt() {
        ServerContext[] kept = new ServerContext[1];
        RingHttpServer server = RingHttpServer.create(config(), context -> {
            assertThatThrownBy(context::server).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("still being built");
            kept[0] = context;
            return (request, response) -> { };
        });
        try {
            assertThat(kept[0].server()).isSameAs(server);
        } finally {
            server.close();
        }
    }

    @Test
    void handlersBuiltBeforeTheirServerGetAContextTheServerTakes() {
        ServerContext context = ServerContext.create();
        assertThatThrownBy(context::staging).isInstanceOf(IllegalStateException.class);
        RingHttpServer server = RingHttpServer.create(config(), context, (request, response) -> { },
                WebSocketHandler.NONE);
        try {
            assertThat(context.server()).isSameAs(server);
            assertThat(context.staging()).isSameAs(server.staging());
            assertThatThrownBy(() -> RingHttpServer.create(config(), context, (request, response) -> { },
                    WebSocketHandler.NONE)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already belongs to a server");
        } finally {
            server.close();
        }
    }
}
