package dev.ringhttp.autoconfigure.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.CloseReason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code @WsHandler} beans and the messenger, with the JDK's WebSocket client over real sockets. */
@SpringBootTest(classes = WsHandlersIntegrationTests.App.class,
        properties = {"ringhttp.server.port=0", "ringhttp.server.max-connections=32",
                "ringhttp.server.max-websocket-connections=32", "ringhttp.server.outgoing-buffer-size=1MB"})
class WsHandlersIntegrationTests {

    @LocalRingHttpPort
    int port;

    @Autowired
    WebSocketMessenger messenger;

    @Autowired
    Echo echo;

    @Autowired
    Chat chat;

    @WsHandler("/ws/echo")
    static class Echo implements WsListener {
        final BlockingQueue<WsSession> opened = new LinkedBlockingQueue<>();
        final BlockingQueue<CloseReason> closed = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(WsSession session) {
            session.attributes().put("greeting", "hi");
            opened.add(session);
        }

        @Override
        public void onText(WsSession session, String text) {
            session.send(session.attributes().get("greeting") + " " + text);
        }

        @Override
        public void onBinary(WsSession session, byte[] data) {
            session.send(data);
        }

        @Override
        public void onClose(WsSession session, CloseReason reason) {
            closed.add(reason);
        }
    }

    @WsHandler(path = "/ws/chat/{room}", channel = "chat")
    static class Chat implements WsListener {
        final BlockingQueue<WsSession> opened = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(WsSession session) {
            opened.add(session);
        }

        @Override
        public void onText(WsSession session, String text) {
            throw new IllegalStateException("chat is read-only in this test");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Echo echo() {
            return new Echo();
        }

        @Bean
        Chat chat() {
            return new Chat();
        }
    }

    /** Collects what one client receives. */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.writeBytes(b);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        Object next() throws InterruptedException {
            Object m = messages.poll(10, TimeUnit.SECONDS);
            assertThat(m).as("a message within 10 s").isNotNull();
            return m;
        }
    }

    private Client connect(String path) throws Exception {
        Client c = new Client();
        c.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + path), c).get(10, TimeUnit.SECONDS);
        return c;
    }

    @Test
    void echoesTextAndBinaryThroughTheListenerWithSessionAttributes() throws Exception {
        Client c = connect("/ws/echo");
        WsSession session = echo.opened.poll(10, TimeUnit.SECONDS);
        assertThat(session.path()).isEqualTo("/ws/echo");
        assertThat(session.channel()).isEqualTo("/ws/echo");
        assertThat(session.remoteAddress().getAddress().isLoopbackAddress()).isTrue();
        c.socket.sendText("there", true).get(5, TimeUnit.SECONDS);
        assertThat(c.next()).isEqualTo("hi there");
        c.socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(5, TimeUnit.SECONDS);
        assertThat((byte[]) c.next()).containsExactly(1, 2, 3);
        c.socket.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
        assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(echo.closed.poll(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.OK);
        assertThat(session.isOpen()).isFalse();
        assertThat(session.closeReason()).isEqualTo(CloseReason.OK);
    }

    @Test
    void broadcastsToAChannelFromAnotherThreadInOrder() throws Exception {
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clients.add(connect("/ws/chat/room" + i));
            assertThat(chat.opened.poll(10, TimeUnit.SECONDS)).isNotNull();
        }
        Client bystander = connect("/ws/echo");
        echo.opened.poll(10, TimeUnit.SECONDS);
        Thread producer = new Thread(() -> {
            for (int i = 0; i < 100; i++) {
                messenger.broadcast("chat", "m" + i);
            }
            messenger.broadcastJson("chat", Map.of("done", true));
        });
        producer.start();
        for (Client c : clients) {
            for (int i = 0; i < 100; i++) {
                assertThat(c.next()).isEqualTo("m" + i);
            }
            assertThat(c.next()).isEqualTo("{\"done\":true}");
        }
        assertThat(bystander.messages.poll(200, TimeUnit.MILLISECONDS)).isNull();
        messenger.broadcastAll("everyone");
        assertThat(bystander.next()).isEqualTo("everyone");
        for (Client c : clients) {
            assertThat(c.next()).isEqualTo("everyone");
        }
        assertThat(messenger.channels()).contains("chat", "/ws/echo");
    }

    @Test
    void sendsToOneSessionFromAnotherThreadAndClosesIt() throws Exception {
        Client c = connect("/ws/echo");
        WsSession session = echo.opened.poll(10, TimeUnit.SECONDS);
        CompletableFuture.runAsync(() -> {
            session.send("direct");
            session.sendJson(Map.of("n", 1));
            session.close();
        }).get(5, TimeUnit.SECONDS);
        assertThat(c.next()).isEqualTo("direct");
        assertThat(c.next()).isEqualTo("{\"n\":1}");
        assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(echo.closed.poll(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.CLOSED_BY_APPLICATION);
        session.send("after close is ignored");
        assertThat(messenger.sessions()).doesNotContain(session);
    }

    @Test
    void aListenerExceptionClosesTheConnectionWith1011() throws Exception {
        Client c = connect("/ws/chat/x");
        chat.opened.poll(10, TimeUnit.SECONDS);
        c.socket.sendText("not allowed", true).get(5, TimeUnit.SECONDS);
        assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1011);
    }

    @Test
    void refusesUpgradesOnPathsWithoutAHandler() throws Exception {
        Client c = new Client();
        var attempt = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/none"), c);
        assertThat(attempt).failsWithin(Duration.ofSeconds(10));
    }

    @Test
    void rejectsAnUnknownChannelNamingTheKnownOnes() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> messenger.broadcast("nope", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chat");
    }
}
