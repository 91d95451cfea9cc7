package dev.ringhttp.core;

/**
 * Close callbacks held back while the loop is in the middle of staging or a hand-off, so that
 * application code never runs inside it.
 *
 * <p>Why: a receiver closed as too slow while a broadcast enqueues, or a connection evicted while
 * a message is being staged, would otherwise run {@code onClose} right there; a callback that
 * stages or hands off would then write into the half-built message or overwrite the hand-off in
 * progress. The server closes the socket and frees the slot at once but reports the close here;
 * the notices are delivered, in order, as soon as the stage is empty and no hand-off is running.
 *
 * <p>Bound: a notice is held only while the stage is busy, and no slot is handed to a new
 * connection during that time (accept and upgrade run only when the stage is empty), so each
 * slot has at most one notice waiting: the capacity is both pools together. Preallocated; loop
 * thread only.
 */
final class CloseNotices {

    /** Bytes per notice, for the footprint: connection type and reason as bytes, id as an int. */
    static final int BYTES_PER_NOTICE = 2 + Integer.BYTES;

    private final byte[] types;
    private final byte[] reasons;
    private final int[] ids;
    private int head;
    private int count;

    CloseNotices(int capacity) {
        types = new byte[capacity];
        reasons = new byte[capacity];
        ids = new int[capacity];
    }

    boolean isEmpty() {
        return count == 0;
    }

    void add(ConnectionType type, int id, CloseReason reason) {
        if (count == ids.length) {
            throw new IllegalStateException("more held close notices than slots: " + count);
        }
        int at = slot(count++);
        types[at] = (byte) type.ordinal();
        reasons[at] = (byte) reason.ordinal();
        ids[at] = id;
    }

    /** The oldest notice's type; call {@link #id()} and {@link #reason()} before {@link #remove()}. */
    boolean isWebSocket() {
        return types[head] == ConnectionType.WEBSOCKET.ordinal();
    }

    int id() {
        return ids[head];
    }

    CloseReason reason() {
        return CloseReason.byOrdinal(reasons[head]);
    }

    void remove() {
        head = slot(1);
        count--;
    }

    private int slot(int index) {
        int at = head + index;
        return at >= ids.length ? at - ids.length : at;
    }
}
