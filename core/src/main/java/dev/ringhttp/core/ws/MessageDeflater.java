package dev.ringhttp.core.ws;

import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * Deflates one outgoing {@code permessage-deflate} message (RFC 7692) at a time, from the
 * outgoing ring into the ring, for the whole event loop. The server negotiates
 * {@code server_no_context_takeover}, so each message is a stream of its own: one deflater,
 * reset per message, serves every connection, and a broadcast is deflated once however many
 * receive it.
 *
 * <p>A message is a raw DEFLATE stream ended by a sync flush, without the four bytes
 * {@code 00 00 FF FF} the flush ends with (section 7.2.1). Allocation-free: the JDK reads and
 * writes direct buffers in place. Loop thread only.
 */
public final class MessageDeflater {

    /**
     * zlib's default, level 6: a broadcast is deflated once however many receive it, so the
     * better ratio is paid for once and saved at every receiver.
     */
    public static final int LEVEL = Deflater.DEFAULT_COMPRESSION;
    /** What {@link #deflate} returns when the message did not fit in the room given. */
    public static final int NO_ROOM = -1;

    private static final int TAIL_LENGTH = 4;
    /** The empty stored block a sync flush adds (its 3 header bits, padding, {@code 00 00 FF FF}), plus a margin. */
    private static final int SYNC_FLUSH_BYTES = 16;

    private final ByteBuffer input;
    private final ByteBuffer output;
    private Deflater deflater = new Deflater(LEVEL, true);

    /** @param ring the buffer messages are read from and deflated into; only views of it are moved */
    public MessageDeflater(ByteBuffer ring) {
        this.input = ring.duplicate();
        this.output = ring.duplicate();
    }

    /**
     * An upper bound of what {@code length} bytes deflate to, tail included: zlib's bound for a
     * raw stream that stores incompressible input (its {@code deflateBound} without a wrapper)
     * plus the sync flush's block.
     */
    public static int maxDeflatedLength(int length) {
        long bound = (long) length + ((length + 7L) >> 3) + ((length + 63L) >> 6) + 5 + SYNC_FLUSH_BYTES;
        return (int) Math.min(bound, Integer.MAX_VALUE);
    }

    /**
     * Deflates ring bytes {@code [srcIndex, srcIndex + length)} into
     * {@code [dstIndex, dstIndex + room)} and returns the message's length without the tail, or
     * {@link #NO_ROOM} when it did not fit (never when {@code room} is at least
     * {@link #maxDeflatedLength}).
     */
    public int deflate(int srcIndex, int length, int dstIndex, int room) {
        Deflater z = deflater;
        z.reset();
        input.limit(srcIndex + length).position(srcIndex);
        output.limit(dstIndex + room).position(dstIndex);
        z.setInput(input);
        z.deflate(output, Deflater.SYNC_FLUSH);
        // A sync flush that found room left finished: all input taken, the flush block written.
        if (!output.hasRemaining() || !z.needsInput()) {
            return NO_ROOM;
        }
        int written = output.position() - dstIndex - TAIL_LENGTH;
        if (written < 0 || output.get(dstIndex + written) != 0 || output.get(dstIndex + written + 1) != 0
                || output.get(dstIndex + written + 2) != (byte) 0xFF || output.get(dstIndex + written + 3) != (byte) 0xFF) {
            throw new IllegalStateException("a sync flush did not end with 00 00 FF FF");
        }
        return written;
    }

    /** Frees the native deflater; {@link #reopen} makes a new one. */
    public void close() {
        deflater.end();
    }

    /** A new native deflater after {@link #close}, for a restarted server. */
    public void reopen() {
        deflater.end();
        deflater = new Deflater(LEVEL, true);
    }
}
