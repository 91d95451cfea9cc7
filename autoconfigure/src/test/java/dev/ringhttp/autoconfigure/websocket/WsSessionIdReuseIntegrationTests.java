package dev.ringhttp.autoconfigure.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.testing.JdkWebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A session the application keeps after it closed must not reach the newer
 * connection the core gave its id to. One WebSocket slot makes the reuse
 * certain.
 */
@SpringBootTest(classes = WsSessionIdReuseIntegrationTests.App.class,
        properties = {"ringhttp.server.port=0", "ringhttp.server.max-connections=4",
                "ringhttp.server.max-websocket-connections=1", "ringhttp.server.outgoing-buffer-size=1MB"})
class WsSessionIdReuseIntegrationTests {

    @LocalRingHttpPort
    int port;

    @Autowired
    WebSocketMessenger messenger;

    @Autowired
    Recorder recorder;

    @WsHandler("/ws")
    static class Recorder implements WsListener {
        final BlockingQueue<WsSession> opened = new LinkedBlockingQueue<>();
        final BlockingQueue<CloseReason> closed = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(WsSession session) {
            opened.add(session);
        }

        @Override
        public void onClose(WsSession session, CloseReason reason) {
            closed.add(reason);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Recorder recorder() {
            return new Recorder();
        }
    }

    @Test
    void aClosedSessionDoesNotReachTheConnectionThatReusesItsId() throws Exception {
        JdkWebSocket first = JdkWebSocket.connect(port, "/ws");
        WsSession stale = recorder.opened.poll(10, TimeUnit.SECONDS);
        first.webSocket().sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
        assertThat(recorder.closed.poll(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.OK);

        JdkWebSocket second = JdkWebSocket.connect(port, "/ws");
        WsSession current = recorder.opened.poll(10, TimeUnit.SECONDS);
        assertThat(current.id()).as("the only slot's id, given again").isEqualTo(stale.id());

        // One thread, one task queue: these run on the loop in this order, before "current" is sent.
        stale.send("stale");
        messenger.sendJson(stale, "stale too");
        stale.close();
        current.send("current");

        assertThat(second.nextText()).isEqualTo("current");
        assertThat(second.closeCode()).isNotDone();
        assertThat(current.isOpen()).isTrue();
    }
}
