package dev.ringhttp.bench.jmh;

import dev.ringhttp.core.ws.FrameDecoder;
import dev.ringhttp.core.ws.FrameSink;
import dev.ringhttp.core.ws.ServerFrames;
import java.nio.ByteBuffer;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * WebSocket frame decoding (masked client text frames, {@value #FRAMES} per read, unmasked and UTF-8 validated in
 * place) and server frame header encoding. Scores are per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
public class FrameCodecBenchmark {

    static final int FRAMES = 32;

    @Param({"64", "1024"})
    public int payload;

    private FrameDecoder decoder;
    private ByteBuffer buffer;
    private byte[] read;
    private final Counting sink = new Counting();
    private final ByteBuffer header = ByteBuffer.allocateDirect(ServerFrames.MAX_HEADER_LENGTH);

    /** Counts without allocating. */
    static final class Counting implements FrameSink {
        long bytes;

        @Override
        public boolean onMessage(ByteBuffer buffer, int offset, int length, boolean text) {
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

    @Setup
    public void setUp() {
        Random random = new Random(42);
        int headerLength = payload < 126 ? 2 : 4;
        int frameLength = headerLength + 4 + payload;
        read = new byte[frameLength * FRAMES];
        for (int f = 0; f < FRAMES; f++) {
            int at = f * frameLength;
            read[at] = (byte) 0x81; // FIN, text
            if (payload < 126) {
                read[at + 1] = (byte) (0x80 | payload);
            } else {
                read[at + 1] = (byte) (0x80 | 126);
                read[at + 2] = (byte) (payload >>> 8);
                read[at + 3] = (byte) payload;
            }
            byte[] mask = new byte[4];
            random.nextBytes(mask);
            System.arraycopy(mask, 0, read, at + headerLength, 4);
            for (int i = 0; i < payload; i++) {
                byte plain = (byte) ('a' + random.nextInt(26));
                read[at + headerLength + 4 + i] = (byte) (plain ^ mask[i & 3]);
            }
        }
        int max = 64 * 1024;
        decoder = new FrameDecoder(max);
        buffer = ByteBuffer.allocateDirect(Math.max(FrameDecoder.receiveBufferSize(max), read.length));
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long decodeMaskedTextFrames() {
        buffer.put(0, read); // the socket read; unmasking happens in place, so the input is restored each time
        if (decoder.decode(buffer, read.length, sink) != null) {
            throw new AssertionError("decode failed");
        }
        return sink.bytes;
    }

    @Benchmark
    public int encodeServerFrameHeader() {
        return ServerFrames.writeHeader(header, 0, ServerFrames.OPCODE_TEXT, payload);
    }
}
