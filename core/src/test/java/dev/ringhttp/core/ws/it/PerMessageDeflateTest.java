package dev.ringhttp.core.ws.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.testing.RawWebSocket;
import dev.ringhttp.core.testing.ServerFrame;
import dev.ringhttp.core.testing.WsFrames;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * permessage-deflate (RFC 7692) over loopback sockets: negotiated without context takeover, the
 * client's compressed messages are inflated and echoed (uncompressed), and every malformed or
 * oversized compressed message fails the connection with the right close code and nothing else.
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

    /** What a client sends: raw DEFLATE, sync-flushed, without the final 00 00 FF FF (section 7.2.1). */
    static byte[] compress(byte[] message) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        do {
            n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, n);
        } while (n == chunk.length);
        deflater.end();
        byte[] all = out.toByteArray();
        return Arrays.copyOf(all, all.length - 4);
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
    void compressedMessagesAreInflatedEachOnItsOwnAndEchoedUncompressed() throws Exception {
        RawWebSocket ws = connect(OFFER);
        String greeting = "grüß dich, ".repeat(200);
        ws.send(WsFrames.frame(WsFrames.FIN | WsFrames.RSV1 | WsFrames.TEXT, compress(text(greeting))));
        ServerFrame echo = ws.readFrame();
        assertThat(echo.rsv()).as("the server sends uncompressed").isZero();
        assertThat(echo.opcode()).isEqualTo(WsFrames.TEXT);
        assertThat(echo.text()).isEqualTo(greeting);
        // Each message is compressed with a fresh context (client_no_context_takeover): a second
        // identical one inflates the same, and a binary one too.
        byte[] binary = new byte[40_000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i % 7);
        }
        ws.send(WsFrames.concat(WsFrames.frame(WsFrames.FIN | WsFrames.RSV1 | WsFrames.TEXT, compress(text(greeting))),
                WsFrames.frame(WsFrames.FIN | WsFrames.RSV1 | WsFrames.BINARY, compress(binary))));
        assertThat(ws.readFrame().text()).isEqualTo(greeting);
        assertThat(ws.readFrame().payload()).isEqualTo(binary);
        // An uncompressed message on the same connection is fine too (RSV1 is per message).
        ws.sendText("plain");
        assertThat(ws.readFrame().text()).isEqualTo("plain");
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
        assertThat(ws.readFrame().text()).isEqualTo("fragmented and compressed ".repeat(50));
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
        assertThat(ws.readFrame().payload()).isEqualTo(exact);
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
