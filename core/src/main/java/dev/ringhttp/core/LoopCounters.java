package dev.ringhttp.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The counters of one event loop; {@link ServerCounters} adds up every loop's.
 *
 * <p>Only the loop writes them, so each update is a plain read followed
 * by an ordered store ({@code lazySet}): no lock, no contended CAS, no
 * allocation. Readers on other threads see every value eventually and never
 * a torn one.
 */
final class LoopCounters {

    private static final int ACCEPTED = 0;
    private static final int ACTIVE_HTTP = 1;
    private static final int ACTIVE_WS = 2;
    private static final int BYTES_READ = 3;
    private static final int BYTES_WRITTEN = 4;
    private static final int FRAMES_READ = 5;
    private static final int FRAMES_WRITTEN = 6;
    private static final int RING_BYTES_STAGED = 7;
    private static final int EVICTIONS = 8;
    private static final int COMPRESSION_IN = 9;
    private static final int COMPRESSION_OUT = 10;
    private static final int REQUESTS = 11;
    private static final int UPGRADES = 12;
    private static final int BROADCASTS = 13;
    private static final int HANDLER_ERRORS = 14;
    private static final int STAGE_ERRORS = 15;
    private static final int MESSAGES_READ = 16;
    private static final int LARGE_BODIES_LENT = 17;
    private static final int DEFLATE_IN = 18;
    private static final int DEFLATE_OUT = 19;
    private static final int SCALARS = 20;

    private final AtomicLongArray values = new AtomicLongArray(SCALARS);
    private final AtomicLongArray closes = new AtomicLongArray(2 * CloseReason.count());

    LoopCounters() {
    }

    private void add(int index, long delta) {
        values.lazySet(index, values.get(index) + delta);
    }

    void countAccepted() {
        add(ACCEPTED, 1);
    }

    void opened(ConnectionType type) {
        add(type == ConnectionType.HTTP ? ACTIVE_HTTP : ACTIVE_WS, 1);
    }

    /** An HTTP connection became a WebSocket: it moves pools without a close. */
    void upgraded() {
        add(ACTIVE_HTTP, -1);
        add(ACTIVE_WS, 1);
        add(UPGRADES, 1);
    }

    void closed(ConnectionType type, CloseReason reason) {
        add(type == ConnectionType.HTTP ? ACTIVE_HTTP : ACTIVE_WS, -1);
        int i = type.ordinal() * CloseReason.count() + reason.ordinal();
        closes.lazySet(i, closes.get(i) + 1);
        if (reason.isEviction()) {
            add(EVICTIONS, 1);
        }
    }

    void bytesRead(long n) {
        add(BYTES_READ, n);
    }

    void bytesWritten(long n) {
        add(BYTES_WRITTEN, n);
    }

    void framesRead(long n) {
        add(FRAMES_READ, n);
    }

    void messagesRead(long n) {
        add(MESSAGES_READ, n);
    }

    void framesWritten(long n) {
        add(FRAMES_WRITTEN, n);
    }

    void staged(long n) {
        add(RING_BYTES_STAGED, n);
    }

    void compressed(long in, long out) {
        add(COMPRESSION_IN, in);
        add(COMPRESSION_OUT, out);
    }

    void deflated(long in, long out) {
        add(DEFLATE_IN, in);
        add(DEFLATE_OUT, out);
    }

    void largeBodyLent(int delta) {
        add(LARGE_BODIES_LENT, delta);
    }

    void request() {
        add(REQUESTS, 1);
    }

    void broadcast() {
        add(BROADCASTS, 1);
    }

    void handlerError() {
        add(HANDLER_ERRORS, 1);
    }

    void stageError() {
        add(STAGE_ERRORS, 1);
    }

    /** Large-body buffers lent to requests right now (see {@link ServerConfig#largeBodyBuffers()}). */
    long largeBodyBuffersInUse() {
        return values.get(LARGE_BODIES_LENT);
    }

    /** Connections accepted since start. */
    long accepted() {
        return values.get(ACCEPTED);
    }

    /** Connections open now in the given pool. */
    long active(ConnectionType type) {
        return values.get(type == ConnectionType.HTTP ? ACTIVE_HTTP : ACTIVE_WS);
    }

    /** Closes of connections of {@code type} for {@code reason} since start. */
    long closes(ConnectionType type, CloseReason reason) {
        return closes.get(type.ordinal() * CloseReason.count() + reason.ordinal());
    }

    /** Closes of either type for {@code reason}. */
    long closes(CloseReason reason) {
        return closes(ConnectionType.HTTP, reason) + closes(ConnectionType.WEBSOCKET, reason);
    }

    long bytesRead() {
        return values.get(BYTES_READ);
    }

    long bytesWritten() {
        return values.get(BYTES_WRITTEN);
    }

    /** WebSocket frames received, control frames included. */
    long framesRead() {
        return values.get(FRAMES_READ);
    }

    /** Complete WebSocket messages received. */
    long messagesRead() {
        return values.get(MESSAGES_READ);
    }

    /** WebSocket frames fully written to sockets, control frames included. */
    long framesWritten() {
        return values.get(FRAMES_WRITTEN);
    }

    /** Bytes committed to the outgoing ring since start. */
    long ringBytesStaged() {
        return values.get(RING_BYTES_STAGED);
    }

    /** Connections closed as EVICTED, TOO_SLOW or WS_CLIENT_TOO_SLOW. */
    long evictions() {
        return values.get(EVICTIONS);
    }

    /** Plain bytes of messages that were zstd-compressed. */
    long compressionBytesIn() {
        return values.get(COMPRESSION_IN);
    }

    /** Compressed bytes those messages became. */
    long compressionBytesOut() {
        return values.get(COMPRESSION_OUT);
    }

    /** Plain bytes of messages that were deflated for permessage-deflate receivers. */
    long deflateBytesIn() {
        return values.get(DEFLATE_IN);
    }

    /** Deflated bytes those messages became (without the four-byte tail RFC 7692 drops). */
    long deflateBytesOut() {
        return values.get(DEFLATE_OUT);
    }

    /** HTTP requests handled (complete requests passed to the handler). */
    long requests() {
        return values.get(REQUESTS);
    }

    /** HTTP connections upgraded to WebSocket. */
    long upgrades() {
        return values.get(UPGRADES);
    }

    /** Broadcast hand-offs. */
    long broadcasts() {
        return values.get(BROADCASTS);
    }

    /** Exceptions thrown by handlers. */
    long handlerErrors() {
        return values.get(HANDLER_ERRORS);
    }

    /** Hand-offs that failed because a staged message was larger than the ring. */
    long stageErrors() {
        return values.get(STAGE_ERRORS);
    }
}
