package dev.ringhttp.core;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * One event loop of the server and everything it owns: its selector and task queue
 * ({@link EventLoop}), its listening sockets, its share of both pools ({@link ConnectionTable}),
 * its ring ({@link Outbox}), its clocks ({@link Timeouts}), its safe point and scratch, and its
 * counters. Nothing here is reached from another loop's thread except through {@link #execute}:
 * loops share nothing on the data path and take no lock on it.
 *
 * <p>A turn ({@link #poll}) runs queued tasks, selects, services ready connections, expires
 * clocks, writes completed deferred responses and flushes queued frames.
 */
final class ServerLoop {

    private static final System.Logger LOG = System.getLogger(ServerLoop.class.getName());
    private static final long SHUTDOWN_POLL_MILLIS = 10;
    private static final Object ACCEPT = new Object();
    /** The management listener's key attachment: its connections are marked as such. */
    private static final Object ACCEPT_MANAGEMENT = new Object();
    /**
     * Connections taken per readiness event of a listener. A flood of connects cannot hold the loop in
     * one accept loop: what is left stays pending, the selector reports the listener again, and the
     * connections already open are serviced in between.
     */
    static final int MAX_ACCEPTS_PER_EVENT = 64;

    final int index;
    final LoopCounters counters = new LoopCounters();
    final EventLoop loop;
    final ConnectionTable table;
    final Outbox outbox;
    final Staging staging;
    final Timeouts timeouts;
    final SafePoint safePoint;
    final LoopScratch scratch;
    private final Consumer<SelectionKey> service = this::service;
    private final Runnable settle;

    private ServerSocketChannel listener;
    private SelectionKey listenKey;
    private ServerSocketChannel managementListener;
    private SelectionKey managementListenKey;
    /** Every loop, when this one accepts for all of them (no {@code SO_REUSEPORT}); else null. */
    private ServerLoop[] dealTo;
    private int nextDeal;
    /** Set by another thread to make the loop shut down; -1 while it runs. */
    volatile long shutdownGraceNanos = -1;
    /** Set by a loop that died, to make this one close everything at once. */
    volatile boolean abort;

    /**
     * @param share     this loop's share of the configuration ({@link ServerConfig#loopShare})
     * @param httpBase  the server-wide id of its first HTTP slot
     * @param wsBase    the server-wide id of its first WebSocket slot
     * @param peers     carries what this loop's handlers broadcast to the other loops; null with one loop
     */
    ServerLoop(int index, ServerConfig share, HttpHandler httpHandler, WebSocketHandler wsHandler, BufferArena arena,
            int httpBase, int wsBase, LoopPeers peers) {
        this.index = index;
        // One key per connection, plus the listener and the management listener.
        this.loop = new EventLoop(counters, share.maxConnections() + share.maxWsConnections() + 2,
                share.maxConnectionsPerPoll());
        this.table = new ConnectionTable(share, counters, wsHandler, loop, index, httpBase, wsBase);
        this.outbox = new Outbox(share, counters, table, arena);
        this.staging = new Staging(loop, outbox, table, index, peers);
        this.timeouts = new Timeouts(share, loop, table);
        this.safePoint = new SafePoint(share, httpHandler, wsHandler, counters, outbox, table);
        this.settle = safePoint::settle;
        this.scratch = new LoopScratch(share, outbox.ring().buffer(), arena);
        LargeBodyPool largeBodies = new LargeBodyPool(share.largeBodyBuffers(), share.maxRequestBodyLength(), counters,
                arena);
        table.allocate(safePoint,
                id -> new HttpConnection(id, share,
                        arena.take(share.maxRequestLength()),
                        arena.take(share.responseHeaderBufferSize()),
                        httpHandler, table, outbox, staging, timeouts, scratch, safePoint, largeBodies, counters,
                        peers != null),
                id -> new WsConnection(id, share,
                        arena.take(share.wsReceiveBufferSize()),
                        arena.take(ServerConfig.WS_CONTROL_BUFFER_SIZE),
                        wsHandler, safePoint, table, outbox, timeouts, scratch.writes(), scratch.inflater(), counters));
    }

    // ---- listening ----

    Selector open() throws IOException {
        return loop.open();
    }

    /**
     * Registers the bound listeners (either may be null: a loop without a listener of its own is
     * dealt connections by another); with {@code dealTo}, this loop accepts for every loop in it.
     */
    void listenOn(ServerSocketChannel main, ServerSocketChannel management, ServerLoop[] dealTo) throws IOException {
        Selector s = loop.selector();
        if (main != null) {
            listenKey = main.register(s, SelectionKey.OP_ACCEPT, ACCEPT);
        }
        if (management != null) {
            managementListenKey = management.register(s, SelectionKey.OP_ACCEPT, ACCEPT_MANAGEMENT);
        }
        listener = main;
        managementListener = management;
        this.dealTo = dealTo;
    }

    /** Closes the selector {@link #open} made and forgets it: listening failed. */
    void forgetSelector() {
        Selector s = loop.selector();
        if (s != null) {
            ConnectionTable.closeQuietly(s);
        }
        loop.reset();
    }

    boolean isListening() {
        return loop.selector() != null;
    }

    /** Forgets a finished run so that the loop can listen anew with the same buffers. */
    void reopen() {
        table.reopen();
        shutdownGraceNanos = -1;
        abort = false;
        listener = null;
        managementListener = null;
        dealTo = null;
        loop.reset();
        outbox.reopen();
        scratch.reopen();
    }

    // ---- the turn ----

    /** One turn; see {@link RingHttpServer#poll(long)}. Returns the number of connections serviced. */
    int poll(long timeoutMillis) {
        loop.claim();
        if (loop.selector() == null) {
            throw new IllegalStateException("call listen() before poll()");
        }
        loop.tick();
        loop.runTasks(settle);
        safePoint.runCompletions();
        outbox.flushDirty();
        loop.select(Math.min(timeoutMillis, timeouts.millisToNext()));
        int serviced = loop.serviceReady(service);
        loop.runTasks(settle);
        timeouts.expire();
        safePoint.runCompletions();
        outbox.flushDirty();
        return serviced;
    }

    private void service(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        Object attachment = key.attachment();
        if (attachment == ACCEPT) {
            if (listener != null) {
                acceptPending(listener, false);
            }
            return;
        }
        if (attachment == ACCEPT_MANAGEMENT) {
            if (managementListener != null) {
                acceptPending(managementListener, true);
            }
            return;
        }
        safePoint.service((Connection) attachment, key.readyOps());
    }

    /**
     * Accepts at most {@link #MAX_ACCEPTS_PER_EVENT} pending connections. Each is admitted here, or, when
     * this loop deals for every loop (where the OS cannot spread one port's connections over several
     * listeners), handed round-robin to a loop as a task, so that only its own loop touches its selector
     * and table. Management connections always stay on this loop.
     */
    private void acceptPending(ServerSocketChannel from, boolean viaManagementPort) {
        for (int i = 0; i < MAX_ACCEPTS_PER_EVENT; i++) {
            SocketChannel channel;
            try {
                channel = from.accept();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "accept failed: " + e);
                return;
            }
            if (channel == null) {
                return;
            }
            ServerLoop target = dealTo == null || viaManagementPort ? this : nextDealTarget();
            if (target == this) {
                table.admit(channel, viaManagementPort);
            } else {
                target.execute(() -> target.admitDealt(channel));
            }
        }
    }

    private ServerLoop nextDealTarget() {
        ServerLoop target = dealTo[nextDeal];
        nextDeal = nextDeal + 1 == dealTo.length ? 0 : nextDeal + 1;
        return target;
    }

    /** Takes a connection another loop accepted for this one; closes it if this loop has stopped taking any. */
    private void admitDealt(SocketChannel channel) {
        Selector s = loop.selector();
        if (s == null || !s.isOpen() || table.isShuttingDown()) {
            ConnectionTable.closeQuietly(channel);
            return;
        }
        table.admit(channel, false);
    }

    // ---- threads ----

    void execute(Runnable task) {
        loop.execute(task);
    }

    void wakeup() {
        loop.wakeup();
    }

    boolean inLoop() {
        return loop.inLoop();
    }

    void assign(Thread thread) {
        loop.assign(thread);
    }

    // ---- shutting down ----

    /** Runs the graceful shutdown of this loop: see {@link RingHttpServer#shutdown}. */
    void runShutdown(long graceNanos) {
        long deadline = System.nanoTime() + graceNanos;
        table.refuseNewWork();
        loop.runTasks(settle);
        closeListener();
        table.closeIdleAndSayGoodbye();
        safePoint.settle();
        while (table.openConnections() > 0 && System.nanoTime() - deadline < 0 && !abort) {
            poll(SHUTDOWN_POLL_MILLIS);
        }
        closeEverything(abort ? CloseReason.INTERNAL_ERROR : CloseReason.SERVER_SHUTDOWN);
    }

    private void closeListener() {
        boolean closedAny = false;
        if (listener != null) {
            listenKey.cancel();
            ConnectionTable.closeQuietly(listener);
            listener = null;
            closedAny = true;
        }
        if (managementListener != null) {
            managementListenKey.cancel();
            ConnectionTable.closeQuietly(managementListener);
            managementListener = null;
            closedAny = true;
        }
        if (closedAny) {
            // A registered channel really closes when the selector next deregisters it; do that now, so
            // no connection lands in the accept queue after shutdown began.
            loop.flushCancelled();
        }
    }

    /** Closes the listeners, every connection with {@code reason}, the selector and the native parts. */
    void closeEverything(CloseReason reason) {
        closeListener();
        table.closeAll(reason);
        Selector s = loop.selector();
        if (s != null) {
            ConnectionTable.closeQuietly(s);
        }
        outbox.close();
        scratch.close();
    }
}
