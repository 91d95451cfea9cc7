package dev.ringhttp.core;

import java.nio.ByteBuffer;

/**
 * The few large buffers that request bodies too large for their connection's request buffer
 * borrow, each for one request's lifetime (until its response is written or its connection
 * closes). Allocated once, with the server, and never grown: when every buffer is lent, the next
 * such request is refused with 503 ({@link CloseReason#BODY_BUFFERS_BUSY}), never given memory of
 * its own. Loop thread only.
 *
 * <p>Invariant: {@code free[0, freeCount)} holds exactly the indexes not lent, each once.
 */
final class LargeBodyPool {

    /** What {@link #borrow} returns when every buffer is lent. */
    static final int NONE = -1;

    private final ByteBuffer[] buffers;
    private final ByteBuffer[] views;
    private final int[] free;
    private final LoopCounters counters;
    private int freeCount;

    LargeBodyPool(int count, int size, LoopCounters counters, BufferArena arena) {
        this.buffers = new ByteBuffer[count];
        this.views = new ByteBuffer[count];
        this.free = new int[count];
        this.counters = counters;
        for (int i = 0; i < count; i++) {
            buffers[i] = arena.take(size);
            views[i] = buffers[i].asReadOnlyBuffer();
            free[i] = count - 1 - i;
        }
        this.freeCount = count;
    }

    /** Whether the server has large-body buffers at all. */
    boolean exists() {
        return buffers.length > 0;
    }

    /** Lends a buffer; returns its index, or {@link #NONE} when every one is lent. */
    int borrow() {
        if (freeCount == 0) {
            return NONE;
        }
        counters.largeBodyLent(1);
        return free[--freeCount];
    }

    ByteBuffer buffer(int index) {
        return buffers[index];
    }

    /** The read-only view of buffer {@code index} that requests hand out as their body. */
    ByteBuffer view(int index) {
        return views[index];
    }

    void giveBack(int index) {
        free[freeCount++] = index;
        counters.largeBodyLent(-1);
    }
}
