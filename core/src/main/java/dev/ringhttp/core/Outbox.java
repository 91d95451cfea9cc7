package dev.ringhttp.core;

import dev.ringhttp.core.ring.OutgoingRing;
import dev.ringhttp.core.ws.MessageDeflater;
import dev.ringhttp.core.ws.ServerFrames;
import dev.ringhttp.core.ws.ZstdCompressor;
import java.nio.ByteBuffer;

/**
 * Everything that leaves the server passes here: the outgoing ring, where messages are staged and
 * handed off (as an HTTP body, to one WebSocket, or broadcast), the compression variants made at
 * hand-off, and the list of WebSocket connections with frames to write at the end of the turn.
 *
 * <p>Hand-off order: the staged message is ended (plus its zstd and deflate copies when some
 * receiver wants them), then each receiver queues a frame pointing at the ring bytes; frames are
 * written when the turn ends ({@link #flushDirty}), several per vectored write. The bytes are
 * stored once per variant however many receive them.
 *
 * <p>Re-entrancy: while a hand-off runs ({@link #holdsCallbacks}), receivers closed as too slow
 * are reported only later, at the loop's next safe point, so no callback stages inside it; the
 * offsets of a hand-off live in locals, never in fields a nested one could overwrite.
 */
final class Outbox {

    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

    private final ServerConfig config;
    private final LoopCounters counters;
    private final ConnectionTable table;
    private final OutgoingRing ring;
    private final int[] dirty;
    private ZstdCompressor compressor;
    /** Deflates for permessage-deflate receivers; null when the server does not negotiate it. */
    private final MessageDeflater deflater;
    private int dirtyCount;
    /** Hand-offs in progress. */
    private int handingOff;
    /** Bytes of the zstd copy the last {@link #handOff} made right after the plain one; 0 if none. */
    private int zstdLength;
    /** Bytes of the deflate copy the last {@link #handOff} made after the zstd one (or the plain one); 0 if none. */
    private int deflateLength;

    /** The ring evicts through {@code table}: the connections whose pending bytes it is about to overwrite. */
    Outbox(ServerConfig config, LoopCounters counters, ConnectionTable table, BufferArena arena) {
        this.config = config;
        this.counters = counters;
        this.table = table;
        this.ring = new OutgoingRing(arena.take(config.outgoingBufferSize()), table);
        this.dirty = new int[config.maxWsConnections()];
        this.compressor = config.compressWebSocket() ? new ZstdCompressor() : null;
        this.deflater = config.webSocketDeflate() ? new MessageDeflater(ring.buffer()) : null;
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

    /** Hands the staged message to this loop's WebSocket slot {@code wsId}; drops it if that is not open. */
    boolean sendTo(int wsId, boolean text) {
        WsConnection target = table.openWebSocket(wsId);
        if (target == null) {
            ring.unstage();
            return false;
        }
        handingOff++;
        try {
            boolean zstd = text && target.compress();
            int length = ring.stageLength();
            long offset = handOff(zstd, !zstd && target.deflates());
            if (offset == OutgoingRing.HAND_OFF_FAILED) {
                return false;
            }
            int plainOpcode = text ? ServerFrames.OPCODE_TEXT : ServerFrames.OPCODE_BINARY;
            if (zstdLength > 0) {
                return target.enqueue(offset + length, zstdLength, ServerFrames.OPCODE_BINARY);
            }
            if (deflateLength > 0) {
                return target.enqueue(offset + length, deflateLength, plainOpcode | ServerFrames.COMPRESSED);
            }
            return target.enqueue(offset, length, plainOpcode);
        } finally {
            handingOff--;
        }
    }

    /**
     * Hands the staged message to every open WebSocket of {@code channel} ({@link Staging#ALL_CHANNELS}: all).
     *
     * @param counted whether this counts as a broadcast: with several loops, one broadcast is handed off on
     *                each, and counted on one
     */
    boolean broadcast(int channel, boolean text, boolean counted) {
        handingOff++;
        try {
            int length = ring.stageLength();
            long offset = handOff(text && table.zstdWebSockets() > 0, table.deflateWebSockets() > 0);
            if (offset == OutgoingRing.HAND_OFF_FAILED) {
                return false;
            }
            // Locals: a close callback run by an eviction below may hand off again and reset the fields.
            int zstd = zstdLength;
            int deflated = deflateLength;
            if (counted) {
                counters.broadcast();
            }
            int plainOpcode = text ? ServerFrames.OPCODE_TEXT : ServerFrames.OPCODE_BINARY;
            // Backwards: a receiver closed as too slow is swapped out with an already visited one.
            for (int i = table.openWebSockets() - 1; i >= 0; i--) {
                WsConnection c = table.openWebSocketAt(i);
                if (channel != Staging.ALL_CHANNELS && c.channelId() != channel) {
                    continue;
                }
                if (zstd > 0 && c.compress()) {
                    c.enqueue(offset + length, zstd, ServerFrames.OPCODE_BINARY);
                } else if (deflated > 0 && c.deflates()) {
                    c.enqueue(offset + length + zstd, deflated, plainOpcode | ServerFrames.COMPRESSED);
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
            long at = handOff(false, false);
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
        return handOff(false, false);
    }

    /**
     * Ends the staged message, adding the compressed copies asked for (each only if the server
     * has its compressor, the message is over the threshold and the copy fits), and returns its
     * offset (or {@link OutgoingRing#HAND_OFF_FAILED}):
     * <pre>
     *   ring: ... | plain copy (length) | zstd copy (zstdLength) | deflate copy (deflateLength) | ...
     *             ^ offset              ^ offset + length        ^ offset + length + zstdLength
     * </pre>
     * A copy not made has length 0; its receivers get the plain copy. Read the lengths before
     * anything else stages.
     */
    private long handOff(boolean zstd, boolean deflate) {
        int length = ring.stageLength();
        boolean compressible = length > ServerConfig.COMPRESSION_THRESHOLD && !ring.inError();
        zstdLength = zstd && compressor != null && compressible ? addZstdCopy(length) : 0;
        deflateLength = deflate && deflater != null && compressible ? addDeflateCopy(length) : 0;
        long offset = ring.handOff();
        if (offset == OutgoingRing.HAND_OFF_FAILED) {
            zstdLength = 0;
            deflateLength = 0;
            counters.stageError();
            LOG.log(System.Logger.Level.WARNING, "a staged message outgrew the outgoing ring (" + ring.capacity()
                    + " bytes) and was dropped; raise outgoingBufferSize");
            return offset;
        }
        counters.staged(length + zstdLength + deflateLength);
        return offset;
    }

    /**
     * Appends a zstd copy of the {@code length} plain bytes at the stage's start; returns its
     * length, or 0 when the compressor's worst case does not fit in the ring beside what is
     * staged: a zstd client reads a text frame as an uncompressed message, so nothing is lost
     * but the saving.
     */
    private int addZstdCopy(int length) {
        int bound = ZstdCompressor.maxCompressedLength(length);
        if (!fits(bound)) {
            return 0;
        }
        ByteBuffer space = ring.reserve(bound);
        // Reserving may have moved the stage to the ring's start: find the plain copy after it.
        int plainIndex = ring.index(ring.stageOffset());
        int n = compressor.compress(ring.buffer(), plainIndex, length, ring.buffer(), space.position(), bound);
        ring.commit(n);
        counters.compressed(length, n);
        return n;
    }

    /**
     * Appends a deflate copy of the {@code length} plain bytes at the stage's start; returns its
     * length, or 0 when it does not fit or would not be shorter than the plain copy (a
     * permessage-deflate client takes a message without RSV1 as it is).
     */
    private int addDeflateCopy(int length) {
        int bound = MessageDeflater.maxDeflatedLength(length);
        if (!fits(bound)) {
            return 0;
        }
        ByteBuffer space = ring.reserve(bound);
        int plainIndex = ring.index(ring.stageOffset());
        int n = deflater.deflate(plainIndex, length, space.position(), bound);
        if (n == MessageDeflater.NO_ROOM || n >= length) {
            ring.commit(0);
            return 0;
        }
        ring.commit(n);
        counters.deflated(length, n);
        return n;
    }

    /** Whether {@code bound} more bytes fit in the ring beside the stage, so reserving them cannot fail the message. */
    private boolean fits(int bound) {
        return (long) ring.stageLength() + bound <= ring.capacity();
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

    /** Frees the compressors' native memory; a restarted server makes them anew ({@link #reopen}). */
    void close() {
        if (compressor != null) {
            compressor.close();
            compressor = null;
        }
        if (deflater != null) {
            deflater.close();
        }
    }

    void reopen() {
        if (config.compressWebSocket() && compressor == null) {
            compressor = new ZstdCompressor();
        }
        if (deflater != null) {
            deflater.reopen();
        }
    }
}
