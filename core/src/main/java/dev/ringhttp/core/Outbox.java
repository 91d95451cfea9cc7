package dev.ringhttp.core;

import dev.ringhttp.core.ring.OutgoingRing;
import dev.ringhttp.core.ws.ServerFrames;
import dev.ringhttp.core.ws.ZstdCompressor;
import java.nio.ByteBuffer;

/**
 * Everything that leaves the server passes here: the outgoing ring, where messages are staged and
 * handed off (as an HTTP body, to one WebSocket, or broadcast), the compression variants made at
 * hand-off, and the list of WebSocket connections with frames to write at the end of the turn.
 *
 * <p>Hand-off order: the staged message is ended (plus its zstd copy when some receiver wants
 * it), then each receiver queues a frame pointing at the ring bytes; frames are written when the
 * turn ends ({@link #flushDirty}), several per vectored write. The bytes are stored once however
 * many receive them.
 *
 * <p>Re-entrancy: while a hand-off runs ({@link #holdsCallbacks}), receivers closed as too slow
 * are reported only later, at the loop's next safe point, so no callback stages inside it; the
 * offsets of a hand-off live in locals, never in fields a nested one could overwrite.
 */
final class Outbox {

    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

    private final ServerConfig config;
    private final ServerCounters counters;
    private final ConnectionTable table;
    private final OutgoingRing ring;
    private final int[] dirty;
    private ZstdCompressor compressor;
    private int dirtyCount;
    /** Hand-offs in progress. */
    private int handingOff;
    /** Bytes of the zstd copy the last {@link #handOff} made right after the plain one; 0 if none. */
    private int compressedLength;

    /** The ring evicts through {@code table}: the connections whose pending bytes it is about to overwrite. */
    Outbox(ServerConfig config, ServerCounters counters, ConnectionTable table, BufferArena arena) {
        this.config = config;
        this.counters = counters;
        this.table = table;
        this.ring = new OutgoingRing(arena.take(config.outgoingBufferSize()), table);
        this.dirty = new int[config.maxWsConnections()];
        this.compressor = config.compressWebSocket() ? new ZstdCompressor() : null;
    }

    OutgoingRing ring() {
        return ring;
    }

    /** A view of the whole ring, for a connection to write from. */
    ByteBuffer ringView() {
        return ring.buffer().duplicate();
    }

    int index(long offset) {
        return ring.index(offset);
    }

    /** Whether bytes at ring {@code offset} are still intact: a frame pointing at overwritten bytes is never queued. */
    boolean ringHolds(long offset) {
        return !ring.isOverwritten(offset);
    }

    /**
     * Whether a close callback would now run inside staging, an eviction or a hand-off, where
     * what it stages would corrupt the message in progress.
     */
    boolean holdsCallbacks() {
        return handingOff > 0 || ring.isEvicting() || ring.stageLength() != 0 || ring.inError();
    }

    /** Whether application code left staged bytes it never handed off. */
    boolean hasStrayStage() {
        return ring.stageLength() != 0 || ring.inError();
    }

    /** Drops what application code staged but never handed off, so the stage is empty for the next. */
    void dropStrayStage() {
        if (hasStrayStage()) {
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(System.Logger.Level.DEBUG, "dropping " + ring.stageLength() + " staged bytes never handed off");
            }
            ring.unstage();
        }
    }

    /** Hands the staged message to WebSocket {@code wsId}; drops it if that is not open. */
    boolean sendTo(int wsId, boolean text) {
        WsConnection target = table.openWebSocket(wsId);
        if (target == null) {
            ring.unstage();
            return false;
        }
        handingOff++;
        try {
            boolean compress = text && target.compress() && shouldCompress();
            int length = ring.stageLength();
            long offset = handOff(compress);
            if (offset == OutgoingRing.HAND_OFF_FAILED) {
                return false;
            }
            return compressedLength > 0
                    ? target.enqueue(offset + length, compressedLength, ServerFrames.OPCODE_BINARY)
                    : target.enqueue(offset, length, text ? ServerFrames.OPCODE_TEXT : ServerFrames.OPCODE_BINARY);
        } finally {
            handingOff--;
        }
    }

    /** Hands the staged message to every open WebSocket of {@code channel} ({@link Staging#ALL_CHANNELS}: all). */
    boolean broadcast(int channel, boolean text) {
        handingOff++;
        try {
            boolean compress = text && table.compressingWebSockets() > 0 && shouldCompress();
            int length = ring.stageLength();
            long offset = handOff(compress);
            if (offset == OutgoingRing.HAND_OFF_FAILED) {
                return false;
            }
            int zstdLength = compressedLength;
            counters.broadcast();
            int plainOpcode = text ? ServerFrames.OPCODE_TEXT : ServerFrames.OPCODE_BINARY;
            // Backwards: a receiver closed as too slow is swapped out with an already visited one.
            for (int i = table.openWebSockets() - 1; i >= 0; i--) {
                WsConnection c = table.openWebSocketAt(i);
                if (channel != Staging.ALL_CHANNELS && c.channelId() != channel) {
                    continue;
                }
                if (zstdLength > 0 && c.compress()) {
                    c.enqueue(offset + length, zstdLength, ServerFrames.OPCODE_BINARY);
                } else {
                    c.enqueue(offset, length, plainOpcode);
                }
            }
            return true;
        } finally {
            handingOff--;
        }
    }

    /**
     * Queues a pong carrying {@code length} bytes of {@code src} from {@code offset} for {@code c},
     * behind the frames already queued, through the ring; only while its frame queue has room, so
     * that a client pinging fast is never closed for it. Returns whether it was queued. Called
     * from frame decoding, where the stage is empty; staging may evict (even {@code c}) like any.
     */
    boolean queuePong(WsConnection c, ByteBuffer src, int offset, int length) {
        if (!c.hasQueueRoom() || hasStrayStage()) {
            return false;
        }
        handingOff++;
        try {
            ByteBuffer space = ring.reserve(length);
            if (ring.inError()) {
                ring.unstage();
                return false;
            }
            space.put(space.position(), src, offset, length);
            ring.commit(length);
            long at = handOff(false);
            return at != OutgoingRing.HAND_OFF_FAILED && c.enqueue(at, length, ServerFrames.OPCODE_PONG);
        } finally {
            handingOff--;
        }
    }

    /**
     * Ends the staged message as an HTTP response body; returns its offset, or
     * {@link OutgoingRing#HAND_OFF_FAILED} (counted and logged) when it outgrew the ring.
     */
    long handOffBody() {
        return handOff(false);
    }

    /**
     * Whether to add a zstd copy of the staged message: only for a message over the threshold,
     * and only if the plain copy and the compressor's worst case fit in the ring together. A
     * message too large for both goes out plain to every receiver; a zstd client reads a text
     * frame as an uncompressed message, so nothing is lost but the saving.
     */
    private boolean shouldCompress() {
        int length = ring.stageLength();
        return compressor != null && length > ServerConfig.COMPRESSION_THRESHOLD && !ring.inError()
                && (long) length + ZstdCompressor.maxCompressedLength(length) <= ring.capacity();
    }

    /**
     * Ends the staged message, compressing a copy right after the plain one when asked, and
     * returns its offset (or {@link OutgoingRing#HAND_OFF_FAILED}):
     * <pre>
     *   ring: ... | plain copy (length) | zstd copy (compressedLength) | ...
     *             ^ offset              ^ offset + length
     * </pre>
     * Read {@link #compressedLength} before anything else stages.
     */
    private long handOff(boolean compress) {
        int length = ring.stageLength();
        compressedLength = 0;
        if (compress) {
            int bound = ZstdCompressor.maxCompressedLength(length);
            ByteBuffer space = ring.reserve(bound);
            if (!ring.inError()) {
                int plainIndex = ring.index(ring.stageOffset());
                int n = compressor.compress(ring.buffer(), plainIndex, length, ring.buffer(), space.position(), bound);
                ring.commit(n);
                compressedLength = n;
                counters.compressed(length, n);
            }
        }
        long offset = ring.handOff();
        if (offset == OutgoingRing.HAND_OFF_FAILED) {
            compressedLength = 0;
            counters.stageError();
            LOG.log(System.Logger.Level.WARNING, "a staged message outgrew the outgoing ring (" + ring.capacity()
                    + " bytes) and was dropped; raise outgoingBufferSize");
            return offset;
        }
        counters.staged(length + compressedLength);
        return offset;
    }

    /** WebSocket {@code wsId} has frames to write when the turn ends; each id is marked once until flushed. */
    void markDirty(int wsId) {
        dirty[dirtyCount++] = wsId;
    }

    /** Whether {@code wsId} is in the stack of connections to flush; for diagnostics (a linear scan). */
    boolean isMarkedDirty(int wsId) {
        for (int i = 0; i < dirtyCount; i++) {
            if (dirty[i] == wsId) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes the queued frames of every connection marked since the last flush. The marks form a
     * stack holding exactly the ids whose dirty flag is set, so it never outgrows the pool: a
     * flush clears the flag after popping, and a connection marked again meanwhile (a close
     * callback that broadcasts) is pushed again and flushed in this same loop.
     */
    void flushDirty() {
        while (dirtyCount > 0) {
            table.ws(dirty[--dirtyCount]).flushIfDirty();
        }
    }

    /** Frees the compressor's native memory; a restarted server makes a new one ({@link #reopen}). */
    void close() {
        if (compressor != null) {
            compressor.close();
            compressor = null;
        }
    }

    void reopen() {
        if (config.compressWebSocket() && compressor == null) {
            compressor = new ZstdCompressor();
        }
    }
}
