package dev.ringhttp.core;

import dev.ringhttp.core.ring.OffsetHeap;
import dev.ringhttp.core.ws.MessageInflater;

/**
 * The server's memory, computed in one place from the configuration before anything is allocated:
 * what {@link ServerConfig#footprint()} reports, what the start-up check compares with the JVM's
 * direct-memory limit, and what {@code FootprintMeasurementTest} measures against the JVM's own
 * allocation counters.
 *
 * <p>Buffers (direct buffers carved from the {@link BufferArena}) are counted exactly: their bytes
 * are reserved at once but become resident only as they are used, so this is the bound, not the
 * resident size at start. The heap part counts every array sized by the
 * configuration exactly and the fixed-size objects of each slot (the connection, its parser,
 * request and response views, the buffer objects) by their measured size on HotSpot with
 * compressed references, the default below a 32 GiB heap; without compressed references those
 * objects are up to half as large again.
 */
final class Footprint {

    /** Bytes of one reference in an array, with compressed references. */
    static final int REFERENCE_BYTES = 4;
    /** Heap bytes of one HTTP slot's fixed-size objects. */
    static final int HTTP_SLOT_OBJECTS = 1_000;
    /** Heap bytes of one WebSocket slot's fixed-size objects. */
    static final int WS_SLOT_OBJECTS = 680;
    /**
     * Heap bytes of the loop's permessage-deflate objects: the JDK's inflater and deflater, their
     * buffers' views, a UTF-8 validator.
     */
    static final int DEFLATE_OBJECTS = 5_600;
    /** Heap bytes of one large-body buffer's objects: the buffer and its read-only view. */
    static final int LARGE_BODY_OBJECTS = 128;
    /** Heap bytes of the loop's fixed-size objects: pools, lists, scratch, the server's parts. */
    static final int LOOP_OBJECTS = 27_000;
    /**
     * Heap bytes of the server's own objects, which exist once however many loops it runs, but which
     * {@link #LOOP_OBJECTS} (measured with one loop) holds: subtracted for every loop after the first.
     */
    static final int SERVER_OBJECTS = 3_300;
    /** References per slot beyond its own objects: in the pool's slot array, remote-address array and ready-key array. */
    private static final int REFERENCES_PER_SLOT = 3;
    /**
     * Bytes every slot of either pool costs the loop's bookkeeping: its place in the slot pool,
     * its clock, a held close notice, one int in a per-pool queue, and its references.
     */
    private static final int SLOT_BOOKKEEPING = SlotPool.BYTES_PER_SLOT + Deadlines.BYTES_PER_ID
            + CloseNotices.BYTES_PER_NOTICE + Integer.BYTES + REFERENCES_PER_SLOT * REFERENCE_BYTES;

    private Footprint() {
    }

    /** Every byte {@link #direct} and {@link #heap} count, over every loop. */
    static long of(ServerConfig c) {
        return direct(c) + heap(c);
    }

    /** The direct buffers of every loop, each built from its {@link ServerConfig#loopShare share}. */
    static long direct(ServerConfig c) {
        if (c.eventLoops() == 1) {
            return loopDirect(c);
        }
        long sum = 0;
        for (int k = 0; k < c.eventLoops(); k++) {
            sum += loopDirect(c.loopShare(k));
        }
        return sum;
    }

    /** The heap of every loop, with the server's own objects once. */
    static long heap(ServerConfig c) {
        if (c.eventLoops() == 1) {
            return loopHeap(c);
        }
        long sum = -(long) (c.eventLoops() - 1) * SERVER_OBJECTS;
        for (int k = 0; k < c.eventLoops(); k++) {
            sum += loopHeap(c.loopShare(k));
        }
        return sum;
    }

    /**
     * Direct buffers: the ring, each HTTP slot's request and response-head buffers, the
     * large-body buffers, the inflater's buffer (with permessage-deflate), each
     * WebSocket slot's receive buffer and control-frame area, the gathered-write header scratch
     * and the error bodies: the arena's size. Mapped, they are outside the JVM's direct-memory
     * limit; allocated directly (the arena's fallback), the JVM caps their total
     * ({@code -XX:MaxDirectMemorySize}).
     */
    private static long loopDirect(ServerConfig c) {
        return (long) c.outgoingBufferSize()
                + (long) c.maxConnections() * ((long) c.maxRequestLength() + c.responseHeaderBufferSize())
                + (long) c.largeBodyBuffers() * c.maxRequestBodyLength()
                + (c.webSocketDeflate() ? MessageInflater.bufferBytes(c.maxWsMessageLength()) : 0)
                + (long) c.maxWsConnections() * ((long) c.wsReceiveBufferSize() + ServerConfig.WS_CONTROL_BUFFER_SIZE)
                + WriteScratch.BYTES
                + LoopScratch.errorBodyBytes();
    }

    /** One loop's heap arrays and objects; see the class comment for what is exact and what is measured. */
    private static long loopHeap(ServerConfig c) {
        // HTTP slots also have an entry in the queue of completed deferred responses, WebSocket
        // slots one in the list of connections to flush: an int each.
        long perHttp = (long) c.maxHeaderCount() * ServerConfig.HEADER_INDEX_BYTES + SLOT_BOOKKEEPING + HTTP_SLOT_OBJECTS;
        long perWs = (long) c.maxWsSendFrames() * ServerConfig.WS_FRAME_ENTRY_BYTES + SLOT_BOOKKEEPING + WS_SLOT_OBJECTS;
        // Each large-body buffer: its free-list entry, two references (the buffer, its view), its objects.
        long bodies = (long) c.largeBodyBuffers() * (Integer.BYTES + 2 * REFERENCE_BYTES + LARGE_BODY_OBJECTS);
        long loop = Deadlines.FIXED_BYTES + bodies + (c.webSocketDeflate() ? DEFLATE_OBJECTS : 0)
                + OffsetHeap.footprintBytes(c.maxConnections())
                + OffsetHeap.footprintBytes(c.maxWsConnections())
                + 2 * REFERENCE_BYTES // the ready keys of the two listeners (the management one is optional)
                + LoopScratch.errorBodyBytes() + LoopScratch.ERROR_BODY_REFERENCES * REFERENCE_BYTES
                + LOOP_OBJECTS;
        return perHttp * c.maxConnections() + perWs * c.maxWsConnections() + loop;
    }
}
