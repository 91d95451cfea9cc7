package dev.ringhttp.core.ws.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.Staging;
import dev.ringhttp.core.testing.Await;
import dev.ringhttp.core.testing.JdkWebSocket;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Broadcasts from a producer thread to many JDK clients, and channel isolation. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WsBroadcastTest {

    static final HttpClient CLIENT = HttpClient.newHttpClient();

    WsHarness h;

    @BeforeEach
    void start() {
        h = WsHarness.start(ServerConfig.builder().maxConnections(256).maxWsConnections(256)
                .maxWsMessageLength(4096).outgoingBufferSize(1 << 20));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static List<JdkWebSocket> connect(WsHarness h, int n, int channel) throws Exception {
        List<CompletableFuture<JdkWebSocket>> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pending.add(JdkWebSocket.connectAsync(CLIENT, h.uri(channel)));
        }
        List<JdkWebSocket> clients = new ArrayList<>();
        for (CompletableFuture<JdkWebSocket> f : pending) {
            clients.add(f.get(20, TimeUnit.SECONDS));
        }
        return clients;
    }

    @Test
    void twoHundredClientsReceiveEveryMessageInOrder() throws Exception {
        int n = 500;
        List<JdkWebSocket> clients = connect(h, 200, 1);
        assertThat(Await.holds(() -> h.server.counters().active(ConnectionType.WEBSOCKET) == 200, 10_000)).isTrue();
        Thread producer = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                h.server.broadcast(1, "msg-" + i);
            }
        }, "producer");
        producer.start();
        producer.join(10_000);
        for (JdkWebSocket c : clients) {
            List<JdkWebSocket.Message> got = c.take(n, 20_000);
            assertThat(got).as("messages of one client; closes: %s", h.test.closes()).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(got.get(i).text()).isTrue();
                assertThat(got.get(i).string()).isEqualTo("msg-" + i);
            }
        }
        assertThat(h.server.counters().broadcasts()).isEqualTo(n);
        assertThat(h.test.closes()).isEmpty();
        for (JdkWebSocket c : clients) {
            c.webSocket().sendClose(1000, "");
        }
        for (JdkWebSocket c : clients) {
            assertThat(c.awaitClose()).isEqualTo(1000);
        }
        assertThat(Await.holds(() -> h.server.counters().active(ConnectionType.WEBSOCKET) == 0, 10_000)).isTrue();
        assertThat(h.closes(CloseReason.OK)).isEqualTo(200);
    }

    @Test
    void channelsAreIsolatedAndAllChannelsReachesEveryone() throws Exception {
        List<JdkWebSocket> one = connect(h, 5, 1);
        List<JdkWebSocket> two = connect(h, 5, 2);
        assertThat(Await.holds(() -> h.server.counters().active(ConnectionType.WEBSOCKET) == 10, 10_000)).isTrue();
        for (int i = 0; i < 20; i++) {
            h.server.broadcast(1, "one-" + i);
        }
        h.server.broadcast(2, "two");
        h.server.broadcast(Staging.ALL_CHANNELS, "all");
        h.server.broadcast(7, "nobody");
        for (JdkWebSocket c : one) {
            List<JdkWebSocket.Message> got = c.take(21, 10_000);
            assertThat(got).extracting(JdkWebSocket.Message::string).hasSize(21).startsWith("one-0", "one-1").endsWith("one-19", "all");
        }
        for (JdkWebSocket c : two) {
            List<JdkWebSocket.Message> got = c.take(2, 10_000);
            assertThat(got).extracting(JdkWebSocket.Message::string).containsExactly("two", "all");
        }
        Thread.sleep(100);
        for (JdkWebSocket c : one) {
            assertThat(c.messages()).isEmpty();
        }
        for (JdkWebSocket c : two) {
            assertThat(c.messages()).isEmpty();
        }
        // staging from the loop: one copy in the ring for all receivers
        long staged = h.server.counters().ringBytesStaged();
        h.server.execute(() -> h.server.staging().ascii("zero-copy").broadcast(2, true));
        for (JdkWebSocket c : two) {
            assertThat(c.next().string()).isEqualTo("zero-copy");
        }
        assertThat(h.server.counters().ringBytesStaged() - staged).isEqualTo("zero-copy".length());
    }
}
