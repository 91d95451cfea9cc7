package dev.ringhttp.core;

import dev.ringhttp.core.ws.CloseFrames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * A fixed-memory HTTP/1.1 and WebSocket server driven by one event loop: the public face of the
 * parts below, and their lifecycle.
 *
 * <h2>Memory</h2>
 * Every buffer is allocated in the constructor from the {@link ServerConfig}:
 * per HTTP slot a request buffer and a response-head buffer, per WebSocket
 * slot a receive buffer, a control-frame area and a frame queue, and one
 * outgoing ring shared by all. {@link #footprint()} is their size, computed
 * once from the configuration ({@link ServerConfig#footprint()}).
 * Nothing grows afterwards; in steady state the loop allocates nothing per
 * request or per frame.
 *
 * <h2>Parts, one owner each</h2>
 * <ul>
 * <li>{@link EventLoop}: the selector, the task queue, wake-ups, the clock and the loop-thread check.
 * <li>{@link ConnectionTable}: both pools, accept, upgrade, the eviction order and the one close path.
 * <li>{@link HttpConnection}, {@link WsConnection}: one slot each, a state machine over its socket
 *     ({@link Connection} holds what they share).
 * <li>{@link Outbox}: the outgoing ring, hand-off to one or many receivers, compression, and the
 *     frames to write when the turn ends.
 * <li>{@link Timeouts}: every connection's clock and its expiry.
 * <li>{@link SafePoint}: what runs between pieces of application code: held close callbacks and
 *     completed deferred responses.
 * <li>{@link LoopScratch}: working buffers the loop lends to one connection at a time.
 * </ul>
 * Data moves forward: socket, parser, handler, ring, socket. A turn ({@link #poll}) runs queued
 * tasks, selects, services ready connections, expires clocks, writes completed deferred
 * responses and flushes queued frames.
 *
 * <h2>Threads</h2>
 * One thread owns all state: the thread calling {@link #poll(long)}, or the loop thread of
 * {@link #start()}. Other threads reach the loop only through {@link #execute(Runnable)} and the
 * conveniences built on it ({@link #send}, {@link #broadcast}, {@link #closeWebSocket}). The
 * staging API ({@link #staging()}) and {@link #deferredResponse(long)} are loop-thread only and
 * throw when misused. {@link #counters()} is readable from anywhere.
 */
public final class RingHttpServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RingHttpServer.class.getName());
    private static final long LOOP_POLL_MILLIS = 1000;
    private static final long SHUTDOWN_POLL_MILLIS = 10;
    private static final int ACCEPT_BACKLOG = 1024;
    private static final Object ACCEPT = new Object();
    /** The management listener's key attachment: its connections are marked as such. */
    private static final Object ACCEPT_MANAGEMENT = new Object();
    /** How {@link #start()} ends the message of a failure to bind the management listener. */
    public static final String MANAGEMENT_LISTENER = "(management port)";

    /** What the handle look-ups return for a connection that is not open. */
    public static final long NO_HANDLE = -1;

    private final ServerConfig config;
    private final ServerCounters counters = new ServerCounters();
    private final EventLoop loop;
    private final ConnectionTable table;
    private final Outbox outbox;
    private final Staging staging;
    private final Timeouts timeouts;
    private final SafePoint safePoint;
    private final LoopScratch scratch;
    private final long footprint;
    private final Consumer<SelectionKey> service = this::service;
    private final Runnable settle;
    /** Told when the loop thread dies ({@link #onLoopFailure}); added from any thread, read by the dying loop. */
    private final ConcurrentLinkedQueue<Consumer<? super Throwable>> loopFailureListeners =
            new ConcurrentLinkedQueue<>();

    private ServerSocketChannel listener;
    private SelectionKey listenKey;
    private volatile InetSocketAddress boundAddress;
    /** The management listener, when the configuration has one; opened and closed with the main one. */
    private ServerSocketChannel managementListener;
    private SelectionKey managementListenKey;
    private volatile InetSocketAddress boundManagementAddress;
    /** What {@link #listen()} binds (or last bound), for {@link #start()}'s message when it fails. */
    private String binding;
    private Thread ownThread;
    private volatile long shutdownGraceNanos = -1;
    private volatile Throwable failure;
    private volatile boolean running;
    private boolean closed;

    private RingHttpServer(ServerConfig config, HttpHandler httpHandler, WebSocketHandler wsHandler, BufferArena arena) {
        this.config = config;
        // One key per connection, plus the listener and the management listener.
        this.loop = new EventLoop(counters, config.maxConnections() + config.maxWsConnections() + 2,
                config.maxConnectionsPerPoll());
        this.table = new ConnectionTable(config, counters, wsHandler);
        this.outbox = new Outbox(config, counters, table, arena);
        this.staging = new Staging(loop, outbox);
        this.timeouts = new Timeouts(config, loop, table);
        this.safePoint = new SafePoint(config, httpHandler, wsHandler, counters, outbox, table);
        this.settle = safePoint::settle;
        this.scratch = new LoopScratch(config, outbox.ring().buffer(), arena);
        LargeBodyPool largeBodies = new LargeBodyPool(config.largeBodyBuffers(), config.maxRequestBodyLength(), counters,
                arena);
        table.allocate(safePoint,
                id -> new HttpConnection(id, config,
                        arena.take(config.maxRequestLength()),
                        arena.take(config.responseHeaderBufferSize()),
                        httpHandler, table, outbox, staging, timeouts, scratch, safePoint, largeBodies, counters),
                id -> new WsConnection(id, config,
                        arena.take(config.wsReceiveBufferSize()),
                        arena.take(ServerConfig.WS_CONTROL_BUFFER_SIZE),
                        wsHandler, safePoint, table, outbox, timeouts, scratch.writes(), scratch.inflater(), counters));
        this.footprint = config.footprint();
    }

    /**
     * Builds a server; every buffer is reserved here ({@link BufferArena}: mapped, and resident
     * only as it is used).
     *
     * @throws InvalidConfigurationException (parameter {@code footprint}) if the buffers cannot be
     *     mapped, and as direct buffers they do not fit the JVM's direct memory
     *     ({@code -XX:MaxDirectMemorySize}), checked before anything is allocated
     */
    public static RingHttpServer create(ServerConfig config, HttpHandler httpHandler, WebSocketHandler wsHandler) {
        if (config == null || httpHandler == null || wsHandler == null) {
            throw new IllegalArgumentException("config, httpHandler and wsHandler are required");
        }
        BufferArena arena = BufferArena.reserve(config.directBytes());
        try {
            if (arena.isMapped()) {
                DirectMemoryLimit.checkMapped(config);
            } else {
                DirectMemoryLimit.check(config);
            }
            return new RingHttpServer(config, httpHandler, wsHandler, arena);
        } catch (OutOfMemoryError e) {
            // The check compares with the limit alone; what others hold may still leave too little.
            InvalidConfigurationException explained = DirectMemoryLimit.exhausted(config, e);
            if (explained != null) {
                throw explained;
            }
            throw e;
        } finally {
            arena.close();
        }
    }

    /**
     * Builds a server whose handlers keep a {@link ServerContext}: the factory builds them
     * with it, so a handler that answers WebSocket messages through {@link Staging}, or sends
     * from other threads, needs no reference set after the fact.
     *
     * @throws InvalidConfigurationException as {@link #create(ServerConfig, HttpHandler, WebSocketHandler)}
     */
    public static RingHttpServer create(ServerConfig config, HandlerFactory handlers) {
        if (config == null || handlers == null) {
            throw new IllegalArgumentException("config and handlers are required");
        }
        ServerContext context = ServerContext.create();
        return create(config, context, handlers.httpHandler(context), handlers.webSocketHandler(context));
    }

    /**
     * Builds a server for handlers that were built before it with {@code context} (see
     * {@link ServerContext#create()}); the context belongs to this server from now on.
     *
     * @throws IllegalStateException if {@code context} already belongs to a server
     * @throws InvalidConfigurationException as {@link #create(ServerConfig, HttpHandler, WebSocketHandler)}
     */
    public static RingHttpServer create(ServerConfig config, ServerContext context, HttpHandler httpHandler,
            WebSocketHandler wsHandler) {
        if (context == null) {
            throw new IllegalArgumentException("context is required");
        }
        context.checkUnbound();
        RingHttpServer server = create(config, httpHandler, wsHandler);
        context.bind(server);
        return server;
    }

    // ---- lifecycle ----

    /**
     * Binds the listener, and the management listener if the configuration has one
     * ({@link #managementAddress()} tells where). Called by {@link #start()} when needed; call it
     * directly when driving {@link #poll(long)} yourself. If either cannot be bound, neither is.
     */
    public synchronized InetSocketAddress listen() throws IOException {
        if (loop.selector() != null) {
            throw new IllegalStateException("already listening on " + boundAddress);
        }
        if (closed) {
            throw new IllegalStateException("the server is shut down; start() it again to listen anew");
        }
        Selector s = loop.open();
        ServerSocketChannel l = null;
        ServerSocketChannel m = null;
        try {
            binding = describeBindAddress();
            l = bind(config.address(), config.port());
            listenKey = l.register(s, SelectionKey.OP_ACCEPT, ACCEPT);
            if (config.hasManagementPort()) {
                binding = describeManagementBindAddress();
                m = bind(managementBindAddress(), config.managementPort());
                managementListenKey = m.register(s, SelectionKey.OP_ACCEPT, ACCEPT_MANAGEMENT);
            }
        } catch (IOException | RuntimeException e) {
            if (l != null) {
                l.close();
            }
            if (m != null) {
                m.close();
            }
            s.close();
            loop.reset();
            throw e;
        }
        listener = l;
        managementListener = m;
        boundAddress = (InetSocketAddress) l.getLocalAddress();
        boundManagementAddress = m == null ? null : (InetSocketAddress) m.getLocalAddress();
        running = true;
        return boundAddress;
    }

    private static ServerSocketChannel bind(InetAddress address, int port) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port),
                    ACCEPT_BACKLOG);
            channel.configureBlocking(false);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private InetAddress managementBindAddress() {
        return config.managementAddress() != null ? config.managementAddress() : config.address();
    }

    /**
     * Listens if needed and runs the loop on a thread of its own until
     * {@link #close()}. Idempotent: starting a running server does nothing. A
     * server that was shut down, or whose loop died ({@link #onLoopFailure}),
     * can be started again: it listens anew with the same buffers (and
     * counters), as an application context that is stopped and restarted expects.
     *
     * @throws UncheckedIOException if a listener cannot be bound: its message names the address
     *     and port, and ends with {@value #MANAGEMENT_LISTENER} when it was the management listener
     */
    public synchronized void start() {
        if (ownThread != null && !closed) {
            if (failure == null) {
                return;
            }
            // The loop died (see onLoopFailure) and closed everything it could: start anew like after a shutdown,
            // once its thread has finished telling the listeners.
            if (ownThread == Thread.currentThread()) {
                throw new IllegalStateException("a loop failure listener cannot restart the server on the dying loop"
                        + " thread; hand the restart to another thread");
            }
            awaitDeath(ownThread);
            closed = true;
        }
        if (closed) {
            reopen();
        }
        if (loop.selector() == null) {
            try {
                listen();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + binding, e);
            }
        }
        Thread t = new Thread(this::runLoop, "ringhttp-loop-" + boundAddress.getPort());
        ownThread = t;
        loop.assign(t);
        t.start();
    }

    private static void awaitDeath(Thread loopThread) {
        try {
            loopThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the dead loop's thread finished", e);
        }
    }

    /** Forgets a finished shutdown so that the server can listen again. */
    private void reopen() {
        Thread previous = ownThread;
        if (previous != null && previous.isAlive()) {
            throw new IllegalStateException("the previous loop thread has not finished shutting down");
        }
        table.reopen();
        closed = false;
        ownThread = null;
        shutdownGraceNanos = -1;
        failure = null;
        listener = null;
        boundAddress = null;
        managementListener = null;
        boundManagementAddress = null;
        loop.reset();
        outbox.reopen();
        scratch.reopen();
    }

    private String describeBindAddress() {
        return (config.address() == null ? "*" : config.address().getHostAddress()) + ":" + config.port();
    }

    private String describeManagementBindAddress() {
        InetAddress address = managementBindAddress();
        return (address == null ? "*" : address.getHostAddress()) + ":" + config.managementPort() + " "
                + MANAGEMENT_LISTENER;
    }

    private void runLoop() {
        try {
            while (true) {
                long grace = shutdownGraceNanos;
                if (grace >= 0) {
                    runShutdown(grace);
                    return;
                }
                poll(LOOP_POLL_MILLIS);
            }
        } catch (Throwable t) {
            failure = t;
            LOG.log(System.Logger.Level.ERROR, "ringhttp event loop died", t);
            try {
                closeEverything(CloseReason.INTERNAL_ERROR);
            } catch (Throwable cleanup) {
                // Out of memory, or the selector itself broken: the listening socket is closed first, so the
                // port is closed even when closing the connections fails; the listeners must still be told.
                LOG.log(System.Logger.Level.ERROR, "closing connections after the loop died failed", cleanup);
            }
            // Listeners rely on this: by the time they run, nothing reports the server as alive.
            running = false;
            tellLoopFailureListeners(t);
        } finally {
            running = false;
        }
    }

    private void tellLoopFailureListeners(Throwable cause) {
        for (Consumer<? super Throwable> listener : loopFailureListeners) {
            try {
                listener.accept(cause);
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.ERROR, "a loop failure listener failed", t);
            }
        }
    }

    /** Whether the server listens and its loop (if it has one) is alive. */
    public boolean isRunning() {
        return running;
    }

    /** The exception that killed the loop thread, or null. */
    public Throwable failure() {
        return failure;
    }

    /**
     * Adds a listener told when the loop thread of {@link #start()} dies of
     * an unexpected exception or error (out of memory, a broken selector),
     * so that the embedding application can stop or restart instead of
     * living on with its port closed. Each death calls every listener once,
     * in the order added, on the dying loop thread, after {@link #failure()}
     * returns the cause, {@link #isRunning()} is false and the listening
     * socket and every connection are closed ({@link CloseReason#INTERNAL_ERROR};
     * as far as closing can succeed after such a failure).
     * What a listener throws is logged and the next listener still runs. A
     * listener must return quickly and must not stop the server itself
     * ({@link #shutdown} joins this thread): hand such work to another thread.
     * Add listeners before {@link #start()}; one added after the loop died
     * is not called for that death. A loop driven by {@link #poll(long)}
     * never calls them: {@code poll} throws to its caller instead. Safe from
     * any thread.
     */
    public void onLoopFailure(Consumer<? super Throwable> listener) {
        if (listener == null) {
            throw new NullPointerException("listener");
        }
        loopFailureListeners.add(listener);
    }

    /** The bound address, after {@link #listen()} or {@link #start()}; null before. */
    public InetSocketAddress address() {
        return boundAddress;
    }

    /**
     * The management listener's bound address, after {@link #listen()} or {@link #start()}; null
     * before, and when the configuration has no {@link ServerConfig#managementPort()}.
     */
    public InetSocketAddress managementAddress() {
        return boundManagementAddress;
    }

    /**
     * Stops gracefully: stops accepting, sends every WebSocket a close frame
     * with 1001, closes idle HTTP connections, lets responses in flight
     * finish for up to {@code grace}, then closes what is left. Every
     * connection is reported closed with {@link CloseReason#SERVER_SHUTDOWN}.
     * Idempotent. With a loop thread, waits for it; without one, call it on
     * the polling thread.
     */
    public void shutdown(Duration grace) {
        long graceNanos = Math.max(0, grace.toNanos());
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (ownThread == null && loop.selector() != null) {
                // Poll-driven: only the polling thread may run the shutdown; refuse before marking closed.
                loop.checkInLoop("shutdown");
            }
            closed = true;
            t = ownThread;
        }
        if (t == null) {
            if (loop.selector() != null) {
                runShutdown(graceNanos);
            }
            running = false;
            return;
        }
        shutdownGraceNanos = graceNanos;
        if (t == Thread.currentThread()) {
            // Called by a handler or task: the loop runs the shutdown once this turn ends; joining would wait on itself.
            return;
        }
        loop.wakeup();
        try {
            t.join(Math.max(1, Duration.ofNanos(graceNanos).plusSeconds(5).toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #shutdown(Duration)} with no grace period. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    private void runShutdown(long graceNanos) {
        long deadline = System.nanoTime() + graceNanos;
        table.refuseNewWork();
        loop.runTasks(settle);
        closeListener();
        table.closeIdleAndSayGoodbye();
        safePoint.settle();
        while (table.openConnections() > 0 && System.nanoTime() - deadline < 0) {
            poll(SHUTDOWN_POLL_MILLIS);
        }
        closeEverything(CloseReason.SERVER_SHUTDOWN);
    }

    private void closeListener() {
        if (listener != null) {
            listenKey.cancel();
            ConnectionTable.closeQuietly(listener);
            listener = null;
            if (managementListener != null) {
                managementListenKey.cancel();
                ConnectionTable.closeQuietly(managementListener);
                managementListener = null;
            }
            // A registered channel really closes when the selector next deregisters it; do that now, so
            // no connection lands in the accept queue after shutdown began.
            loop.flushCancelled();
        }
    }

    private void closeEverything(CloseReason reason) {
        closeListener();
        table.closeAll(reason);
        Selector s = loop.selector();
        if (s != null) {
            ConnectionTable.closeQuietly(s);
        }
        outbox.close();
        scratch.close();
        running = false;
    }

    // ---- the loop ----

    /**
     * One turn of the loop: runs queued tasks, waits up to
     * {@code timeoutMillis} (0: not at all) for socket events, services them
     * (at most {@link ServerConfig#maxConnectionsPerPoll()} connections,
     * starting where the previous call stopped), runs tasks again, expires
     * clocks and writes queued WebSocket frames. Returns the number of
     * connections serviced.
     */
    public int poll(long timeoutMillis) {
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
                table.accept(listener, loop.selector(), false);
            }
            return;
        }
        if (attachment == ACCEPT_MANAGEMENT) {
            if (managementListener != null) {
                table.accept(managementListener, loop.selector(), true);
            }
            return;
        }
        safePoint.service((Connection) attachment, key.readyOps());
    }

    // ---- cross-thread hand-over ----

    /** Runs {@code task} on the loop thread, soon. Safe from any thread. */
    public void execute(Runnable task) {
        loop.execute(task);
    }

    /**
     * Sends {@code text} as a text message to the WebSocket {@code handle} names (see
     * {@link #webSocketHandle}); nothing if that connection has closed meanwhile. Safe from any thread.
     */
    public void send(long handle, String text) {
        execute(() -> {
            WsConnection c = table.openWebSocket(handle);
            if (c != null) {
                staging.utf8(text);
                outbox.sendTo(c.id, true);
            }
        });
    }

    /**
     * Sends {@code data} to the WebSocket {@code handle} names; nothing if it has closed meanwhile.
     * Safe from any thread; the array must not change afterwards.
     */
    public void send(long handle, byte[] data, boolean text) {
        execute(() -> {
            WsConnection c = table.openWebSocket(handle);
            if (c != null) {
                staging.bytes(data);
                outbox.sendTo(c.id, text);
            }
        });
    }

    /** Sends {@code text} to every WebSocket. Safe from any thread. */
    public void broadcast(String text) {
        broadcast(Staging.ALL_CHANNELS, text);
    }

    /** Sends {@code text} to every WebSocket of {@code channel}. Safe from any thread. */
    public void broadcast(int channel, String text) {
        execute(() -> {
            staging.utf8(text);
            outbox.broadcast(channel, true);
        });
    }

    /** Sends {@code data} to every WebSocket of {@code channel}. Safe from any thread; the array must not change afterwards. */
    public void broadcast(int channel, byte[] data, boolean text) {
        execute(() -> {
            staging.bytes(data);
            outbox.broadcast(channel, text);
        });
    }

    /**
     * Closes the WebSocket {@code handle} names with status 1000
     * ({@link CloseReason#CLOSED_BY_APPLICATION}); nothing if it has closed meanwhile, even if its
     * slot serves a newer connection now. Safe from any thread.
     */
    public void closeWebSocket(long handle) {
        execute(() -> {
            WsConnection c = table.openWebSocket(handle);
            if (c != null) {
                c.startClose(CloseReason.CLOSED_BY_APPLICATION, CloseFrames.NORMAL);
            }
        });
    }

    /**
     * Closes the HTTP connection {@code handle} names now ({@link CloseReason#CLOSED_BY_APPLICATION});
     * nothing if it has closed meanwhile. Safe from any thread.
     */
    public void closeHttpConnection(long handle) {
        execute(() -> {
            HttpConnection c = table.openHttp(handle);
            if (c != null) {
                table.close(c, CloseReason.CLOSED_BY_APPLICATION);
            }
        });
    }

    /**
     * The handle of open WebSocket {@code wsId}: its id and the generation of its slot, so that
     * a handle kept past the connection's close never reaches the slot's next tenant. Returns
     * {@link #NO_HANDLE} if no WebSocket is open under that id. Loop thread only.
     */
    public long webSocketHandle(int wsId) {
        loop.checkInLoop("webSocketHandle");
        return table.webSocketHandle(wsId);
    }

    /** The handle of open HTTP connection {@code connectionId}, or {@link #NO_HANDLE}. Loop thread only. */
    public long httpConnectionHandle(int connectionId) {
        loop.checkInLoop("httpConnectionHandle");
        return table.httpHandle(connectionId);
    }

    /**
     * A description of every open connection, taken on the loop thread.
     * Safe from any thread; for monitoring, not for hot paths (it allocates).
     */
    public CompletableFuture<List<ConnectionSnapshot>> connections() {
        CompletableFuture<List<ConnectionSnapshot>> result = new CompletableFuture<>();
        if (!running) {
            result.complete(List.of());
            return result;
        }
        execute(() -> result.complete(table.snapshot()));
        return result;
    }

    /**
     * One line describing the slot {@code id} of the {@code type} pool as the loop sees it, for
     * diagnosing a connection that seems stuck; package-private, for tests. Any thread.
     */
    CompletableFuture<String> describe(ConnectionType type, int id) {
        CompletableFuture<String> result = new CompletableFuture<>();
        execute(() -> result.complete(type == ConnectionType.WEBSOCKET ? table.ws(id).describe()
                : table.http(id).describe()));
        return result;
    }

    // ---- loop-thread API ----

    /** The zero-copy staging API. Loop thread only. */
    public Staging staging() {
        return staging;
    }

    /**
     * The deferred response for {@code token} (from {@link HttpResponse#defer()}),
     * or null when that connection has closed since. Loop thread only.
     */
    public HttpResponse deferredResponse(long token) {
        loop.checkInLoop("deferredResponse");
        HttpConnection c = table.openHttp(token);
        return c != null && c.state() == HttpConnection.State.DEFERRED ? c.response() : null;
    }

    // ---- accessors ----

    /** The configuration the server was built with. */
    public ServerConfig configuration() {
        return config;
    }

    /** Live counters, readable from any thread. */
    public ServerCounters counters() {
        return counters;
    }

    /** Bytes of every buffer, array and slot object allocated from the configuration: {@link ServerConfig#footprint()}. */
    public long footprint() {
        return footprint;
    }

    /**
     * The most kernel memory the send queues of this server's open connections may hold, both
     * pools full: {@link ServerConfig#socketSendBuffer()} as the OS grants it, per connection. Kernel
     * memory, so never part of {@link #footprint()}.
     */
    public long kernelSendBufferLimit() {
        return KernelSendBuffers.limit(config);
    }
}
