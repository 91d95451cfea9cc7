package dev.ringhttp.core;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Views and arrays for one gathered WebSocket write, shared by all connections because the loop
 * writes one connection at a time: frame headers are written into a small direct area, payloads
 * are views of the ring.
 */
final class WriteScratch {
    static final byte DATA = 0;
    static final byte CONTROL = 1;
    static final byte CLOSE = 2;

    /** Bytes of the direct header area, for the footprint. */
    static final int BYTES = ServerConfig.MAX_GATHERED_FRAMES * ServerConfig.MAX_FRAME_HEADER;

    final ByteBuffer[] gather = new ByteBuffer[2 * ServerConfig.MAX_GATHERED_FRAMES + 2];
    final byte[] kinds = new byte[ServerConfig.MAX_GATHERED_FRAMES + 2];
    final ByteBuffer[] headers = new ByteBuffer[ServerConfig.MAX_GATHERED_FRAMES];
    final ByteBuffer[] payloads = new ByteBuffer[ServerConfig.MAX_GATHERED_FRAMES];
    int buffers;

    WriteScratch(ByteBuffer ringBuffer, BufferArena arena) {
        ByteBuffer headerArea = arena.take(BYTES);
        for (int i = 0; i < ServerConfig.MAX_GATHERED_FRAMES; i++) {
            headers[i] = headerArea.slice(i * ServerConfig.MAX_FRAME_HEADER, ServerConfig.MAX_FRAME_HEADER);
            payloads[i] = ringBuffer.duplicate();
        }
    }

    int add(int elements, byte kind, ByteBuffer buffer) {
        kinds[elements] = kind;
        gather[buffers++] = buffer;
        return elements + 1;
    }

    void clear() {
        Arrays.fill(gather, 0, buffers, null);
    }
}
