package dev.ringhttp.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The envelope between instances: its exact layout, and strict decoding of everything else. */
class ClusterEnvelopeCodecTests {

    private static final int LIMIT = 1024;
    private static final long INCARNATION = 0x0102030405060708L;

    private final EnvelopeCodec codec = new EnvelopeCodec("node-a", INCARNATION, LIMIT);

    @Test
    void writesTheDocumentedLayoutByteForByte() throws Exception {
        byte[] envelope = codec.encode("/ws/é", "hi".getBytes(StandardCharsets.UTF_8), true);

        assertThat(HexFormat.of().formatHex(envelope)).isEqualTo(
                "01" // version
                        + "01" // kind: text
                        + "0102030405060708" // incarnation
                        + "06" + HexFormat.of().formatHex("node-a".getBytes(StandardCharsets.US_ASCII))
                        + "0006" + "2f77732fc3a9" // "/ws/é": 6 bytes of UTF-8
                        + "6869"); // payload
    }

    @Test
    void roundTripsTextAndBinaryToOneChannelOrEveryChannel() throws Exception {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i; // every byte value, invalid UTF-8 included: binary is not checked
        }
        Envelope b = codec.decode(codec.encode("/ws/feed", binary, false));
        assertThat(b.kind()).isEqualTo(MessageKind.BINARY);
        assertThat(b.text()).isFalse();
        assertThat(b.channel()).isEqualTo("/ws/feed");
        assertThat(b.instanceId()).isEqualTo("node-a");
        assertThat(b.incarnation()).isEqualTo(INCARNATION);
        assertThat(bytes(b.payload())).isEqualTo(binary);
        assertThat(b.payload().isReadOnly()).isTrue();

        Envelope t = codec.decode(codec.encode(null, "grüße 👋".getBytes(StandardCharsets.UTF_8), true));
        assertThat(t.kind()).isEqualTo(MessageKind.TEXT);
        assertThat(t.everyChannel()).isTrue();
        assertThat(t.channel()).isNull();
        assertThat(new String(bytes(t.payload()), StandardCharsets.UTF_8)).isEqualTo("grüße 👋");
    }

    @Test
    void carriesEmptyAndLimitSizedPayloads() throws Exception {
        assertThat(codec.decode(codec.encode("c", new byte[0], true)).payload().remaining()).isZero();
        byte[] full = new byte[LIMIT];
        Arrays.fill(full, (byte) 'x');
        assertThat(bytes(codec.decode(codec.encode("c", full, true)).payload())).isEqualTo(full);
    }

    @Test
    void refusesToWriteAPayloadOverTheLimit() {
        EnvelopeException e = catchThrowableOfType(EnvelopeException.class,
                () -> codec.encode("c", new byte[LIMIT + 1], false));
        assertThat(e.reason()).isEqualTo(DropReason.OVERSIZE);
    }

    @Test
    void readsAPayloadOverItsOwnLimitAsOversize() throws Exception {
        EnvelopeCodec generous = new EnvelopeCodec("node-b", 1, LIMIT * 2);
        byte[] big = generous.encode("c", new byte[LIMIT + 1], false);

        assertThat(reasonFor(big)).isEqualTo(DropReason.OVERSIZE);
    }

    @Test
    void heartbeatsCarryTheirNumberAndNoChannel() throws Exception {
        Envelope h = codec.decode(codec.heartbeat(0x1122334455667788L));
        assertThat(h.kind()).isEqualTo(MessageKind.HEARTBEAT);
        assertThat(h.channel()).isNull();
        assertThat(h.heartbeatNumber()).isEqualTo(0x1122334455667788L);
        assertThat(codec.isOwn(h)).isTrue();
    }

    @Test
    void tellsItsOwnMessagesFromAnotherInstanceWithTheSameId() throws Exception {
        EnvelopeCodec twin = new EnvelopeCodec("node-a", INCARNATION + 1, LIMIT);
        EnvelopeCodec other = new EnvelopeCodec("node-b", INCARNATION, LIMIT);

        assertThat(codec.isOwn(codec.decode(codec.encode("c", new byte[1], false)))).isTrue();
        assertThat(codec.isOwn(codec.decode(twin.encode("c", new byte[1], false)))).isFalse();
        assertThat(codec.isOwn(codec.decode(other.encode("c", new byte[1], false)))).isFalse();
    }

    @Test
    void dropsMalformedHeaders() {
        byte[] good = envelope(1, 1, "node-a", "c", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(decodes(good)).isTrue();

        assertThat(reasonFor(new byte[0])).isEqualTo(DropReason.MALFORMED);
        assertThat(reasonFor(new byte[] {1})).isEqualTo(DropReason.MALFORMED);
        assertThat(reasonFor(envelope(0, 1, "node-a", "c", new byte[1]))).as("version 0").isEqualTo(DropReason.MALFORMED);
        assertThat(reasonFor(envelope(2, 1, "node-a", "c", new byte[1]))).as("version 2").isEqualTo(DropReason.MALFORMED);
        assertThat(reasonFor(envelope(1, 0, "node-a", "c", new byte[1]))).as("kind 0").isEqualTo(DropReason.MALFORMED);
        assertThat(reasonFor(envelope(1, 4, "node-a", "c", new byte[1]))).as("kind 4").isEqualTo(DropReason.MALFORMED);
        assertThat(reasonFor(envelope(1, 1, "", "c", new byte[1]))).as("empty id").isEqualTo(DropReason.MALFORMED);
        assertThat(reasonFor(envelope(1, 1, "a".repeat(65), "c", new byte[1]))).as("id of 65").isEqualTo(DropReason.MALFORMED);
        assertThat(reasonFor(envelope(1, 1, "node a", "c", new byte[1]))).as("space in id").isEqualTo(DropReason.MALFORMED);
        assertThat(reasonFor(envelope(1, 1, "nodé", "c", new byte[1]))).as("non-ASCII id").isEqualTo(DropReason.MALFORMED);
        assertThat(reasonFor(envelope(1, 3, "node-a", "c", new byte[8]))).as("heartbeat with a channel").isEqualTo(DropReason.MALFORMED);
        assertThat(reasonFor(envelope(1, 3, "node-a", null, new byte[7]))).as("heartbeat of 7 bytes").isEqualTo(DropReason.MALFORMED);
        assertThat(reasonFor(envelope(1, 3, "node-a", null, new byte[9]))).as("heartbeat of 9 bytes").isEqualTo(DropReason.MALFORMED);
        assertThat(decodes(envelope(1, 3, "node-a", null, new byte[8]))).as("heartbeat").isTrue();
        assertThat(decodes(envelope(1, 1, "a".repeat(64), "c", new byte[1]))).as("id of 64").isTrue();
    }

    @Test
    void dropsLengthsThatRunPastTheEnd() {
        byte[] good = envelope(1, 2, "node-a", "channel", new byte[] {9, 9});
        // Every cut inside the header, id or channel is malformed; a cut inside the payload is a shorter payload.
        int payloadStart = good.length - 2;
        for (int length = 0; length < payloadStart; length++) {
            assertThat(reasonFor(Arrays.copyOf(good, length))).as("cut at " + length).isEqualTo(DropReason.MALFORMED);
        }
        byte[] idTooLong = good.clone();
        idTooLong[10] = (byte) 60; // says 60 bytes of id; the envelope has 17 after the length
        assertThat(reasonFor(idTooLong)).isEqualTo(DropReason.MALFORMED);
        byte[] channelTooLong = good.clone();
        channelTooLong[11 + 6] = (byte) 0xFF; // channel length 0xFF07
        assertThat(reasonFor(channelTooLong)).isEqualTo(DropReason.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"c080", "e08080", "eda080", "edbfbf", "f4908080", "f5808080", "ff", "80", "e282",
            "c3", "f09f98"})
    void dropsTextThatIsNotUtf8(String hex) {
        byte[] bad = HexFormat.of().parseHex(hex);
        assertThat(reasonFor(envelope(1, 1, "node-a", "c", bad))).as("text payload " + hex).isEqualTo(DropReason.MALFORMED);
        assertThat(reasonFor(envelope(1, 2, "node-a", new String(new char[] {'c'}), bad))).as("binary").isNull();
        byte[] badChannel = envelope(1, 2, "node-a", "c", new byte[0]);
        assertThat(reasonFor(withChannelBytes(badChannel, bad))).as("channel " + hex).isEqualTo(DropReason.MALFORMED);
    }

    @Test
    void utf8CheckAgreesWithTheJdksStrictDecoderOnRandomBytes() {
        Random random = new Random(15);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(8)];
            for (int k = 0; k < b.length; k++) {
                // Mostly the bytes that matter: lead bytes, continuation bytes and their edges.
                b[k] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(256));
            }
            assertThat(Utf8.isWellFormed(ByteBuffer.wrap(b))).as(HexFormat.of().formatHex(b)).isEqualTo(jdkAccepts(b));
        }
    }

    @Test
    void neverFailsOtherwiseOnMutatedEnvelopes() throws Exception {
        byte[] good = codec.encode("/ws/feed", "{\"n\":1}".getBytes(StandardCharsets.UTF_8), true);
        Random random = new Random(1515);
        int decoded = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] b = Arrays.copyOf(good, Math.max(0, good.length + random.nextInt(5) - 2));
            for (int flips = 1 + random.nextInt(3); flips > 0 && b.length > 0; flips--) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            try {
                Envelope e = codec.decode(b);
                decoded++;
                assertThat(e.payload().remaining()).isLessThanOrEqualTo(LIMIT);
                if (e.text()) {
                    assertThat(jdkAccepts(bytes(e.payload()))).isTrue();
                }
            } catch (EnvelopeException expected) {
                assertThat(expected.reason()).isIn(DropReason.MALFORMED, DropReason.OVERSIZE);
            }
        }
        assertThat(decoded).as("some mutations leave a valid envelope (a payload byte changed)").isPositive();
    }

    @Test
    void refusesInvalidInstanceIdsAndEmptyChannelNames() {
        assertThatThrownBy(() -> new EnvelopeCodec("", 1, LIMIT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EnvelopeCodec("a b", 1, LIMIT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.encode("", new byte[0], true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(EnvelopeCodec.isValidInstanceId("host-1.example_2:8080")).isTrue();
    }

    /** An envelope written by hand, so that any field can be wrong. */
    private static byte[] envelope(int version, int kind, String id, String channel, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(version);
        out.write(kind);
        out.writeBytes(ByteBuffer.allocate(8).putLong(INCARNATION).array());
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        out.write(idBytes.length);
        out.writeBytes(idBytes);
        byte[] name = channel == null ? new byte[0] : channel.getBytes(StandardCharsets.UTF_8);
        out.write(name.length >> 8);
        out.write(name.length & 0xFF);
        out.writeBytes(name);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** {@code envelope}, whose channel is one byte long, with those bytes as its channel name instead. */
    private static byte[] withChannelBytes(byte[] envelope, byte[] name) {
        int idLength = envelope[10];
        int at = 11 + idLength;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(envelope, 0, at);
        out.write(name.length >> 8);
        out.write(name.length & 0xFF);
        out.writeBytes(name);
        out.write(envelope, at + 2 + 1, envelope.length - at - 3);
        return out.toByteArray();
    }

    private boolean decodes(byte[] envelope) {
        return reasonFor(envelope) == null;
    }

    /** Why decoding drops {@code envelope}, or null if it decodes. */
    private DropReason reasonFor(byte[] envelope) {
        try {
            codec.decode(envelope);
            return null;
        } catch (EnvelopeException e) {
            return e.reason();
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static boolean jdkAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
