package dev.ringhttp.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.testing.WsFrames;
import dev.ringhttp.core.testing.WsFrames.LengthEncoding;
import dev.ringhttp.core.ws.CloseFrames;
import dev.ringhttp.core.ws.FrameDecoder;
import dev.ringhttp.core.ws.FrameSink;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Structure-aware fuzzing of {@link FrameDecoder} with its UTF-8 validation: a stream of client
 * frames built from the fuzzer's data (header bits, opcodes, length encodings, masks, UTF-8 or raw
 * payloads, close codes, now and then raw garbage), fed the way the server reads it, in random
 * splits, into a receive buffer of {@link FrameDecoder#receiveBufferSize}.
 *
 * <p>Invariants: no exception; a decoder that neither failed nor closed leaves room to read; every
 * delivered message is at most the maximum, and text is valid UTF-8 per the JDK's strict decoder;
 * control payloads are at most 125 bytes; a close carries a valid code (or 1005) and a valid UTF-8
 * reason; nothing is delivered after the close; and the events (and the failure) do not depend on
 * how the stream was split: the same stream fed in as large reads as the buffer allows gives the
 * same events.
 */
class FrameDecoderFuzzTest {

    private static final int[] OPCODES = {0x0, 0x1, 0x2, 0x8, 0x9, 0xA};

    @FuzzTest(maxDuration = "60s")
    void decode(FuzzedDataProvider data) {
        int maxMessage = data.consumeInt(1, 300);
        byte[] splits = data.consumeBytes(data.consumeInt(0, 16));
        boolean direct = data.consumeBoolean();
        boolean littleEndian = data.consumeBoolean();
        boolean compressed = data.consumeBoolean();
        byte[] stream = frames(data, maxMessage);

        List<String> split = run(stream, maxMessage, splits, direct, littleEndian, compressed);
        List<String> whole = run(stream, maxMessage, new byte[0], !direct, !littleEndian, compressed);
        assertThat(split).as("events with splits vs. with whole reads").isEqualTo(whole);
    }

    /** Feeds {@code stream} as the server would; returns the events, the last one the outcome. */
    private static List<String> run(byte[] stream, int maxMessage, byte[] splits, boolean direct, boolean littleEndian,
            boolean compressed) {
        int capacity = FrameDecoder.receiveBufferSize(maxMessage);
        ByteBuffer buffer = (direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity))
                .order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        FrameDecoder decoder = new FrameDecoder(maxMessage);
        decoder.reset(compressed);
        CheckingSink sink = new CheckingSink(maxMessage, decoder);
        int filled = 0;
        int fed = 0;
        int next = 0;
        while (fed < stream.length) {
            int room = capacity - filled;
            assertThat(room).as("room to read").isPositive();
            int chunk = splits.length == 0 ? room : (splits[next++ % splits.length] & 0xFF) + 1;
            int n = Math.min(Math.min(chunk, room), stream.length - fed);
            buffer.put(filled, stream, fed, n);
            filled += n;
            fed += n;
            CloseReason failure = decoder.decode(buffer, filled, sink);
            if (failure != null) {
                assertThat(decoder.isClosed()).isTrue();
                assertThat(decoder.failure()).isEqualTo(failure);
                assertThat(failure.wsCloseCode()).isIn(1002, 1007, 1009);
                sink.events.add("fail " + failure);
                return sink.events;
            }
            if (decoder.isClosed()) {
                assertThat(sink.closed).isTrue();
                return sink.events;
            }
            filled = decoder.filled();
            assertThat(filled).isBetween(0, capacity - 1);
        }
        sink.events.add("need more");
        return sink.events;
    }

    /** Builds up to 24 frames, mostly well-formed, from the fuzzer's data. */
    private static byte[] frames(FuzzedDataProvider data, int maxMessage) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frames = data.consumeInt(0, 24);
        for (int f = 0; f < frames && data.remainingBytes() > 0; f++) {
            int kind = data.consumeInt(0, 31);
            if (kind == 31) {
                out.writeBytes(data.consumeBytes(data.consumeInt(1, 16)));
                continue;
            }
            boolean fin = data.consumeInt(0, 3) != 0;
            int rsv = data.consumeInt(0, 31) == 0 ? data.consumeInt(1, 7) << 4 : 0;
            int opcode = data.consumeInt(0, 15) == 0 ? data.consumeInt(0, 15)
                    : OPCODES[data.consumeInt(0, OPCODES.length - 1)];
            boolean masked = data.consumeInt(0, 31) != 0;
            byte[] payload = payload(data, opcode, maxMessage);
            long announced = payload.length;
            if (data.consumeInt(0, 63) == 0) {
                announced = data.consumeBoolean() ? data.consumeLong() : data.consumeInt(0, maxMessage + 200);
            }
            int encoding = data.consumeInt(0, 7); // 0: 16-bit, 1: 64-bit, else minimal
            int key = data.consumeInt();
            LengthEncoding length = encoding == 0 ? LengthEncoding.SIXTEEN
                    : encoding == 1 ? LengthEncoding.SIXTY_FOUR : LengthEncoding.MINIMAL;
            int first = (fin ? WsFrames.FIN : 0) | rsv | opcode;
            out.writeBytes(WsFrames.raw(first, announced, payload, key, masked, length));
        }
        return out.toByteArray();
    }

    private static byte[] payload(FuzzedDataProvider data, int opcode, int maxMessage) {
        int limit = opcode >= 0x8 ? 130 : maxMessage + 8;
        if (opcode == 0x8 && data.consumeInt(0, 3) != 0) {
            int code = data.consumeInt(0, 7) == 0 ? data.consumeInt(0, 0xFFFF) : 1000 + data.consumeInt(0, 15);
            byte[] reason = data.consumeBoolean() ? data.consumeString(40).getBytes(StandardCharsets.UTF_8)
                    : data.consumeBytes(data.consumeInt(0, 8));
            byte[] p = new byte[2 + reason.length];
            p[0] = (byte) (code >>> 8);
            p[1] = (byte) code;
            System.arraycopy(reason, 0, p, 2, reason.length);
            return p;
        }
        if (data.consumeBoolean()) {
            byte[] text = data.consumeString(limit).getBytes(StandardCharsets.UTF_8);
            return text.length <= limit ? text : java.util.Arrays.copyOf(text, limit);
        }
        return data.consumeBytes(data.consumeInt(0, limit));
    }

    /** Records events as text and checks each callback's own invariants. */
    private static final class CheckingSink implements FrameSink {
        final List<String> events = new ArrayList<>();
        private final int maxMessage;
        private final FrameDecoder decoder;
        boolean closed;

        CheckingSink(int maxMessage, FrameDecoder decoder) {
            this.maxMessage = maxMessage;
            this.decoder = decoder;
        }

        @Override
        public boolean onMessage(ByteBuffer buffer, int offset, int length, boolean text) {
            assertThat(closed).as("a message after the close").isFalse();
            assertThat(length).isBetween(0, maxMessage);
            byte[] bytes = bytes(buffer, offset, length);
            // A compressed message is validated once inflated, by the connection, not here.
            boolean compressedMessage = decoder.messageCompressed();
            if (text && !compressedMessage) {
                assertThat(isUtf8(bytes)).as("delivered text is valid UTF-8: %s", HexFormat.of().formatHex(bytes))
                        .isTrue();
            }
            events.add((compressedMessage ? "compressed " : "") + (text ? "text " : "binary ")
                    + HexFormat.of().formatHex(bytes));
            return true;
        }

        @Override
        public boolean onPing(ByteBuffer buffer, int offset, int length) {
            assertThat(closed).isFalse();
            assertThat(length).isBetween(0, 125);
            events.add("ping " + HexFormat.of().formatHex(bytes(buffer, offset, length)));
            return true;
        }

        @Override
        public boolean onPong(ByteBuffer buffer, int offset, int length) {
            assertThat(closed).isFalse();
            assertThat(length).isBetween(0, 125);
            events.add("pong " + HexFormat.of().formatHex(bytes(buffer, offset, length)));
            return true;
        }

        @Override
        public void onClose(int code, ByteBuffer buffer, int reasonOffset, int reasonLength) {
            assertThat(closed).as("a second close").isFalse();
            closed = true;
            assertThat(code == CloseFrames.NO_STATUS_CODE || CloseFrames.isValidCode(code)).as("code " + code).isTrue();
            assertThat(reasonLength).isBetween(0, 123);
            byte[] reason = bytes(buffer, reasonOffset, reasonLength);
            assertThat(isUtf8(reason)).as("close reason is valid UTF-8").isTrue();
            events.add("close " + code + " " + HexFormat.of().formatHex(reason));
        }

        private static byte[] bytes(ByteBuffer buffer, int offset, int length) {
            assertThat(offset).isBetween(0, buffer.capacity());
            assertThat(offset + length).isBetween(offset, buffer.capacity());
            byte[] b = new byte[length];
            buffer.get(offset, b);
            return b;
        }

        private static boolean isUtf8(byte[] bytes) {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
                return true;
            } catch (CharacterCodingException e) {
                return false;
            }
        }
    }
}
