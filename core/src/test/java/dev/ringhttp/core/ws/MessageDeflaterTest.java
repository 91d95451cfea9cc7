package dev.ringhttp.core.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.testing.Deflate;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageDeflaterTest {

    private static final int MESSAGE_AT = 100;

    private static byte[] deflated(ByteBuffer ring, int at, int length) {
        byte[] out = new byte[length];
        ring.get(at, out);
        return out;
    }

    @Test
    void theBoundHoldsForIncompressibleInputOfEverySizeAndEachMessageStandsAlone() {
        Random random = new Random(42);
        ByteBuffer ring = ByteBuffer.allocateDirect(1 << 20);
        MessageDeflater deflater = new MessageDeflater(ring);
        try {
            for (int length : new int[] {0, 1, 7, 200, 4_095, 16_384, 65_535, 65_536, 300_000}) {
                byte[] message = new byte[length];
                random.nextBytes(message);
                ring.put(MESSAGE_AT, message);
                int out = MESSAGE_AT + length;
                int bound = MessageDeflater.maxDeflatedLength(length);
                int n = deflater.deflate(MESSAGE_AT, length, out, bound);
                assertThat(n).as("random bytes of length %d", length).isBetween(0, bound);
                assertThat(Deflate.inflate(deflated(ring, out, n))).isEqualTo(message);
            }
        } finally {
            deflater.close();
        }
    }

    @Test
    void aMessageWithoutRoomIsRefusedNotCut() {
        ByteBuffer ring = ByteBuffer.allocateDirect(1 << 16);
        MessageDeflater deflater = new MessageDeflater(ring);
        try {
            byte[] message = new byte[5_000];
            new Random(1).nextBytes(message);
            ring.put(0, message);
            assertThat(deflater.deflate(0, message.length, message.length, 1_000)).isEqualTo(MessageDeflater.NO_ROOM);
            // The deflater is reset per message: a refusal leaves nothing behind for the next one.
            byte[] text = "abc".repeat(1_000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ring.put(0, text);
            int n = deflater.deflate(0, text.length, text.length, MessageDeflater.maxDeflatedLength(text.length));
            assertThat(n).isLessThan(100);
            assertThat(Deflate.inflate(deflated(ring, text.length, n))).isEqualTo(text);
        } finally {
            deflater.close();
        }
    }
}
