package dev.ringhttp.core;

/**
 * The points between pieces of application code (handlers, callbacks, tasks), and what waits for
 * them: close callbacks held back while the outbox was busy, and deferred responses completed by
 * application code.
 *
 * <p>Invariants: the stage is empty when any piece of application code begins, because each ends
 * with {@link #settle} (bytes staged but never handed off are dropped there); no close callback
 * runs inside staging, an eviction or a hand-off ({@link Outbox#holdsCallbacks}); a completed
 * deferred response is written here, never inside the code that completed it, so no handler
 * runs inside another's staging. Loop thread only.
 */
final class SafePoint {

    private static final System.Logger LOG = System.getLogger(SafePoint.class.getName());

    private final HttpHandler httpHandler;
    private final WebSocketHandler wsHandler;
    private final LoopCounters counters;
    private final Outbox outbox;
    private final ConnectionTable table;
    private final CloseNotices held;
    private final IdQueue completions;
    private boolean delivering;
    private boolean completing;

    SafePoint(ServerConfig config, HttpHandler httpHandler, WebSocketHandler wsHandler, LoopCounters counters,
            Outbox outbox, ConnectionTable table) {
        this.httpHandler = httpHandler;
        this.wsHandler = wsHandler;
        this.counters = counters;
        this.outbox = outbox;
        this.table = table;
        this.held = new CloseNotices(config.maxConnections() + config.maxWsConnections());
        this.completions = new IdQueue(config.maxConnections());
    }

    /** Ends a piece of application code: drops its stray stage and delivers held close callbacks. */
    void settle() {
        outbox.dropStrayStage();
        deliverHeld();
    }

    /** Tells the handler that a connection closed: now, or at the next safe point if the outbox is busy. */
    void reportClose(ConnectionType type, int id, CloseReason reason) {
        if (outbox.holdsCallbacks()) {
            held.add(type, id, reason);
        } else {
            deliver(type, id, reason);
        }
    }

    /**
     * Delivers the held close callbacks, oldest first, while the outbox is free. Not re-entrant:
     * a callback that closes more connections adds notices this same loop delivers.
     */
    private void deliverHeld() {
        if (delivering || held.isEmpty() || outbox.holdsCallbacks()) {
            return;
        }
        delivering = true;
        try {
            while (!held.isEmpty() && !outbox.holdsCallbacks()) {
                ConnectionType type = held.isWebSocket() ? ConnectionType.WEBSOCKET : ConnectionType.HTTP;
                int id = held.id();
                CloseReason reason = held.reason();
                held.remove();
                deliver(type, id, reason);
            }
        } finally {
            delivering = false;
        }
    }

    /** Runs one close callback; what it staged and never handed off is dropped before anything else runs. */
    private void deliver(ConnectionType type, int id, CloseReason reason) {
        try {
            if (type == ConnectionType.WEBSOCKET) {
                wsHandler.onClose(id, reason);
            } else {
                httpHandler.onClose(id, reason);
            }
        } catch (Throwable t) {
            handlerFailed(counters, t, (type == ConnectionType.WEBSOCKET ? "WebSocket" : "HTTP")
                    + " onClose for connection " + id);
        }
        outbox.dropStrayStage();
    }

    /** Queues deferred response {@code connectionId}, completed by application code, for the next safe point. */
    void complete(int connectionId) {
        completions.add(connectionId);
    }

    /**
     * Writes the deferred responses completed since the last call and answers what their clients
     * pipelined behind them. Runs only between pieces of application code, never inside one.
     */
    void runCompletions() {
        if (completing) {
            return;
        }
        completing = true;
        try {
            while (!completions.isEmpty()) {
                HttpConnection c = table.http(completions.remove());
                try {
                    c.writeCompleted();
                } catch (Throwable t) {
                    if (!costsOneConnection(t)) {
                        throw t;
                    }
                    closeAfterUnexpected(c, t);
                }
                settle();
            }
        } finally {
            completing = false;
        }
    }

    /** Services ready connection {@code c}, then settles and writes what completed meanwhile. */
    void service(Connection c, int readyOps) {
        try {
            c.onReady(readyOps);
        } catch (Throwable t) {
            if (!costsOneConnection(t)) {
                throw t;
            }
            closeAfterUnexpected(c, t);
        }
        settle();
        runCompletions();
    }

    /**
     * Whether {@code t}, escaping loop work for one connection, is that connection's problem: a
     * server bug, or an Error that escaped a callback's own guard. Out of memory and the like are
     * not: the loop dies and says so.
     */
    private static boolean costsOneConnection(Throwable t) {
        return t instanceof RuntimeException || t instanceof StackOverflowError || t instanceof LinkageError
                || t instanceof AssertionError;
    }

    private void closeAfterUnexpected(Connection c, Throwable t) {
        LOG.log(System.Logger.Level.ERROR, "unexpected error servicing a connection; closing it", t);
        settle();
        table.close(c, CloseReason.INTERNAL_ERROR);
    }

    /** Counts and logs what application code threw; {@code where} names the callback. */
    static void handlerFailed(LoopCounters counters, Throwable t, String where) {
        counters.handlerError();
        LOG.log(System.Logger.Level.ERROR, where + " failed", t);
    }
}
