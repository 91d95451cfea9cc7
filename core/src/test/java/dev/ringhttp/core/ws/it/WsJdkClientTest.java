package dev.ringhttp.core.ws.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.testing.JdkWebSocket;
import dev.ringhttp.core.testing.TestServer;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** End to end with the JDK's own WebSocket client. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WsJdkClientTest {

    static final int MAX = 256 * 1024;
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    WsHarness h;

    @BeforeEach
    void start() {
        h = WsHarness.start(ServerConfig.builder().maxConnections(16).maxWsConnections(16)
                .maxWsMessageLength(MAX).outgoingBufferSize(4 << 20));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static String text(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) ('a' + i % 26));
        }
        return sb.toString();
    }

    static byte[] bytes(int length) {
        byte[] b = new byte[length];
        new Random(length).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 65535, 65536, MAX})
    void echoesTextAndBinaryOfEverySize(int size) throws Exception {
        JdkWebSocket c = JdkWebSocket.connect(CLIENT, h.uri(0));
        String t = text(size);
        c.webSocket().sendText(t, true).get(10, TimeUnit.SECONDS);
        JdkWebSocket.Message m = c.next();
        assertThat(m.text()).isTrue();
        assertThat(m.string()).isEqualTo(t);

        byte[] b = bytes(size);
        c.webSocket().sendBinary(ByteBuffer.wrap(b), true).get(10, TimeUnit.SECONDS);
        m = c.next();
        assertThat(m.text()).isFalse();
        assertThat(m.data()).isEqualTo(b);
        c.webSocket().sendClose(1000, "").get(10, TimeUnit.SECONDS);
        assertThat(c.awaitClose()).isEqualTo(1000);
        assertThat(h.nextWsClose().reason()).isEqualTo(CloseReason.OK);
    }

    @Test
    void oneByteOverTheMaximumGets1009() throws Exception {
        JdkWebSocket c = JdkWebSocket.connect(CLIENT, h.uri(0));
        int id = h.nextOpen();
        c.webSocket().sendBinary(ByteBuffer.wrap(bytes(MAX + 1)), true);
        assertThat(c.awaitClose()).isEqualTo(1009);
        assertThat(h.nextWsClose()).isEqualTo(new TestServer.Close(ConnectionType.WEBSOCKET, id, CloseReason.WS_OVERSIZE_FRAME));
    }

    @Test
    void fragmentedTextIsReassembled() throws Exception {
        JdkWebSocket c = JdkWebSocket.connect(CLIENT, h.uri(0));
        c.webSocket().sendText("frag", false).get(10, TimeUnit.SECONDS);
        c.webSocket().sendText("men", false).get(10, TimeUnit.SECONDS);
        c.webSocket().sendText("ted \u00e9\u20ac\ud83d\ude00", true).get(10, TimeUnit.SECONDS);
        assertThat(c.next().string()).isEqualTo("fragmented \u00e9\u20ac\ud83d\ude00");
        // and a large one in 4 parts of 40 000 characters
        String big = text(160_000);
        for (int i = 0; i < 4; i++) {
            c.webSocket().sendText(big.substring(i * 40_000, (i + 1) * 40_000), i == 3).get(10, TimeUnit.SECONDS);
        }
        assertThat(c.next().string()).isEqualTo(big);
        c.webSocket().sendBinary(ByteBuffer.wrap(new byte[] {1, 2}), false).get(10, TimeUnit.SECONDS);
        c.webSocket().sendBinary(ByteBuffer.wrap(new byte[] {3}), true).get(10, TimeUnit.SECONDS);
        JdkWebSocket.Message m = c.next();
        assertThat(m.text()).isFalse();
        assertThat(m.data()).containsExactly(1, 2, 3);
    }

    @Test
    void pingIsAnsweredWithTheSamePayload() throws Exception {
        JdkWebSocket c = JdkWebSocket.connect(CLIENT, h.uri(0));
        byte[] payload = "are you there?".getBytes(StandardCharsets.UTF_8);
        c.webSocket().sendPing(ByteBuffer.wrap(payload)).get(10, TimeUnit.SECONDS);
        assertThat(c.pongs().poll(10, TimeUnit.SECONDS)).isEqualTo(payload);
        c.webSocket().sendPing(ByteBuffer.wrap(bytes(125))).get(10, TimeUnit.SECONDS);
        assertThat(c.pongs().poll(10, TimeUnit.SECONDS)).isEqualTo(bytes(125));
        c.webSocket().sendPing(ByteBuffer.allocate(0)).get(10, TimeUnit.SECONDS);
        assertThat(c.pongs().poll(10, TimeUnit.SECONDS)).isEmpty();
        // an unsolicited pong is ignored, the connection goes on
        c.webSocket().sendPong(ByteBuffer.wrap(payload)).get(10, TimeUnit.SECONDS);
        c.webSocket().sendText("still here", true).get(10, TimeUnit.SECONDS);
        assertThat(c.next().string()).isEqualTo("still here");
    }

    @Test
    void clientCloseHandshake() throws Exception {
        JdkWebSocket c = JdkWebSocket.connect(CLIENT, h.uri(0));
        int id = h.nextOpen();
        c.webSocket().sendClose(1000, "bye").get(10, TimeUnit.SECONDS);
        assertThat(c.awaitClose()).isEqualTo(1000);
        assertThat(h.nextWsClose()).isEqualTo(new TestServer.Close(ConnectionType.WEBSOCKET, id, CloseReason.OK));
    }

    @Test
    void serverInitiatedClose() throws Exception {
        JdkWebSocket c = JdkWebSocket.connect(CLIENT, h.uri(0));
        int id = h.nextOpen();
        h.server.closeWebSocket(h.handle(id));
        assertThat(c.awaitClose()).isEqualTo(1000);
        assertThat(h.nextWsClose()).isEqualTo(
                new TestServer.Close(ConnectionType.WEBSOCKET, id, CloseReason.CLOSED_BY_APPLICATION));
    }

    @Test
    void serverShutdownSends1001() throws Exception {
        JdkWebSocket a = JdkWebSocket.connect(CLIENT, h.uri(0));
        JdkWebSocket b = JdkWebSocket.connect(CLIENT, h.uri(3));
        h.nextOpen();
        h.nextOpen();
        h.close();
        assertThat(a.awaitClose()).isEqualTo(1001);
        assertThat(b.awaitClose()).isEqualTo(1001);
        assertThat(h.nextWsClose().reason()).isEqualTo(CloseReason.SERVER_SHUTDOWN);
        assertThat(h.nextWsClose().reason()).isEqualTo(CloseReason.SERVER_SHUTDOWN);
        assertThat(h.server.counters().active(ConnectionType.WEBSOCKET)).isZero();
    }

    @Test
    void compressionRoundTrip() throws Exception {
        h.close();
        h = WsHarness.start(ServerConfig.builder().maxConnections(16).maxWsConnections(16)
                .maxWsMessageLength(MAX).outgoingBufferSize(4 << 20).compressWebSocket(true));
        JdkWebSocket zstd = JdkWebSocket.connect(CLIENT, h.uri(1), "compress-zstd");
        JdkWebSocket plain = JdkWebSocket.connect(CLIENT, h.uri(1));
        h.nextOpen();
        h.nextOpen();
        assertThat(zstd.webSocket().getSubprotocol()).isEqualTo("compress-zstd");
        assertThat(plain.webSocket().getSubprotocol()).isEmpty();

        StringBuilder json = new StringBuilder("[");
        for (int i = 0; json.length() < 10_000; i++) {
            json.append("{\"slot\":").append(i).append(",\"leader\":\"Validator").append(i % 7)
                    .append("\",\"votes\":").append(i * 31 % 1000).append("},");
        }
        json.setCharAt(json.length() - 1, ']');
        String big = json.toString();
        String small = text(100);

        h.server.broadcast(1, big);
        h.server.broadcast(1, small);

        JdkWebSocket.Message m = zstd.next();
        assertThat(m.text()).isFalse();
        assertThat(m.data().length).isLessThan(big.length() / 2);
        assertThat(new String(Zstd.decompress(m.data(), big.length()), StandardCharsets.UTF_8)).isEqualTo(big);
        m = zstd.next();
        assertThat(m.text()).isTrue();
        assertThat(m.string()).isEqualTo(small);

        m = plain.next();
        assertThat(m.text()).isTrue();
        assertThat(m.string()).isEqualTo(big);
        assertThat(plain.next().string()).isEqualTo(small);

        assertThat(h.server.counters().compressionBytesIn()).isEqualTo(big.length());
        assertThat(h.server.counters().compressionBytesOut()).isPositive().isLessThan(big.length() / 2);
    }
}
