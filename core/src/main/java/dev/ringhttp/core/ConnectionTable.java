package dev.ringhttp.core;

import dev.ringhttp.core.http.ParsedRequest;
import dev.ringhttp.core.ring.Evictor;
import dev.ringhttp.core.ring.OffsetHeap;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Who is connected: the two fixed pools of connection slots, accepting into the HTTP pool,
 * upgrading into the WebSocket pool, the eviction order, and the one close path.
 *
 * <p>Eviction order: a connection with ring bytes still to send sits in a min-heap per pool,
 * keyed by the ring offset of its oldest pending byte. When staging is about to overwrite ring
 * bytes, exactly the connections below the overwritten range are closed as too slow
 * ({@link #evictBelow}); when a pool is full, the connection with the oldest pending bytes (else
 * the next in round-robin order) makes room.
 *
 * <p>Close path ({@link #close}): leave the eviction order, end the socket as the reason's
 * {@link CloseDisposition} says, release the slot, count the reason, report it through the
 * {@link SafePoint}. Nothing else frees a slot, except an upgrade, which moves the socket on.
 *
 * <p>Built in two steps: the slots' connections need the outbox and the timeouts, which need this
 * table (the ring evicts its connections, timeouts close them), so the table exists first and
 * {@link #allocate} fills the slots once those exist. Loop thread only, except
 * {@link #openConnections()}.
 */
final class ConnectionTable implements Evictor {

    private static final System.Logger LOG = System.getLogger(ConnectionTable.class.getName());

    private final ServerConfig config;
    private final LoopCounters counters;
    private final WebSocketHandler wsHandler;
    private final int loop;
    /** Server-wide id of this loop's first slot in each pool ({@link LoopShares}): what handlers see is base plus index. */
    private final int httpBase;
    private final int wsBase;
    private final SlotPool httpPool;
    private final SlotPool wsPool;
    private final OffsetHeap httpPending;
    private final OffsetHeap wsPending;
    private final HttpConnection[] http;
    private final WsConnection[] ws;
    private final InetSocketAddress[] httpRemote;
    private final InetSocketAddress[] wsRemote;
    private SafePoint safePoint;
    /** Whose selector connections register with; a restarted server's loop has a new one. */
    private final EventLoop eventLoop;
    /** Whether a connection is read in the turn that accepts it. */
    private final ReadOnAccept readOnAccept = new ReadOnAccept();
    /** Open WebSockets that agreed to zstd: a broadcast makes a zstd copy only while some do. */
    private int zstdReceivers;
    /** Open WebSockets that get permessage-deflate copies: a broadcast makes one only while some do. */
    private int deflateReceivers;
    private boolean shuttingDown;

    /**
     * @param config   this loop's share of the server's configuration
     * @param loop     the loop's index, which its handles carry
     * @param httpBase the server-wide id of this loop's first HTTP slot
     * @param wsBase   the server-wide id of this loop's first WebSocket slot
     */
    ConnectionTable(ServerConfig config, LoopCounters counters, WebSocketHandler wsHandler, EventLoop eventLoop,
            int loop, int httpBase, int wsBase) {
        this.config = config;
        this.eventLoop = eventLoop;
        this.counters = counters;
        this.wsHandler = wsHandler;
        this.loop = loop;
        this.httpBase = httpBase;
        this.wsBase = wsBase;
        this.httpPool = new SlotPool(config.maxConnections());
        this.wsPool = new SlotPool(config.maxWsConnections());
        this.httpPending = new OffsetHeap(config.maxConnections());
        this.wsPending = new OffsetHeap(config.maxWsConnections());
        this.http = new HttpConnection[config.maxConnections()];
        this.ws = new WsConnection[config.maxWsConnections()];
        this.httpRemote = new InetSocketAddress[config.maxConnections()];
        this.wsRemote = new InetSocketAddress[config.maxWsConnections()];
    }

    /** Fills every slot; called once, by the server's constructor. */
    void allocate(SafePoint safePoint, IntFunction<HttpConnection> httpSlot, IntFunction<WsConnection> wsSlot) {
        if (this.safePoint != null) {
            throw new IllegalStateException("the slots are allocated once");
        }
        this.safePoint = safePoint;
        for (int i = 0; i < http.length; i++) {
            http[i] = httpSlot.apply(i);
        }
        for (int i = 0; i < ws.length; i++) {
            ws[i] = wsSlot.apply(i);
        }
    }

    int loop() {
        return loop;
    }

    /** The server-wide id of slot {@code id} of this loop's {@code type} pool. */
    int serverId(ConnectionType type, int id) {
        return (type == ConnectionType.HTTP ? httpBase : wsBase) + id;
    }

    /** The slot index of server-wide WebSocket id {@code serverWsId} if this loop owns it, else -1. */
    int wsSlot(int serverWsId) {
        int slot = serverWsId - wsBase;
        return slot >= 0 && slot < ws.length ? slot : -1;
    }

    HttpConnection http(int id) {
        return http[id];
    }

    WsConnection ws(int id) {
        return ws[id];
    }

    int openConnections() {
        return httpPool.activeCount() + wsPool.activeCount();
    }

    int openWebSockets() {
        return wsPool.activeCount();
    }

    /** The {@code index}-th open WebSocket, {@code index < openWebSockets()}; the order changes as they close. */
    WsConnection openWebSocketAt(int index) {
        return ws[wsPool.activeAt(index)];
    }

    int zstdWebSockets() {
        return zstdReceivers;
    }

    int deflateWebSockets() {
        return deflateReceivers;
    }

    /** WebSocket {@code wsId} if it is open (not closing), else null. */
    WsConnection openWebSocket(int wsId) {
        return wsId >= 0 && wsId < ws.length && ws[wsId].state() == WsConnection.State.OPEN ? ws[wsId] : null;
    }

    /** The open WebSocket {@code handle} names, or null: closed since, or its slot serves a newer connection. */
    WsConnection openWebSocket(long handle) {
        WsConnection c = openWebSocket(Handles.id(handle) - wsBase);
        return c != null && c.handle() == handle ? c : null;
    }

    /** The open HTTP connection {@code handle} names, or null. */
    HttpConnection openHttp(long handle) {
        int id = Handles.id(handle) - httpBase;
        return id >= 0 && id < http.length && http[id].matches(handle) ? http[id] : null;
    }

    /** The handle of the open WebSocket with server-wide id {@code serverWsId}, or {@code NO_HANDLE}. */
    long webSocketHandle(int serverWsId) {
        WsConnection c = openWebSocket(serverWsId - wsBase);
        return c == null ? RingHttpServer.NO_HANDLE : c.handle();
    }

    /** The handle of the open HTTP connection with server-wide id {@code serverId}, or {@code NO_HANDLE}. */
    long httpHandle(int serverId) {
        int id = serverId - httpBase;
        return id >= 0 && id < http.length && http[id].isOpen() ? http[id].handle() : RingHttpServer.NO_HANDLE;
    }

    boolean isShuttingDown() {
        return shuttingDown;
    }

    /** Whether this loop reads new connections at once; for tests. */
    ReadOnAccept readOnAccept() {
        return readOnAccept;
    }

    /** The send buffer each socket gets once it writes more than once ({@link Connection#tune}). */
    int socketSendBuffer() {
        return config.socketSendBuffer();
    }

    // ---- accept and upgrade ----

    /**
     * Takes an accepted socket into the HTTP pool (a full pool evicts one connection first), and reads
     * it at once while that pays ({@link ReadOnAccept}): a request that came with the connect is
     * answered in this turn, without waiting for readiness.
     *
     * <p>Only a connection that outlives this turn is registered with the selector ({@link
     * #register}): one answered and closed within it (a request per connection) spares the JDK's
     * close of a registered channel, its {@code SO_LINGER} query and its {@code shutdown}, and the
     * selector's two {@code epoll_ctl}. Socket options wait for a connection's second write
     * ({@link Connection#tune}).
     */
    void admit(SocketChannel channel, boolean viaManagementPort) {
        counters.countAccepted();
        HttpConnection c;
        try {
            channel.configureBlocking(false);
            InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
            if (httpPool.isFull()) {
                int victim = httpPending.isEmpty() ? httpPool.nextRoundRobin() : httpPending.minId();
                close(http[victim], CloseReason.EVICTED);
            }
            c = http[httpPool.acquire()];
            httpRemote[c.id] = remote;
            c.open(channel, remote, viaManagementPort);
            counters.opened(ConnectionType.HTTP);
        } catch (IOException e) {
            closeQuietly(channel);
            return;
        }
        if (!readOnAccept.readNow()) {
            register(c);
            return;
        }
        long tenant = c.handle();
        long bytesBefore = counters.bytesRead();
        safePoint.service(c, SelectionKey.OP_READ);
        readOnAccept.record(counters.bytesRead() != bytesBefore);
        if (c.matches(tenant)) {
            register(c);
        }
    }

    /** Registers an open connection's socket with the selector, with the interest it wants. */
    private void register(Connection c) {
        try {
            c.registered(c.channel().register(eventLoop.selector(), c.interest(), c));
        } catch (IOException | ClosedSelectorException e) {
            // Reset by the peer already, or the loop is stopping: either way the connection is over.
            close(c, CloseReason.PEER_RESET);
        }
    }

    /**
     * Moves {@code from}'s socket into a WebSocket slot (evicting one if the pool is full), tells
     * the handler, and frees the HTTP slot without reporting a close: the connection lives on.
     */
    void upgrade(HttpConnection from, ParsedRequest request, int channel, boolean compress, boolean deflate,
            int earlyBytes) {
        if (earlyBytes > 0) {
            close(from, CloseReason.WS_EARLY_DATA);
            return;
        }
        if (wsPool.isFull()) {
            int victim = wsPending.isEmpty() ? wsPool.nextRoundRobin() : wsPending.minId();
            close(ws[victim], CloseReason.EVICTED);
        }
        WsConnection to = ws[wsPool.acquire()];
        wsRemote[to.id] = httpRemote[from.id];
        SelectionKey key = from.key();
        if (key != null) {
            key.attach(to);
        }
        to.open(from.channel(), key, channel, compress, deflate, from.tuned());
        counters.upgraded();
        if (to.compress()) {
            zstdReceivers++;
        }
        if (to.deflates()) {
            deflateReceivers++;
        }
        int httpId = from.id;
        try {
            wsHandler.onOpen(to.serverId, request);
        } catch (Throwable t) {
            SafePoint.handlerFailed(counters, t, "WebSocket onOpen for connection " + to.serverId);
            to.fail(CloseReason.HANDLER_ERROR);
        }
        from.release();
        httpPool.release(httpId);
        safePoint.settle();
        if (to.isOpen() && to.key() == null) { // upgraded in the turn that accepted it (admit)
            register(to);
        }
    }

    // ---- the eviction order ----

    /** Keeps HTTP connection {@code id}'s ring body in the eviction order, keyed by its offset. */
    void holdHttpBody(int id, long offset) {
        if (!http[id].isOpen()) {
            throw new IllegalStateException("HTTP connection " + id + " is closed; it holds no ring body");
        }
        httpPending.addOrUpdate(id, offset);
    }

    void releaseHttpBody(int id) {
        httpPending.remove(id);
    }

    /** Keeps WebSocket {@code id}'s oldest queued offset in the eviction order; -1 removes it. */
    void webSocketPending(int id, long offset) {
        if (offset < 0) {
            wsPending.remove(id);
        } else {
            wsPending.addOrUpdate(id, offset);
        }
    }

    /**
     * Closes, before the ring overwrites them, the connections whose oldest pending byte lies
     * below {@code offset}. Each pass removes the minimum of its heap, so this ends after at most
     * both pools.
     */
    @Override
    public void evictBelow(long offset) {
        while (true) {
            long httpMin = httpPending.isEmpty() ? Long.MAX_VALUE : httpPending.minKey();
            long wsMin = wsPending.isEmpty() ? Long.MAX_VALUE : wsPending.minKey();
            if (Math.min(httpMin, wsMin) >= offset) {
                return;
            }
            if (httpMin <= wsMin) {
                int id = httpPending.minId();
                httpPending.remove(id);
                close(http[id], CloseReason.TOO_SLOW);
            } else {
                int id = wsPending.minId();
                wsPending.remove(id);
                close(ws[id], CloseReason.WS_CLIENT_TOO_SLOW);
            }
        }
    }

    // ---- closing ----

    /** The one close path; nothing if {@code c} is not open. */
    void close(Connection c, CloseReason reason) {
        if (!c.isOpen()) {
            return;
        }
        SocketChannel channel = c.channel();
        boolean webSocket = c.type == ConnectionType.WEBSOCKET;
        (webSocket ? wsPending : httpPending).remove(c.id);
        if (webSocket) {
            WsConnection w = (WsConnection) c;
            zstdReceivers -= w.compress() ? 1 : 0;
            deflateReceivers -= w.deflates() ? 1 : 0;
        }
        switch (reason.disposition()) {
            case DRAIN:
                // The close below sends the FIN; shutting output down first would cost a system call and
                // change nothing, since the drain does not wait.
                c.drainInput();
                break;
            case RESET:
                resetOnClose(channel);
                break;
            case GRACEFUL:
            default:
                break;
        }
        if (c.key() != null) {
            c.key().cancel();
        }
        closeQuietly(channel);
        c.release();
        (webSocket ? wsPool : httpPool).release(c.id);
        counters.closed(c.type, reason);
        safePoint.reportClose(c.type, c.serverId, reason);
    }

    /** From now on responses close their connections and idle connections close: the server shuts down. */
    void refuseNewWork() {
        shuttingDown = true;
    }

    /** Sends every WebSocket 1001 and closes idle HTTP connections; busy ones close after their response. */
    void closeIdleAndSayGoodbye() {
        for (int i = wsPool.activeCount() - 1; i >= 0; i--) {
            ws[wsPool.activeAt(i)].fail(CloseReason.SERVER_SHUTDOWN);
        }
        for (int i = httpPool.activeCount() - 1; i >= 0; i--) {
            HttpConnection c = http[httpPool.activeAt(i)];
            if (c.isIdle()) {
                close(c, CloseReason.SERVER_SHUTDOWN);
            }
        }
    }

    /** Closes every connection still open with {@code reason}. */
    void closeAll(CloseReason reason) {
        for (int i = wsPool.activeCount() - 1; i >= 0; i--) {
            close(ws[wsPool.activeAt(i)], reason);
        }
        for (int i = httpPool.activeCount() - 1; i >= 0; i--) {
            close(http[httpPool.activeAt(i)], reason);
        }
    }

    /** Ready to accept again after a finished shutdown. */
    void reopen() {
        if (openConnections() != 0) {
            throw new IllegalStateException("connections are still open after shutdown");
        }
        shuttingDown = false;
    }

    /** A description of every open connection; allocates, for monitoring only. */
    List<ConnectionSnapshot> snapshot() {
        long now = System.nanoTime();
        List<ConnectionSnapshot> list = new ArrayList<>(openConnections());
        for (int i = 0; i < httpPool.activeCount(); i++) {
            HttpConnection c = http[httpPool.activeAt(i)];
            list.add(describe(c, httpRemote[c.id], now));
        }
        for (int i = 0; i < wsPool.activeCount(); i++) {
            WsConnection c = ws[wsPool.activeAt(i)];
            list.add(describe(c, wsRemote[c.id], now));
        }
        list.sort((a, b) -> a.type() != b.type() ? a.type().compareTo(b.type()) : Integer.compare(a.id(), b.id()));
        return list;
    }

    private static ConnectionSnapshot describe(Connection c, InetSocketAddress remote, long now) {
        return new ConnectionSnapshot(c.type, c.serverId, remote, c.stateName(), Duration.ofNanos(now - c.openedAtNanos()),
                c.pendingBytes());
    }

    private static void resetOnClose(SocketChannel channel) {
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException | RuntimeException ignored) {
            // Already gone: the close is all that is left to do.
        }
    }

    static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "close failed: " + e);
        }
    }
}
