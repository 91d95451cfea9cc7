package dev.ringhttp.core.ws.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.testing.Await;
import dev.ringhttp.core.testing.JdkWebSocket;
import dev.ringhttp.core.testing.RawWebSocket;
import dev.ringhttp.core.testing.SocketAssertions;
import dev.ringhttp.core.testing.TestServer;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Raw sockets that never read, next to fast JDK clients: the slow ones are closed as
 * WS_CLIENT_TOO_SLOW, the fast ones get every message, intact and in order.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WsSlowConsumerTest {

    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static final int FAST = 20;
    static final int SIZE = 16 * 1024;
    /** Far more than loopback socket buffers hold (send buffer at most a few MiB here). */
    static final int MAX_MESSAGES = 2_000;

    WsHarness h;
    final List<RawWebSocket> slow = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (RawWebSocket r : slow) {
            r.close();
        }
        if (h != null) {
            h.close();
        }
    }

    static byte[] message(int index) {
        byte[] b = new byte[SIZE];
        Arrays.fill(b, (byte) (index * 7 + 1));
        ByteBuffer.wrap(b).putInt(index);
        return b;
    }

    @Test
    void fullFrameQueueClosesOnlyTheSlowClients() throws Exception {
        // a ring far larger than 16 frames: the queue fills first
        run(ServerConfig.builder().maxWsSendFrames(16).outgoingBufferSize(8 << 20), 3, 8);
    }

    @Test
    void ringOverwriteClosesOnlyTheSlowClients() throws Exception {
        // a queue far longer than the ring holds: the ring overwrites first
        run(ServerConfig.builder().maxWsSendFrames(4096).outgoingBufferSize(256 * 1024), 2, 4);
    }

    private void run(ServerConfig.Builder config, int slowCount, int batch) throws Exception {
        h = WsHarness.start(config.maxConnections(64).maxWsConnections(64).maxWsMessageLength(SIZE));
        List<JdkWebSocket> fast = WsBroadcastTest.connect(h, FAST, 1);
        for (int i = 0; i < FAST; i++) {
            h.nextOpen();
        }
        for (JdkWebSocket c : fast) {
            c.check((index, m) -> m.text() || !Arrays.equals(m.data(), message(index))
                    ? "message " + index + " differs" : null);
        }
        Set<Integer> slowIds = new HashSet<>();
        for (int i = 0; i < slowCount; i++) {
            slow.add(RawWebSocket.to(h.port(), "/ws/1").receiveBuffer(4096).connect());
            slowIds.add(h.nextOpen());
        }
        assertThat(Await.holds(() -> h.server.counters().active(ConnectionType.WEBSOCKET) == FAST + slowCount,
                5_000)).isTrue();

        int sent = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (h.closes(CloseReason.WS_CLIENT_TOO_SLOW) < slowCount && sent < MAX_MESSAGES
                && System.nanoTime() < deadline) {
            for (int i = 0; i < batch; i++) {
                h.server.broadcast(1, message(sent++), false);
            }
            int target = sent;
            // fast clients keep up; nobody waits for the slow ones
            assertThat(Await.holds(() -> fast.stream().allMatch(c -> c.received() >= target), 10_000))
                    .as("fast clients received %d messages", target).isTrue();
        }
        List<TestServer.Close> closes = new ArrayList<>(h.test.closes());
        assertThat(closes).as("after %d messages", sent).hasSize(slowCount)
                .allMatch(c -> c.reason() == CloseReason.WS_CLIENT_TOO_SLOW && c.type() == ConnectionType.WEBSOCKET);
        assertThat(closes).extracting(TestServer.Close::id).containsExactlyInAnyOrderElementsOf(slowIds);
        for (JdkWebSocket c : fast) {
            assertThat(c.problems()).isEmpty();
            assertThat(c.received()).isEqualTo(sent);
            assertThat(c.closeCode()).isNotDone();
        }
        assertThat(h.server.counters().active(ConnectionType.WEBSOCKET)).isEqualTo(FAST);
        assertThat(h.server.counters().evictions()).isEqualTo(slowCount);
        for (RawWebSocket r : slow) {
            SocketAssertions.assertResetAfterSmallRead(r.socket());
        }
    }
}
