package dev.ringhttp.core.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.testing.WsFrames;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameDecoderAllocationTest {
    private static final int FRAMES_PER_READ = 100;
    private static final int MEASURED_FRAMES = 10_000;
    private static final int WARM_UP_READS = 2_000;

    /** Counts without allocating. */
    private static final class CountingSink implements FrameSink {
        long messages;
        long bytes;

        @Override
        public boolean onMessage(ByteBuffer buffer, int offset, int length, boolean text) {
            messages++;
            bytes += length;
            return true;
        }

        @Override
        public boolean onPing(ByteBuffer buffer, int offset, int length) {
            return true;
        }

        @Override
        public boolean onPong(ByteBuffer buffer, int offset, int length) {
            return true;
        }

        @Override
        public void onClose(int code, ByteBuffer buffer, int reasonOffset, int reasonLength) {
        }
    }

    @Test
    void decodingSmallTextFramesAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);

        Random random = new Random(1);
        byte[][] frames = new byte[FRAMES_PER_READ][];
        for (int i = 0; i < FRAMES_PER_READ; i++) {
            String text = FrameDecoderTest.randomText(random, 5 + random.nextInt(40));
            frames[i] = WsFrames.frame(WsFrames.FIN | WsFrames.TEXT, text);
        }
        byte[] read = WsFrames.concat(frames);
        int maxMessageLength = 4096;
        FrameDecoder decoder = new FrameDecoder(maxMessageLength);
        ByteBuffer buffer = ByteBuffer.allocateDirect(FrameDecoder.receiveBufferSize(maxMessageLength));
        CountingSink sink = new CountingSink();

        for (int i = 0; i < WARM_UP_READS; i++) {
            decodeOneRead(decoder, buffer, read, sink);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < MEASURED_FRAMES / FRAMES_PER_READ; i++) {
            decodeOneRead(decoder, buffer, read, sink);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sink.messages).isEqualTo((long) (WARM_UP_READS + MEASURED_FRAMES / FRAMES_PER_READ) * FRAMES_PER_READ);
        assertThat((double) allocated / MEASURED_FRAMES).as("bytes allocated per frame").isLessThan(1.0);
    }

    private static void decodeOneRead(FrameDecoder decoder, ByteBuffer buffer, byte[] read, FrameSink sink) {
        buffer.put(0, read);
        if (decoder.decode(buffer, read.length, sink) != null || decoder.filled() != 0) {
            throw new AssertionError("unexpected decoder state");
        }
    }
}
