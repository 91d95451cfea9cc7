package dev.ringhttp.core.ws.it;

import static dev.ringhttp.core.testing.WsFrames.CLOSE;
import static dev.ringhttp.core.testing.WsFrames.CONTINUATION;
import static dev.ringhttp.core.testing.WsFrames.FIN;
import static dev.ringhttp.core.testing.WsFrames.PING;
import static dev.ringhttp.core.testing.WsFrames.TEXT;
import static dev.ringhttp.core.testing.WsFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.ServerCounters;
import dev.ringhttp.core.testing.JdkWebSocket;
import dev.ringhttp.core.testing.RawWebSocket;
import dev.ringhttp.core.testing.WsFrames;
import java.net.http.HttpClient;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ServerCounters after a known sequence of WebSocket traffic and closes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WsCountersTest {

    @Test
    void countersMatchWhatWasProvoked() throws Exception {
        try (WsHarness h = WsHarness.start(WsHarness.small())) {
            ServerCounters counters = h.server.counters();
            Map<CloseReason, Integer> expected = new EnumMap<>(CloseReason.class);

            // raw client: 1 whole text, 1 text in 3 fragments, 1 ping, 1 close = 6 frames, 2 messages
            byte[][] frames = {
                frame(FIN | TEXT, "hello"),
                frame(TEXT, "a"), frame(CONTINUATION, "b"), frame(FIN | CONTINUATION, "c"),
                frame(FIN | PING, "p"),
                frame(FIN | CLOSE, WsFrames.closePayload(1000, "")),
            };
            long sentBytes = 0;
            try (RawWebSocket c = RawWebSocket.connect(h.port(), "/ws/0")) {
                h.nextOpen();
                assertThat(counters.active(ConnectionType.WEBSOCKET)).isEqualTo(1);
                long readBefore = counters.bytesRead();
                for (byte[] f : frames) {
                    c.send(f);
                    sentBytes += f.length;
                }
                // the pong may overtake queued data frames; the echoes keep their order
                java.util.List<String> got = new java.util.ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    got.add(c.readFrame().text());
                }
                assertThat(got).containsExactlyInAnyOrder("hello", "abc", "p");
                got.remove("p");
                assertThat(got).containsExactly("hello", "abc");
                assertThat(c.readFrame().closeCode()).isEqualTo(1000);
                assertThat(h.nextWsClose().reason()).isEqualTo(CloseReason.OK);
                expected.merge(CloseReason.OK, 1, Integer::sum);
                assertThat(counters.bytesRead() - readBefore).isEqualTo(sentBytes);
            }
            assertThat(counters.messagesRead()).isEqualTo(2);
            assertThat(counters.framesRead()).isEqualTo(frames.length);
            // 2 echoes, 1 pong, 1 close; header 2 bytes each
            assertThat(counters.framesWritten()).isEqualTo(4);
            assertThat(counters.upgrades()).isEqualTo(1);

            // protocol errors and a handler failure
            for (byte[] bad : new byte[][] {
                WsFrames.unmasked(FIN | TEXT, new byte[] {1}), frame(FIN | 0x3, "x"), frame(FIN | TEXT, "throw"),
                frame(FIN | TEXT, new byte[] {(byte) 0xFF}),
            }) {
                try (RawWebSocket c = RawWebSocket.connect(h.port(), "/ws/0")) {
                    h.nextOpen();
                    c.send(bad);
                    c.readClose();
                    expected.merge(h.nextWsClose().reason(), 1, Integer::sum);
                }
            }
            // a JDK client closed by the application, one by shutdown below
            HttpClient client = HttpClient.newHttpClient();
            JdkWebSocket app = JdkWebSocket.connect(client, h.uri(0));
            h.server.closeWebSocket(h.handle(h.nextOpen()));
            assertThat(app.awaitClose()).isEqualTo(1000);
            expected.merge(h.nextWsClose().reason(), 1, Integer::sum);
            RawWebSocket eof = RawWebSocket.connect(h.port(), "/ws/0");
            h.nextOpen();
            eof.close();
            expected.merge(h.nextWsClose().reason(), 1, Integer::sum);

            assertThat(expected).containsOnlyKeys(CloseReason.OK, CloseReason.WS_BAD_MASK, CloseReason.WS_UNKNOWN_OPCODE,
                    CloseReason.HANDLER_ERROR, CloseReason.WS_INVALID_UTF8, CloseReason.CLOSED_BY_APPLICATION,
                    CloseReason.UNEXPECTED_EOF);
            JdkWebSocket last = JdkWebSocket.connect(client, h.uri(0));
            h.nextOpen();
            h.close();
            assertThat(last.awaitClose()).isEqualTo(1001);
            expected.merge(h.nextWsClose().reason(), 1, Integer::sum);
            assertThat(expected).containsEntry(CloseReason.SERVER_SHUTDOWN, 1);

            for (CloseReason r : CloseReason.values()) {
                assertThat(counters.closes(ConnectionType.WEBSOCKET, r)).as(r.name()).isEqualTo((long) expected.getOrDefault(r, 0));
            }
            assertThat(counters.active(ConnectionType.WEBSOCKET)).isZero();
            assertThat(counters.upgrades()).isEqualTo(8);
            assertThat(counters.handlerErrors()).isEqualTo(1);
            assertThat(counters.bytesWritten()).isGreaterThan(counters.framesWritten() * 2);
            assertThat(counters.evictions()).isZero();
        }
    }
}
