package dev.ringhttp.core.ws;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.nio.ByteBuffer;

/**
 * Compresses outgoing WebSocket messages with zstd, direct buffer to direct
 * buffer, reusing one native context. Loaded only when compression is
 * enabled, so zstd-jni stays an optional dependency of the core.
 */
public final class ZstdCompressor implements AutoCloseable {

    /** The level DESIGN.md fixes: fast, and a good ratio for JSON-like text. */
    public static final int LEVEL = 3;

    private final ZstdCompressCtx context = new ZstdCompressCtx().setLevel(LEVEL);

    /** Upper bound of the compressed size of {@code length} bytes. */
    public static int maxCompressedLength(int length) {
        long bound = Zstd.compressBound(length);
        return (int) Math.min(bound, Integer.MAX_VALUE);
    }

    /**
     * Compresses {@code src[srcIndex, srcIndex+length)} into
     * {@code dst[dstIndex, dstIndex+dstCapacity)}; returns the compressed length.
     */
    public int compress(ByteBuffer src, int srcIndex, int length, ByteBuffer dst, int dstIndex, int dstCapacity) {
        return context.compressDirectByteBuffer(dst, dstIndex, dstCapacity, src, srcIndex, length);
    }

    @Override
    public void close() {
        context.close();
    }
}
