package dev.ringhttp.autoconfigure.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.testing.JdkWebSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
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

    private JdkWebSocket connect(String path) throws Exception {
        return JdkWebSocket.connect(port, path);
    }

    @Test
    void echoesTextAndBinaryThroughTheListenerWithSessionAttributes() throws Exception {
        JdkWebSocket c = connect("/ws/echo");
        WsSession session = echo.opened.poll(10, TimeUnit.SECONDS);
        assertThat(session.path()).isEqualTo("/ws/echo");
        assertThat(session.channel()).isEqualTo("/ws/echo");
        assertThat(session.remoteAddress().getAddress().isLoopbackAddress()).isTrue();
        c.sendText("there");
        assertThat(c.nextText()).isEqualTo("hi there");
        c.sendBinary(new byte[] {1, 2, 3});
        assertThat(c.nextBinary()).containsExactly(1, 2, 3);
        c.webSocket().sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
        assertThat(c.awaitClose()).isEqualTo(1000);
        assertThat(echo.closed.poll(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.OK);
        assertThat(session.isOpen()).isFalse();
        assertThat(session.closeReason()).isEqualTo(CloseReason.OK);
    }

    @Test
    void broadcastsToAChannelFromAnotherThreadInOrder() throws Exception {
        List<JdkWebSocket> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clients.add(connect("/ws/chat/room" + i));
            assertThat(chat.opened.poll(10, TimeUnit.SECONDS)).isNotNull();
        }
        JdkWebSocket bystander = connect("/ws/echo");
        echo.opened.poll(10, TimeUnit.SECONDS);
        Thread producer = new Thread(() -> {
            for (int i = 0; i < 100; i++) {
                messenger.broadcast("chat", "m" + i);
            }
            messenger.broadcastJson("chat", Map.of("done", true));
        });
        producer.start();
        for (JdkWebSocket c : clients) {
            for (int i = 0; i < 100; i++) {
                assertThat(c.nextText()).isEqualTo("m" + i);
            }
            assertThat(c.nextText()).isEqualTo("{\"done\":true}");
        }
        assertThat(bystander.messages().poll(200, TimeUnit.MILLISECONDS)).isNull();
        messenger.broadcastAll("everyone");
        assertThat(bystander.nextText()).isEqualTo("everyone");
        for (JdkWebSocket c : clients) {
            assertThat(c.nextText()).isEqualTo("everyone");
        }
        assertThat(messenger.channels()).contains("chat", "/ws/echo");
    }

    @Test
    void sendsToOneSessionFromAnotherThreadAndClosesIt() throws Exception {
        JdkWebSocket c = connect("/ws/echo");
        WsSession session = echo.opened.poll(10, TimeUnit.SECONDS);
        CompletableFuture.runAsync(() -> {
            session.send("direct");
            session.sendJson(Map.of("n", 1));
            session.close();
        }).get(5, TimeUnit.SECONDS);
        assertThat(c.nextText()).isEqualTo("direct");
        assertThat(c.nextText()).isEqualTo("{\"n\":1}");
        assertThat(c.awaitClose()).isEqualTo(1000);
        assertThat(echo.closed.poll(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.CLOSED_BY_APPLICATION);
        session.send("after close is ignored");
        assertThat(messenger.sessions()).doesNotContain(session);
    }

    @Test
    void aListenerExceptionClosesTheConnectionWith1011() throws Exception {
        JdkWebSocket c = connect("/ws/chat/x");
        chat.opened.poll(10, TimeUnit.SECONDS);
        c.sendText("not allowed");
        assertThat(c.awaitClose()).isEqualTo(1011);
    }

    @Test
    void refusesUpgradesOnPathsWithoutAHandler() throws Exception {
        var attempt = JdkWebSocket.connectAsync(HttpClient.newHttpClient(),
                URI.create("ws://127.0.0.1:" + port + "/ws/none"));
        assertThat(attempt).failsWithin(Duration.ofSeconds(10));
    }

    @Test
    void rejectsAnUnknownChannelNamingTheKnownOnes() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> messenger.broadcast("nope", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chat");
    }
}
