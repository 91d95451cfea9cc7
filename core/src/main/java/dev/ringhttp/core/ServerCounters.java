package dev.ringhttp.core;

/**
 * Counters of a running server, readable from any thread: the sum of its event loops' counters.
 *
 * <p>Each loop writes only its own ({@link LoopCounters}), with ordered stores and no lock;
 * a read adds them up, so it sees every loop's values eventually and never a torn one. Figures
 * from different loops are read one after another, not at one instant.
 */
public final class ServerCounters {

    private final LoopCounters[] loops;

    ServerCounters(LoopCounters[] loops) {
        this.loops = loops;
    }

    /**
     * Connections of the given pool open now on loop {@code loop} alone, {@code 0 <= loop <}
     * {@link RingHttpServer#eventLoops()}: how evenly the loops share the connections.
     */
    public long active(int loop, ConnectionType type) {
        return loops[loop].active(type);
    }

    /** Large-body buffers lent to requests right now (see {@link ServerConfig#largeBodyBuffers()}). */
    public long largeBodyBuffersInUse() {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.largeBodyBuffersInUse();
        }
        return sum;
    }

    /** Connections accepted since start. */
    public long accepted() {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.accepted();
        }
        return sum;
    }

    /** Connections open now in the given pool. */
    public long active(ConnectionType type) {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.active(type);
        }
        return sum;
    }

    /** Closes of connections of {@code type} for {@code reason} since start. */
    public long closes(ConnectionType type, CloseReason reason) {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.closes(type, reason);
        }
        return sum;
    }

    /** Closes of either type for {@code reason}. */
    public long closes(CloseReason reason) {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.closes(reason);
        }
        return sum;
    }

    public long bytesRead() {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.bytesRead();
        }
        return sum;
    }

    public long bytesWritten() {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.bytesWritten();
        }
        return sum;
    }

    /** WebSocket frames received, control frames included. */
    public long framesRead() {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.framesRead();
        }
        return sum;
    }

    /** Complete WebSocket messages received. */
    public long messagesRead() {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.messagesRead();
        }
        return sum;
    }

    /** WebSocket frames fully written to sockets, control frames included. */
    public long framesWritten() {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.framesWritten();
        }
        return sum;
    }

    /** Bytes committed to the outgoing ring since start. */
    public long ringBytesStaged() {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.ringBytesStaged();
        }
        return sum;
    }

    /** Connections closed as EVICTED, TOO_SLOW or WS_CLIENT_TOO_SLOW. */
    public long evictions() {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.evictions();
        }
        return sum;
    }

    /** Plain bytes of messages that were zstd-compressed. */
    public long compressionBytesIn() {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.compressionBytesIn();
        }
        return sum;
    }

    /** Compressed bytes those messages became. */
    public long compressionBytesOut() {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.compressionBytesOut();
        }
        return sum;
    }

    /** Plain bytes of messages that were deflated for permessage-deflate receivers. */
    public long deflateBytesIn() {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.deflateBytesIn();
        }
        return sum;
    }

    /** Deflated bytes those messages became (without the four-byte tail RFC 7692 drops). */
    public long deflateBytesOut() {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.deflateBytesOut();
        }
        return sum;
    }

    /** HTTP requests handled (complete requests passed to the handler). */
    public long requests() {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.requests();
        }
        return sum;
    }

    /** HTTP connections upgraded to WebSocket. */
    public long upgrades() {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.upgrades();
        }
        return sum;
    }

    /** Broadcast hand-offs. */
    public long broadcasts() {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.broadcasts();
        }
        return sum;
    }

    /** Exceptions thrown by handlers. */
    public long handlerErrors() {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.handlerErrors();
        }
        return sum;
    }

    /** Hand-offs that failed because a staged message was larger than the ring. */
    public long stageErrors() {
        long sum = 0;
        for (LoopCounters loop : loops) {
            sum += loop.stageErrors();
        }
        return sum;
    }
}
