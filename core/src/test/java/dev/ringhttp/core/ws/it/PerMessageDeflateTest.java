package dev.ringhttp.core.ws.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.testing.Deflate;
import dev.ringhttp.core.testing.RawWebSocket;
import dev.ringhttp.core.testing.ServerFrame;
import dev.ringhttp.core.testing.WsFrames;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * permessage-deflate (RFC 7692) over loopback sockets: negotiated without context takeover, the
 * client's compressed messages are inflated, messages over the threshold reach the client deflated
 * (a broadcast deflated once, beside its plain and zstd copies), and every malformed or oversized
 * compressed message fails the connection with the right close code and nothing else.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PerMessageDeflateTest {

    private static final String OFFER = "permessage-deflate; client_max_window_bits";
    private static final String AGREED =
            "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover";
    private static final int MAX_MESSAGE = 64 * 1024;

    private WsHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private RawWebSocket connect(ServerConfig.Builder config, String offer) throws Exception {
        if (h == null) {
            h = WsHarness.start(config);
        }
        RawWebSocket.Connector c = RawWebSocket.to(h.port(), "/ws/0");
        return (offer == null ? c : c.header("Sec-WebSocket-Extensions", offer)).connect();
    }

    private RawWebSocket connect(String offer) throws Exception {
        return connect(WsHarness.small().maxWsMessageLength(MAX_MESSAGE), offer);
    }

    private static byte[] compress(byte[] message) {
        return Deflate.compress(message);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void assertFailedWith(RawWebSocket ws, int code, CloseReason reason) throws Exception {
        ServerFrame close = ws.readClose();
        assertThat(close.closeCode()).isEqualTo(code);
        assertThat(h.nextWsClose().reason()).isEqualTo(reason);
        // Nothing else was harmed: a new client is served.
        RawWebSocket other = RawWebSocket.connect(h.port(), "/ws/0");
        other.sendText("still here");
        assertThat(other.readFrame().text()).isEqualTo("still here");
        other.close();
    }

    @Test
    void anOfferIsAnsweredWithoutContextTakeoverInEitherDirection() throws Exception {
        RawWebSocket ws = connect(OFFER);
        assertThat(ws.handshakeResponse()).contains(AGREED);
        RawWebSocket plain = connect(null);
        assertThat(plain.handshakeResponse()).doesNotContain("Sec-WebSocket-Extensions");
    }

    @Test
    void compressedMessagesAreInflatedEachOnItsOwnAndEchoedDeflated() throws Exception {
        RawWebSocket ws = connect(OFFER);
        String greeting = "grüß dich, ".repeat(200);
        ws.send(WsFrames.frame(WsFrames.FIN | WsFrames.RSV1 | WsFrames.TEXT, compress(text(greeting))));
        ServerFrame echo = ws.readFrame();
        assertThat(echo.compressed()).as("a message over 200 bytes goes back deflated").isTrue();
        assertThat(echo.payload().length).isLessThan(text(greeting).length / 10);
        assertThat(echo.opcode()).isEqualTo(WsFrames.TEXT);
        assertThat(new String(echo.message(), StandardCharsets.UTF_8)).isEqualTo(greeting);
        // Each message is compressed with a fresh context (client_no_context_takeover): a second
        // identical one inflates the same, and a binary one too.
        byte[] binary = new byte[40_000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i % 7);
        }
        ws.send(WsFrames.concat(WsFrames.frame(WsFrames.FIN | WsFrames.RSV1 | WsFrames.TEXT, compress(text(greeting))),
                WsFrames.frame(WsFrames.FIN | WsFrames.RSV1 | WsFrames.BINARY, compress(binary))));
        ServerFrame again = ws.readFrame();
        assertThat(again.payload()).as("no context carried over: the same message deflates the same").isEqualTo(echo.payload());
        ServerFrame binaryEcho = ws.readFrame();
        assertThat(binaryEcho.opcode()).isEqualTo(WsFrames.BINARY);
        assertThat(binaryEcho.compressed()).isTrue();
        assertThat(binaryEcho.message()).isEqualTo(binary);
        // An uncompressed message on the same connection is fine too (RSV1 is per message), and a
        // short one goes back as it is.
        ws.sendText("plain");
        ServerFrame plain = ws.readFrame();
        assertThat(plain.compressed()).isFalse();
        assertThat(plain.text()).isEqualTo("plain");
    }

    /** A JSON-like feed message of exactly {@code size} bytes. */
    private static String feed(int size) {
        StringBuilder b = new StringBuilder(size + 40);
        for (int i = 0; b.length() < size; i++) {
            b.append("{\"sym\":\"S").append(i % 9).append("\",\"px\":").append(100 + i % 13).append("},");
        }
        b.setLength(size);
        return b.toString();
    }

    private void broadcast(byte[] message, boolean text) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        h.server.execute(() -> {
            h.server.staging().bytes(message).broadcast(0, text);
            done.countDown();
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aBroadcastIsDeflatedOnceAndEachClientGetsTheCopyItAgreedTo() throws Exception {
        ServerConfig.Builder config = WsHarness.small().compressWebSocket(true);
        RawWebSocket plain = connect(config, null);
        byte[] message = text(feed(1_000));
        // Nobody agreed to deflate yet: no copy is made.
        broadcast(message, true);
        assertThat(plain.readFrame().payload()).isEqualTo(message);
        assertThat(h.server.counters().deflateBytesIn()).isZero();

        RawWebSocket deflate = connect(OFFER);
        RawWebSocket zstd = RawWebSocket.to(h.port(), "/ws/0").subprotocol("compress-zstd").connect();
        RawWebSocket both = RawWebSocket.to(h.port(), "/ws/0").subprotocol("compress-zstd")
                .header("Sec-WebSocket-Extensions", OFFER).connect();
        assertThat(both.handshakeResponse()).contains(AGREED).contains("compress-zstd");
        long staged = h.server.counters().ringBytesStaged();
        broadcast(message, true);

        ServerFrame deflated = deflate.readFrame();
        assertThat(deflated.opcode()).isEqualTo(WsFrames.TEXT);
        assertThat(deflated.compressed()).isTrue();
        assertThat(deflated.message()).isEqualTo(message);
        ServerFrame asIs = plain.readFrame();
        assertThat(asIs.compressed()).isFalse();
        assertThat(asIs.payload()).isEqualTo(message);
        ServerFrame zstdFrame = zstd.readFrame();
        assertThat(zstdFrame.opcode()).isEqualTo(WsFrames.BINARY);
        assertThat(zstdFrame.rsv()).as("zstd is never signalled with RSV1").isZero();
        assertThat(Zstd.decompress(zstdFrame.payload(), message.length)).isEqualTo(message);
        ServerFrame bothFrame = both.readFrame();
        assertThat(bothFrame.payload()).as("a client that agreed to both gets zstd").isEqualTo(zstdFrame.payload());
        // Stored once per variant: the plain bytes, one zstd copy and one deflate copy, however many receive them.
        assertThat(h.server.counters().ringBytesStaged() - staged)
                .isEqualTo(message.length + zstdFrame.payload().length + deflated.payload().length);
        assertThat(h.server.counters().deflateBytesIn()).isEqualTo(message.length);
        assertThat(h.server.counters().deflateBytesOut()).isEqualTo(deflated.payload().length);
    }

    @Test
    void onlyMessagesOverTheThresholdThatShrinkAreDeflated() throws Exception {
        RawWebSocket ws = connect(OFFER);
        byte[] atThreshold = text(feed(ServerConfig.COMPRESSION_THRESHOLD));
        byte[] over = text(feed(ServerConfig.COMPRESSION_THRESHOLD + 1));
        byte[] random = new byte[1_000];
        new Random(7).nextBytes(random);
        byte[] pattern = new byte[1_000];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i % 5);
        }
        broadcast(atThreshold, true);
        broadcast(over, true);
        broadcast(random, false);
        broadcast(pattern, false);
        ServerFrame first = ws.readFrame();
        assertThat(first.compressed()).isFalse();
        assertThat(first.payload()).isEqualTo(atThreshold);
        ServerFrame second = ws.readFrame();
        assertThat(second.compressed()).isTrue();
        assertThat(second.message()).isEqualTo(over);
        ServerFrame incompressible = ws.readFrame();
        assertThat(incompressible.compressed()).as("a copy no shorter than the message is not sent").isFalse();
        assertThat(incompressible.payload()).isEqualTo(random);
        ServerFrame binary = ws.readFrame();
        assertThat(binary.opcode()).isEqualTo(WsFrames.BINARY);
        assertThat(binary.compressed()).isTrue();
        assertThat(binary.message()).isEqualTo(pattern);
    }

    @Test
    void aMessageWhoseCopyWouldNotFitInTheRingGoesPlain() throws Exception {
        RawWebSocket ws = connect(WsHarness.small().outgoingBufferSize(64 * 1024), OFFER);
        byte[] large = text(feed(40_000)); // with its worst-case copy, more than the ring
        byte[] fits = text(feed(25_000));
        broadcast(large, true);
        broadcast(fits, true);
        ServerFrame first = ws.readFrame();
        assertThat(first.compressed()).isFalse();
        assertThat(first.payload()).isEqualTo(large);
        ServerFrame second = ws.readFrame();
        assertThat(second.compressed()).isTrue();
        assertThat(second.message()).isEqualTo(fits);
        assertThat(h.server.counters().stageErrors()).isZero();
    }

    @Test
    void aFragmentedCompressedMessageHasRsv1OnItsFirstFrameOnly() throws Exception {
        RawWebSocket ws = connect(OFFER);
        byte[] compressed = compress(text("fragmented and compressed ".repeat(50)));
        int cut = compressed.length / 2;
        ws.send(WsFrames.concat(
                WsFrames.frame(WsFrames.RSV1 | WsFrames.TEXT, Arrays.copyOf(compressed, cut)),
                WsFrames.frame(WsFrames.FIN | WsFrames.PING, text("between")),
                WsFrames.frame(WsFrames.FIN | WsFrames.CONTINUATION, Arrays.copyOfRange(compressed, cut, compressed.length))));
        assertThat(ws.readFrame().opcode()).isEqualTo(WsFrames.PONG);
        assertThat(new String(ws.readFrame().message(), StandardCharsets.UTF_8))
                .isEqualTo("fragmented and compressed ".repeat(50));
    }

    @Test
    void aMessageThatInflatesPastTheLimitIs1009() throws Exception {
        RawWebSocket ws = connect(OFFER);
        // A megabyte of zeros is about a kilobyte compressed: a bomb against a 64 KiB limit.
        byte[] bomb = compress(new byte[1 << 20]);
        assertThat(bomb.length).isLessThan(MAX_MESSAGE);
        ws.send(WsFrames.frame(WsFrames.FIN | WsFrames.RSV1 | WsFrames.BINARY, bomb));
        assertFailedWith(ws, 1009, CloseReason.WS_OVERSIZE_FRAME);
    }

    @Test
    void aMessageOfExactlyTheLimitInflated() throws Exception {
        RawWebSocket ws = connect(OFFER);
        byte[] exact = new byte[MAX_MESSAGE];
        Arrays.fill(exact, (byte) 'x');
        ws.send(WsFrames.frame(WsFrames.FIN | WsFrames.RSV1 | WsFrames.BINARY, compress(exact)));
        ServerFrame echo = ws.readFrame();
        assertThat(echo.compressed()).isTrue();
        assertThat(echo.message()).isEqualTo(exact);
    }

    @Test
    void bytesThatDoNotInflateAre1007() throws Exception {
        RawWebSocket ws = connect(OFFER);
        ws.send(WsFrames.frame(WsFrames.FIN | WsFrames.RSV1 | WsFrames.BINARY, new byte[] {(byte) 0xFF, 0x13, 0x37, 0x00}));
        assertFailedWith(ws, 1007, CloseReason.WS_BAD_COMPRESSED_DATA);
    }

    @Test
    void textThatIsNotUtf8OnceInflatedIs1007() throws Exception {
        RawWebSocket ws = connect(OFFER);
        ws.send(WsFrames.frame(WsFrames.FIN | WsFrames.RSV1 | WsFrames.TEXT, compress(new byte[] {'o', 'k', (byte) 0xC3})));
        assertFailedWith(ws, 1007, CloseReason.WS_INVALID_UTF8);
    }

    @Test
    void rsv1OnAContinuationFrameIs1002() throws Exception {
        RawWebSocket ws = connect(OFFER);
        ws.send(WsFrames.concat(WsFrames.frame(WsFrames.RSV1 | WsFrames.TEXT, compress(text("a"))),
                WsFrames.frame(WsFrames.FIN | WsFrames.RSV1 | WsFrames.CONTINUATION, new byte[0])));
        assertFailedWith(ws, 1002, CloseReason.WS_RESERVED_BITS);
    }

    @Test
    void rsv1OnAControlFrameIs1002() throws Exception {
        RawWebSocket ws = connect(OFFER);
        ws.send(WsFrames.frame(WsFrames.FIN | WsFrames.RSV1 | WsFrames.PING, text("p")));
        assertFailedWith(ws, 1002, CloseReason.WS_RESERVED_BITS);
    }

    @Test
    void withoutTheExtensionRsv1Is1002() throws Exception {
        RawWebSocket ws = connect(null);
        ws.send(WsFrames.frame(WsFrames.FIN | WsFrames.RSV1 | WsFrames.TEXT, compress(text("not agreed"))));
        assertFailedWith(ws, 1002, CloseReason.WS_RESERVED_BITS);
    }

    @Test
    void anOfferForASmallerServerWindowIsDeclinedAndTheNextOneTaken() throws Exception {
        RawWebSocket declined = connect("permessage-deflate; server_max_window_bits=10");
        assertThat(declined.handshakeResponse()).doesNotContain("Sec-WebSocket-Extensions");
        RawWebSocket second = connect("permessage-deflate; server_max_window_bits=10, permessage-deflate");
        assertThat(second.handshakeResponse()).contains(AGREED);
    }

    @Test
    void aServerThatDoesNotAcceptTheExtensionNeverNegotiatesIt() throws Exception {
        RawWebSocket ws = connect(WsHarness.small().webSocketDeflate(false), OFFER);
        assertThat(ws.handshakeResponse()).doesNotContain("Sec-WebSocket-Extensions");
    }
}
