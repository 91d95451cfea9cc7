package dev.ringhttp.core.ws;

import static dev.ringhttp.core.testing.WsFrames.BINARY;
import static dev.ringhttp.core.testing.WsFrames.CLOSE;
import static dev.ringhttp.core.testing.WsFrames.CONTINUATION;
import static dev.ringhttp.core.testing.WsFrames.DEFAULT_KEY;
import static dev.ringhttp.core.testing.WsFrames.FIN;
import static dev.ringhttp.core.testing.WsFrames.PING;
import static dev.ringhttp.core.testing.WsFrames.PONG;
import static dev.ringhttp.core.testing.WsFrames.TEXT;
import static dev.ringhttp.core.testing.WsFrames.closePayload;
import static dev.ringhttp.core.testing.WsFrames.concat;
import static dev.ringhttp.core.testing.WsFrames.frame;
import static dev.ringhttp.core.testing.WsFrames.raw;
import static dev.ringhttp.core.ws.Utf8ValidatorTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.testing.WsFrames;
import dev.ringhttp.core.testing.WsFrames.LengthEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private static final int MAX = 70_000;

    /** A decoder with its receive buffer, fed as a server would: reads land at filled(). */
    private static final class Connection {
        final FrameDecoder decoder;
        final ByteBuffer buffer;
        final RecordingSink sink = new RecordingSink();
        CloseReason result;

        Connection(int maxMessageLength) {
            this(maxMessageLength, ByteOrder.BIG_ENDIAN);
        }

        Connection(int maxMessageLength, ByteOrder order) {
            decoder = new FrameDecoder(maxMessageLength);
            buffer = ByteBuffer.allocateDirect(FrameDecoder.receiveBufferSize(maxMessageLength)).order(order);
        }

        /** Appends one read of wire[off, off + n) and decodes it. */
        CloseReason read(byte[] wire, int off, int n) {
            int filled = decoder.filled();
            assertThat(buffer.capacity() - filled).as("free space").isGreaterThanOrEqualTo(n);
            buffer.put(filled, wire, off, n);
            result = decoder.decode(buffer, filled + n, sink);
            if (!decoder.isClosed()) {
                assertThat(decoder.filled()).as("room to read more").isLessThan(buffer.capacity());
            }
            return result;
        }

        CloseReason read(byte[] wire) {
            return read(wire, 0, wire.length);
        }

        /** Feeds all of wire in reads of chunk sizes (each capped by the free space), until done or closed. */
        CloseReason feed(byte[] wire, IntSupplier chunk) {
            int off = 0;
            while (off < wire.length && !decoder.isClosed()) {
                int n = Math.min(Math.min(chunk.getAsInt(), buffer.capacity() - decoder.filled()), wire.length - off);
                read(wire, off, n);
                off += n;
                if (result != null) {
                    break;
                }
            }
            return result;
        }

        CloseReason feedWhole(byte[] wire) {
            return feed(wire, () -> Integer.MAX_VALUE);
        }
    }

    @Test
    void decodesEveryLengthBoundaryWholeByteByByteAndInRandomSplits() {
        Random random = new Random(42);
        int[] lengths = {0, 1, 125, 126, 127, 128, 65535, 65536, MAX};
        for (int length : lengths) {
            byte[] binary = new byte[length];
            random.nextBytes(binary);
            String text = randomText(random, length);
            byte[] wire = concat(frame(FIN | BINARY, binary), frame(FIN | TEXT, text));
            List<String> expected = List.of(RecordingSink.binary(binary), RecordingSink.text(text));
            for (int mode = 0; mode < 3; mode++) {
                Connection connection = new Connection(MAX);
                IntSupplier chunk = switch (mode) {
                    case 0 -> () -> Integer.MAX_VALUE;
                    case 1 -> () -> 1;
                    default -> () -> 1 + random.nextInt(length / 3 + 20);
                };
                assertThat(connection.feed(wire, chunk)).as("length %d mode %d", length, mode).isNull();
                assertThat(connection.sink.events).as("length %d mode %d", length, mode).isEqualTo(expected);
                assertThat(connection.decoder.filled()).isZero();
            }
        }
    }

    @Test
    void acceptsLengthsInLongerEncodingsThanNeeded() {
        Connection connection = new Connection(MAX);
        byte[] payload = "hi".getBytes(StandardCharsets.UTF_8);
        connection.feedWhole(concat(
                WsFrames.frame(FIN | TEXT, payload, DEFAULT_KEY, true, LengthEncoding.SIXTEEN),
                WsFrames.frame(FIN | PING, payload, DEFAULT_KEY, true, LengthEncoding.MINIMAL),
                WsFrames.frame(FIN | BINARY, payload, DEFAULT_KEY, true, LengthEncoding.SIXTY_FOUR)));
        assertThat(connection.sink.events).containsExactly(
                RecordingSink.text("hi"), RecordingSink.ping(payload), RecordingSink.binary(payload));
    }

    @Test
    void decodesManySmallFramesInOneRead() {
        Random random = new Random(7);
        List<byte[]> frames = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            byte[] payload = new byte[random.nextInt(21)];
            random.nextBytes(payload);
            int kind = random.nextInt(4);
            int key = random.nextInt();
            switch (kind) {
                case 0 -> {
                    String text = randomText(random, payload.length);
                    frames.add(frame(FIN | TEXT, text.getBytes(StandardCharsets.UTF_8), key));
                    expected.add(RecordingSink.text(text));
                }
                case 1 -> {
                    frames.add(frame(FIN | BINARY, payload, key));
                    expected.add(RecordingSink.binary(payload));
                }
                case 2 -> {
                    frames.add(frame(FIN | PING, payload, key));
                    expected.add(RecordingSink.ping(payload));
                }
                default -> {
                    frames.add(frame(FIN | PONG, payload, key));
                    expected.add(RecordingSink.pong(payload));
                }
            }
        }
        byte[] wire = concat(frames.toArray(byte[][]::new));
        assertThat(wire.length).isLessThan(FrameDecoder.receiveBufferSize(MAX));
        Connection connection = new Connection(MAX);
        assertThat(connection.read(wire)).isNull();
        assertThat(connection.sink.events).isEqualTo(expected);
        assertThat(connection.decoder.filled()).isZero();
    }

    @Test
    void joinsFragmentsSplitAnywhereWithControlFramesBetween() {
        String text = "héllo wörld 😀 ∑ ok";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] ping = "p".getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= utf8.length; split++) {
            for (int split2 = split; split2 <= utf8.length; split2 += 3) {
                byte[] wire = concat(
                        frame(TEXT, Arrays.copyOfRange(utf8, 0, split), 0x01020304),
                        frame(FIN | PING, ping, 0x0A0B0C0D),
                        frame(CONTINUATION, Arrays.copyOfRange(utf8, split, split2), 0x11223344),
                        frame(FIN | PONG, new byte[0], 0x55667788),
                        frame(FIN | CONTINUATION, Arrays.copyOfRange(utf8, split2, utf8.length), 0x99AABBCC),
                        frame(BINARY, new byte[] {1, 2}, 0),
                        frame(FIN | PING, ping, 0),
                        frame(FIN | CONTINUATION, new byte[] {3}, 0));
                for (int chunk : new int[] {Integer.MAX_VALUE, 1, 5}) {
                    Connection connection = new Connection(100);
                    assertThat(connection.feed(wire, () -> chunk)).isNull();
                    assertThat(connection.sink.events).as("split %d/%d chunk %d", split, split2, chunk).containsExactly(
                            RecordingSink.ping(ping), RecordingSink.pong(new byte[0]), RecordingSink.text(text),
                            RecordingSink.ping(ping), RecordingSink.binary(new byte[] {1, 2, 3}));
                }
            }
        }
    }

    @Test
    void randomConversationsDecodeTheSameInAnySplits() {
        for (int seed = 0; seed < 25; seed++) {
            Random random = new Random(seed);
            int max = 50 + random.nextInt(3000);
            List<byte[]> frames = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int message = 0; message < 40; message++) {
                boolean text = random.nextBoolean();
                int length = random.nextInt(max + 1);
                byte[] payload = text ? randomText(random, length).getBytes(StandardCharsets.UTF_8) : new byte[length];
                if (!text) {
                    random.nextBytes(payload);
                }
                int fragments = 1 + random.nextInt(5);
                int start = 0;
                for (int f = 0; f < fragments; f++) {
                    int stop = f == fragments - 1 ? payload.length : start + random.nextInt(payload.length - start + 1);
                    int opcode = f == 0 ? (text ? TEXT : BINARY) : CONTINUATION;
                    int first = (f == fragments - 1 ? FIN : 0) | opcode;
                    frames.add(frame(first, Arrays.copyOfRange(payload, start, stop), random.nextInt()));
                    start = stop;
                    if (f == fragments - 1) {
                        expected.add(text ? "text:" + RecordingSink.latin1(payload) : RecordingSink.binary(payload));
                    }
                    if (random.nextInt(3) == 0) {
                        byte[] control = new byte[random.nextInt(126)];
                        random.nextBytes(control);
                        boolean ping = random.nextBoolean();
                        frames.add(frame(FIN | (ping ? PING : PONG), control, random.nextInt()));
                        expected.add(ping ? RecordingSink.ping(control) : RecordingSink.pong(control));
                    }
                }
            }
            byte[] closing = closePayload(1000, "done".getBytes(StandardCharsets.UTF_8));
            frames.add(frame(FIN | CLOSE, closing, random.nextInt()));
            expected.add(RecordingSink.close(1000, "done"));
            byte[] wire = concat(frames.toArray(byte[][]::new));
            for (int round = 0; round < 3; round++) {
                Connection connection = new Connection(max);
                int limit = round == 0 ? 7 : 64 + random.nextInt(max);
                assertThat(connection.feed(wire, () -> 1 + random.nextInt(limit))).as("seed %d", seed).isNull();
                assertThat(connection.sink.events).as("seed %d", seed).isEqualTo(expected);
                assertThat(connection.decoder.isClosed()).isTrue();
            }
        }
    }

    @Test
    void stopsWhenTheSinkSaysSoAndResumes() {
        byte[] wire = concat(frame(TEXT, "a"), frame(FIN | PING, "b".getBytes(StandardCharsets.UTF_8)),
                frame(FIN | CONTINUATION, "c".getBytes(StandardCharsets.UTF_8)), frame(FIN | BINARY, new byte[] {9}));
        Connection connection = new Connection(100);
        connection.sink.stopAfter = 1;
        assertThat(connection.read(wire)).isNull();
        assertThat(connection.sink.events).containsExactly("ping:b");
        assertThat(connection.decoder.isClosed()).isFalse();
        int frameLength = 7;
        assertThat(connection.decoder.filled()).isEqualTo(1 + 2 * frameLength);
        connection.sink.stopAfter = Integer.MAX_VALUE;
        assertThat(connection.decoder.decode(connection.buffer, connection.decoder.filled(), connection.sink)).isNull();
        assertThat(connection.sink.events).containsExactly("ping:b", RecordingSink.text("ac"), "binary:\u0009");
        assertThat(connection.decoder.filled()).isZero();
    }

    @Test
    void compactionKeepsTheStateAcrossReads() {
        Connection connection = new Connection(100);
        byte[] second = frame(FIN | BINARY, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        // a whole frame plus 3 header bytes of the next: the 3 bytes are the 2-byte start
        // (consumed) and one extended/masking byte, kept at the front
        connection.read(concat(frame(FIN | TEXT, "x"), Arrays.copyOf(second, 3)));
        assertThat(connection.sink.events).containsExactly(RecordingSink.text("x"));
        assertThat(connection.decoder.filled()).isEqualTo(1);
        // the masking key and 4 payload bytes: the header is dropped, the unmasked payload kept at 0
        connection.read(second, 3, 7);
        assertThat(connection.decoder.filled()).isEqualTo(4);
        assertThat(connection.buffer.get(0)).isEqualTo((byte) 1);
        connection.read(second, 10, second.length - 10);
        assertThat(connection.sink.events).containsExactly(RecordingSink.text("x"),
                RecordingSink.binary(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
        assertThat(connection.decoder.filled()).isZero();

        // inside a fragmented message the kept bytes follow the message so far
        byte[] last = frame(FIN | CONTINUATION, "defgh".getBytes(StandardCharsets.UTF_8));
        connection.read(concat(frame(TEXT, "abc"), Arrays.copyOf(last, 8)));
        assertThat(connection.decoder.filled()).isEqualTo(3 + 2);
        connection.read(last, 8, last.length - 8);
        assertThat(connection.sink.events).last().isEqualTo(RecordingSink.text("abcdefgh"));
    }

    @Test
    void aMaximalFragmentedMessageLeavesRoomForAWholeControlFrame() {
        int max = 1000;
        Connection connection = new Connection(max);
        byte[] payload = new byte[max];
        new Random(3).nextBytes(payload);
        connection.feedWhole(concat(frame(BINARY, Arrays.copyOf(payload, 600)),
                frame(CONTINUATION, Arrays.copyOfRange(payload, 600, max))));
        assertThat(connection.decoder.filled()).isEqualTo(max);
        byte[] ping = new byte[125];
        Arrays.fill(ping, (byte) 'p');
        byte[] pingFrame = frame(FIN | PING, ping);
        byte[] end = frame(FIN | CONTINUATION, new byte[0]);
        assertThat(FrameDecoder.receiveBufferSize(max) - connection.decoder.filled()).isEqualTo(pingFrame.length);
        assertThat(connection.read(pingFrame)).isNull();
        assertThat(connection.read(end)).isNull();
        assertThat(connection.sink.events).containsExactly(RecordingSink.ping(ping), RecordingSink.binary(payload));
        assertThat(FrameDecoder.receiveBufferSize(max)).isEqualTo(max + 131);
    }

    @Test
    void reportsEachProtocolError() {
        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        assertError(WsFrames.frame(FIN | TEXT, hello, 0, false, LengthEncoding.MINIMAL), CloseReason.WS_BAD_MASK);
        for (int rsv : new int[] {0x40, 0x20, 0x10}) {
            assertError(frame(FIN | rsv | TEXT, hello, DEFAULT_KEY), CloseReason.WS_RESERVED_BITS);
        }
        for (int opcode : new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
            assertError(frame(FIN | opcode, hello, DEFAULT_KEY), CloseReason.WS_UNKNOWN_OPCODE);
        }
        for (int control : new int[] {PING, PONG, CLOSE}) {
            assertError(frame(FIN | control, new byte[126], DEFAULT_KEY), CloseReason.WS_CONTROL_FRAME_TOO_LARGE);
            assertError(WsFrames.frame(FIN | control, new byte[3], DEFAULT_KEY, true, LengthEncoding.SIXTEEN),
                    CloseReason.WS_CONTROL_FRAME_TOO_LARGE);
            assertError(frame(control, new byte[1], DEFAULT_KEY), CloseReason.WS_FRAGMENTED_CONTROL_FRAME);
        }
        assertError(concat(frame(TEXT, hello, DEFAULT_KEY), frame(FIN | TEXT, hello, DEFAULT_KEY)),
                CloseReason.WS_EXPECTED_CONT_OPCODE);
        assertError(concat(frame(BINARY, hello, DEFAULT_KEY), frame(FIN | PING, hello, DEFAULT_KEY),
                frame(FIN | BINARY, hello, DEFAULT_KEY)), CloseReason.WS_EXPECTED_CONT_OPCODE);
        assertError(frame(FIN | CONTINUATION, hello, DEFAULT_KEY), CloseReason.WS_EXPECTED_TEXT_OPCODE);
        assertError(concat(frame(FIN | TEXT, hello, DEFAULT_KEY), frame(CONTINUATION, hello, DEFAULT_KEY)),
                CloseReason.WS_EXPECTED_TEXT_OPCODE);
        assertError(frame(FIN | TEXT, bytes('a', 0xC0, 0x80), DEFAULT_KEY), CloseReason.WS_INVALID_UTF8);
        assertError(frame(FIN | TEXT, bytes('a', 0xE2, 0x82), DEFAULT_KEY), CloseReason.WS_INVALID_UTF8);
        assertError(concat(frame(TEXT, bytes('a', 0xE2), DEFAULT_KEY), frame(FIN | CONTINUATION, bytes(0x82), DEFAULT_KEY)),
                CloseReason.WS_INVALID_UTF8);
        // binary messages are not validated
        Connection binary = new Connection(100);
        assertThat(binary.read(frame(FIN | BINARY, bytes(0xC0, 0xFF), DEFAULT_KEY))).isNull();
    }

    @Test
    void reportsOversizeFromTheHeaderAlone() {
        int max = 1000;
        // 16-bit length, no masking key or payload yet
        Connection sixteen = new Connection(max);
        assertThat(sixteen.read(Arrays.copyOf(raw(FIN | TEXT, max + 1, new byte[0], 0, true, LengthEncoding.MINIMAL), 4)))
                .isEqualTo(CloseReason.WS_OVERSIZE_FRAME);
        Connection sixtyFour = new Connection(max);
        assertThat(sixtyFour.read(Arrays.copyOf(raw(FIN | BINARY, 1L << 40, new byte[0], 0, true, LengthEncoding.MINIMAL), 10)))
                .isEqualTo(CloseReason.WS_OVERSIZE_FRAME);
        Connection signBit = new Connection(max);
        assertThat(signBit.read(Arrays.copyOf(raw(FIN | BINARY, Long.MIN_VALUE + 5, new byte[0], 0, true,
                LengthEncoding.SIXTY_FOUR), 10))).isEqualTo(CloseReason.WS_OVERSIZE_FRAME);
        Connection seven = new Connection(100);
        assertThat(seven.read(Arrays.copyOf(raw(FIN | TEXT, 101, new byte[0], 0, true, LengthEncoding.MINIMAL), 2)))
                .isEqualTo(CloseReason.WS_OVERSIZE_FRAME);
        // fragments adding up to more than the maximum
        Connection fragments = new Connection(max);
        assertThat(fragments.read(frame(BINARY, new byte[600]))).isNull();
        assertThat(fragments.read(Arrays.copyOf(raw(FIN | CONTINUATION, 401, new byte[0], 0, true,
                LengthEncoding.MINIMAL), 4))).isEqualTo(CloseReason.WS_OVERSIZE_FRAME);
        // exactly the maximum is fine
        Connection exact = new Connection(max);
        exact.feedWhole(concat(frame(BINARY, new byte[600]), frame(FIN | CONTINUATION, new byte[400])));
        assertThat(exact.result).isNull();
        assertThat(exact.sink.events).hasSize(1);
    }

    @Test
    void failsOnInvalidUtf8BeforeTheFrameIsComplete() {
        byte[] payload = new byte[1000];
        Arrays.fill(payload, (byte) 'a');
        payload[5] = (byte) 0xFF;
        byte[] wire = frame(FIN | TEXT, payload, DEFAULT_KEY);
        Connection connection = new Connection(2000);
        int header = 8;
        assertThat(connection.read(wire, 0, header + 10)).isEqualTo(CloseReason.WS_INVALID_UTF8);
        assertThat(connection.decoder.isClosed()).isTrue();
        assertThat(connection.decoder.failure()).isEqualTo(CloseReason.WS_INVALID_UTF8);

        // a sequence split across two fragments: fails as soon as the second fragment's first byte arrives
        byte[] second = frame(FIN | CONTINUATION, bytes(0x41, 'b', 'c'), 0x12345678);
        Connection fragments = new Connection(100);
        assertThat(fragments.read(frame(TEXT, bytes('a', 0xE2, 0x82), 0x0F0E0D0C))).isNull();
        assertThat(fragments.read(second, 0, 7)).isEqualTo(CloseReason.WS_INVALID_UTF8);

        // a sequence split across two reads of one frame
        byte[] single = frame(FIN | TEXT, bytes('a', 0xF0, 0x9F, 0x41, 'z', 'z'), 0x7F7F7F7F);
        Connection reads = new Connection(100);
        assertThat(reads.read(single, 0, 8)).isNull();
        assertThat(reads.read(single, 8, 1)).isNull();
        assertThat(reads.read(single, 9, 1)).isEqualTo(CloseReason.WS_INVALID_UTF8);
    }

    @Test
    void decodesCloseFrames() {
        assertClose(frame(FIN | CLOSE, new byte[0]), RecordingSink.close(CloseFrames.NO_STATUS_CODE, ""));
        assertClose(frame(FIN | CLOSE, closePayload(1000, new byte[0])), RecordingSink.close(1000, ""));
        assertClose(frame(FIN | CLOSE, closePayload(4999, "bye ✓".getBytes(StandardCharsets.UTF_8))),
                RecordingSink.close(4999, "bye ✓"));
        byte[] reason = new byte[123];
        Arrays.fill(reason, (byte) 'r');
        assertClose(frame(FIN | CLOSE, closePayload(1001, reason)), "close:1001:" + RecordingSink.latin1(reason));
        for (int code : new int[] {1012, 1013, 1014, 3000}) {
            assertClose(frame(FIN | CLOSE, closePayload(code, new byte[0])), RecordingSink.close(code, ""));
        }
        assertError(frame(FIN | CLOSE, new byte[] {3}), CloseReason.WS_BAD_CLOSE_FRAME);
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535}) {
            assertError(frame(FIN | CLOSE, closePayload(code, new byte[0])), CloseReason.WS_BAD_CLOSE_FRAME);
        }
        assertError(frame(FIN | CLOSE, closePayload(1000, bytes('o', 0xED, 0xA0, 0x80))), CloseReason.WS_INVALID_UTF8);
        assertError(frame(FIN | CLOSE, closePayload(1000, bytes('o', 0xE2, 0x82))), CloseReason.WS_INVALID_UTF8);
    }

    @Test
    void closeFrameStopsDecodingEvenInsideAFragmentedMessage() {
        Connection connection = new Connection(100);
        byte[] wire = concat(frame(TEXT, bytes('a', 0xE2)), frame(FIN | CLOSE, closePayload(1000, "ok".getBytes(StandardCharsets.UTF_8))),
                frame(FIN | TEXT, "never"));
        assertThat(connection.read(wire)).isNull();
        assertThat(connection.sink.events).containsExactly(RecordingSink.close(1000, "ok"));
        assertThat(connection.decoder.isClosed()).isTrue();
        assertThat(connection.decoder.failure()).isNull();
        assertThatThrownBy(() -> connection.decoder.decode(connection.buffer, 0, connection.sink))
                .isInstanceOf(IllegalStateException.class);
        connection.decoder.reset();
        assertThat(connection.decoder.isClosed()).isFalse();
        assertThat(connection.read(frame(FIN | TEXT, "again"))).isNull();
        assertThat(connection.sink.events).last().isEqualTo(RecordingSink.text("again"));
    }

    @Test
    void worksWithLittleEndianBuffers() {
        Random random = new Random(11);
        for (int length : new int[] {3, 8, 9, 17, 300}) {
            byte[] payload = new byte[length];
            random.nextBytes(payload);
            byte[] wire = concat(frame(BINARY, Arrays.copyOf(payload, length / 2), 0x01234567),
                    frame(FIN | CONTINUATION, Arrays.copyOfRange(payload, length / 2, length), 0x89ABCDEF));
            Connection connection = new Connection(1000, ByteOrder.LITTLE_ENDIAN);
            assertThat(connection.feed(wire, () -> 1 + random.nextInt(13))).isNull();
            assertThat(connection.sink.events).containsExactly(RecordingSink.binary(payload));
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new FrameDecoder(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameDecoder.receiveBufferSize(Integer.MAX_VALUE - 130))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(FrameDecoder.receiveBufferSize(Integer.MAX_VALUE - 131)).isEqualTo(Integer.MAX_VALUE);
        FrameDecoder decoder = new FrameDecoder(10);
        ByteBuffer buffer = ByteBuffer.allocateDirect(FrameDecoder.receiveBufferSize(10));
        RecordingSink sink = new RecordingSink();
        assertThatThrownBy(() -> decoder.decode(buffer, buffer.capacity() + 1, sink))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertError(byte[] wire, CloseReason expected) {
        for (int chunk : new int[] {Integer.MAX_VALUE, 1}) {
            Connection connection = new Connection(100);
            assertThat(connection.feed(wire, () -> chunk)).as("%s, chunk %d", expected, chunk).isEqualTo(expected);
            assertThat(connection.decoder.isClosed()).isTrue();
            assertThat(connection.decoder.failure()).isEqualTo(expected);
            assertThatThrownBy(() -> connection.decoder.decode(connection.buffer, 0, connection.sink))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    private static void assertClose(byte[] wire, String expected) {
        for (int chunk : new int[] {Integer.MAX_VALUE, 1}) {
            Connection connection = new Connection(100);
            assertThat(connection.feed(concat(wire, frame(FIN | TEXT, "after")), () -> chunk)).isNull();
            assertThat(connection.sink.events).containsExactly(expected);
            assertThat(connection.decoder.isClosed()).isTrue();
            assertThat(connection.decoder.failure()).isNull();
        }
    }

    /** Valid UTF-8 of exactly {@code length} bytes, mixing one- to four-byte characters. */
    static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder();
        int bytes = 0;
        while (bytes < length) {
            int room = length - bytes;
            int size = 1 + random.nextInt(Math.min(room, 4));
            int codePoint = switch (size) {
                case 1 -> random.nextInt(0x80);
                case 2 -> 0x80 + random.nextInt(0x800 - 0x80);
                case 3 -> 0xE000 + random.nextInt(0x2000);
                default -> 0x10000 + random.nextInt(0x100000);
            };
            text.appendCodePoint(codePoint);
            bytes += size;
        }
        return text.toString();
    }
}
