package dev.ringhttp.core;

import dev.ringhttp.core.ws.CloseFrames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A fixed-memory HTTP/1.1 and WebSocket server driven by one event loop or several: the public
 * face of the parts below, and their lifecycle.
 *
 * <h2>Memory</h2>
 * Every buffer is allocated in the constructor from the {@link ServerConfig}:
 * per HTTP slot a request buffer and a response-head buffer, per WebSocket
 * slot a receive buffer, a control-frame area and a frame queue, and per
 * loop one outgoing ring shared by its connections. {@link #footprint()} is their size, computed
 * once from the configuration ({@link ServerConfig#footprint()}).
 * Nothing grows afterwards; in steady state the loop allocates nothing per
 * request or per frame.
 *
 * <h2>Parts, one owner each</h2>
 * Each loop ({@link ServerLoop}) owns one set of these, for its share of the connections:
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
 * One thread owns all state of a loop: the thread calling {@link #poll(long)} (one loop only), or
 * the loop's thread from {@link #start()}. Other threads reach a loop only through
 * {@link #execute(Runnable)} and the conveniences built on it ({@link #send}, {@link #broadcast},
 * {@link #closeWebSocket}), which find the loop that owns a connection from its handle. The
 * staging API ({@link #staging()}) and {@link #deferredResponse(long)} are loop-thread only and
 * throw when misused. {@link #counters()} is readable from anywhere.
 *
 * <h2>Several loops</h2>
 * With {@link ServerConfig#eventLoops()} above 1, each loop listens on a socket of its own bound to
 * the same port with {@code SO_REUSEPORT}, so the kernel spreads new connections over the loops;
 * where the OS lacks it, the first loop accepts and deals connections round-robin. A connection
 * stays on the loop that accepted it, and its handlers run there only. Ids stay unique in the
 * server ({@link LoopShares}); handles carry their loop ({@link #loopOf(long)}). A broadcast is
 * handed to every loop and stored once in each ring; one thread's messages keep their order at
 * every receiver. Handlers shared between loops are called from several threads at once.
 */
public final class RingHttpServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RingHttpServer.class.getName());
    private static final long LOOP_POLL_MILLIS = 1000;
    private static final int ACCEPT_BACKLOG = 1024;
    /** How {@link #start()} ends the message of a failure to bind the management listener. */
    public static final String MANAGEMENT_LISTENER = "(management port)";

    /** What the handle look-ups return for a connection that is not open. */
    public static final long NO_HANDLE = -1;

    /** For tests: accept on one loop and deal connections out, as where the OS has no {@code SO_REUSEPORT}. */
    static volatile boolean dealConnections;

    private final ServerConfig config;
    private final ServerLoop[] loops;
    private final ServerCounters counters;
    private final long footprint;
    /** Told when a loop thread dies ({@link #onLoopFailure}); added from any thread, read by the dying loop. */
    private final ConcurrentLinkedQueue<Consumer<? super Throwable>> loopFailureListeners =
            new ConcurrentLinkedQueue<>();
    /** Set by the first loop to die, which then stops the others and tells the listeners. */
    private final AtomicBoolean failing = new AtomicBoolean();

    private volatile InetSocketAddress boundAddress;
    private volatile InetSocketAddress boundManagementAddress;
    /** What {@link #listen()} binds (or last bound), for {@link #start()}'s message when it fails. */
    private String binding;
    /** The loops' threads from {@link #start()}, or null when not started or poll-driven. */
    private Thread[] threads;
    private volatile Throwable failure;
    private volatile boolean running;
    private boolean closed;

    private RingHttpServer(ServerConfig config, HttpHandler httpHandler, WebSocketHandler wsHandler, BufferArena arena) {
        this.config = config;
        int n = config.eventLoops();
        this.loops = new ServerLoop[n];
        LoopPeers peers = n == 1 ? null : new Peers();
        LoopCounters[] parts = new LoopCounters[n];
        for (int k = 0; k < n; k++) {
            loops[k] = new ServerLoop(k, config.loopShare(k), httpHandler, wsHandler, arena,
                    LoopShares.base(config.maxConnections(), n, k), LoopShares.base(config.maxWsConnections(), n, k),
                    peers);
            parts[k] = loops[k].counters;
        }
        this.counters = new ServerCounters(parts);
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
     * Binds the listeners, and the management listener if the configuration has one
     * ({@link #managementAddress()} tells where). Called by {@link #start()} when needed; call it
     * directly when driving {@link #poll(long)} yourself. If any cannot be bound, none is.
     */
    public synchronized InetSocketAddress listen() throws IOException {
        if (loops[0].isListening()) {
            throw new IllegalStateException("already listening on " + boundAddress);
        }
        if (closed) {
            throw new IllegalStateException("the server is shut down; start() it again to listen anew");
        }
        int n = loops.length;
        boolean reusePort = n > 1 && !dealConnections && reusePortAvailable();
        ServerSocketChannel[] mains = new ServerSocketChannel[n];
        ServerSocketChannel m = null;
        try {
            for (ServerLoop l : loops) {
                l.open();
            }
            binding = describeBindAddress();
            if (reusePort && config.port() != 0) {
                // Sockets with SO_REUSEPORT share a port with anyone of the same user who sets it too: make
                // sure nobody holds it, so a port in use fails as it does with one loop.
                bind(config.address(), config.port(), false).close();
            }
            mains[0] = bind(config.address(), config.port(), reusePort);
            int port = ((InetSocketAddress) mains[0].getLocalAddress()).getPort();
            for (int k = 1; k < n && reusePort; k++) {
                mains[k] = bind(config.address(), port, true);
            }
            if (config.hasManagementPort()) {
                binding = describeManagementBindAddress();
                m = bind(managementBindAddress(), config.managementPort(), false);
            }
            for (int k = 0; k < n; k++) {
                loops[k].listenOn(mains[k], k == 0 ? m : null, k == 0 && n > 1 && !reusePort ? loops : null);
            }
        } catch (IOException | RuntimeException e) {
            for (ServerSocketChannel l : mains) {
                if (l != null) {
                    l.close();
                }
            }
            if (m != null) {
                m.close();
            }
            for (ServerLoop l : loops) {
                l.forgetSelector();
            }
            throw e;
        }
        boundAddress = (InetSocketAddress) mains[0].getLocalAddress();
        boundManagementAddress = m == null ? null : (InetSocketAddress) m.getLocalAddress();
        running = true;
        return boundAddress;
    }

    private static boolean reusePortAvailable() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }

    private static ServerSocketChannel bind(InetAddress address, int port, boolean reusePort) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
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
     * Listens if needed and runs each loop on a thread of its own until
     * {@link #close()}. Idempotent: starting a running server does nothing. A
     * server that was shut down, or whose loop died ({@link #onLoopFailure}),
     * can be started again: it listens anew with the same buffers (and
     * counters), as an application context that is stopped and restarted expects.
     *
     * @throws UncheckedIOException if a listener cannot be bound: its message names the address
     *     and port, and ends with {@value #MANAGEMENT_LISTENER} when it was the management listener
     */
    public synchronized void start() {
        if (threads != null && !closed) {
            if (failure == null) {
                return;
            }
            // A loop died (see onLoopFailure) and closed everything it could: start anew like after a shutdown,
            // once its thread has finished telling the listeners.
            if (isLoopThread(threads)) {
                throw new IllegalStateException("a loop failure listener cannot restart the server on a dying loop"
                        + " thread; hand the restart to another thread");
            }
            awaitDeath(threads);
            closed = true;
        }
        if (closed) {
            reopen();
        }
        if (!loops[0].isListening()) {
            try {
                listen();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + binding, e);
            }
        }
        int port = boundAddress.getPort();
        Thread[] started = new Thread[loops.length];
        for (int k = 0; k < loops.length; k++) {
            ServerLoop l = loops[k];
            started[k] = new Thread(() -> runLoop(l), loops.length == 1 ? "ringhttp-loop-" + port
                    : "ringhttp-loop-" + port + "-" + k);
            l.assign(started[k]);
        }
        threads = started;
        for (Thread t : started) {
            t.start();
        }
    }

    private static boolean isLoopThread(Thread[] loopThreads) {
        for (Thread t : loopThreads) {
            if (t == Thread.currentThread()) {
                return true;
            }
        }
        return false;
    }

    private static void awaitDeath(Thread[] loopThreads) {
        try {
            for (Thread t : loopThreads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the dead loop's threads finished", e);
        }
    }

    /** Forgets a finished shutdown so that the server can listen again. */
    private void reopen() {
        if (threads != null) {
            for (Thread previous : threads) {
                if (previous.isAlive()) {
                    throw new IllegalStateException("the previous loop thread has not finished shutting down");
                }
            }
        }
        for (ServerLoop l : loops) {
            l.reopen();
        }
        closed = false;
        threads = null;
        failure = null;
        failing.set(false);
        boundAddress = null;
        boundManagementAddress = null;
    }

    private String describeBindAddress() {
        return (config.address() == null ? "*" : config.address().getHostAddress()) + ":" + config.port();
    }

    private String describeManagementBindAddress() {
        InetAddress address = managementBindAddress();
        return (address == null ? "*" : address.getHostAddress()) + ":" + config.managementPort() + " "
                + MANAGEMENT_LISTENER;
    }

    private void runLoop(ServerLoop l) {
        try {
            while (true) {
                if (l.abort) {
                    l.closeEverything(CloseReason.INTERNAL_ERROR);
                    return;
                }
                long grace = l.shutdownGraceNanos;
                if (grace >= 0) {
                    l.runShutdown(grace);
                    return;
                }
                l.poll(LOOP_POLL_MILLIS);
            }
        } catch (Throwable t) {
            loopDied(l, t);
        } finally {
            running = false;
        }
    }

    /**
     * A loop thread died: close what it owns, and, if it is the first to die, stop every other loop
     * (closing their connections with {@link CloseReason#INTERNAL_ERROR}), wait for them, then tell the
     * listeners. A server with a loop gone would accept on the others and look alive while part of it is dead.
     */
    private void loopDied(ServerLoop l, Throwable t) {
        boolean first = failing.compareAndSet(false, true);
        if (first) {
            failure = t;
        }
        LOG.log(System.Logger.Level.ERROR, loops.length == 1 ? "ringhttp event loop died"
                : "ringhttp event loop " + l.index + " died", t);
        try {
            l.closeEverything(CloseReason.INTERNAL_ERROR);
        } catch (Throwable cleanup) {
            // Out of memory, or the selector itself broken: the listening socket is closed first, so the
            // port is closed even when closing the connections fails; the listeners must still be told.
            LOG.log(System.Logger.Level.ERROR, "closing connections after the loop died failed", cleanup);
        }
        if (!first) {
            return;
        }
        for (ServerLoop other : loops) {
            if (other != l) {
                other.abort = true;
                other.wakeup();
            }
        }
        Thread[] all = threads;
        if (all != null) {
            for (Thread other : all) {
                if (other != Thread.currentThread()) {
                    joinQuietly(other);
                }
            }
        }
        // Listeners rely on this: by the time they run, nothing reports the server as alive.
        running = false;
        tellLoopFailureListeners(t);
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    /** Whether the server listens and its loops (if it has threads) are alive. */
    public boolean isRunning() {
        return running;
    }

    /** The exception that killed a loop thread (the first, if several died), or null. */
    public Throwable failure() {
        return failure;
    }

    /**
     * Adds a listener told when a loop thread of {@link #start()} dies of
     * an unexpected exception or error (out of memory, a broken selector),
     * so that the embedding application can stop or restart instead of
     * living on with its port closed. Each death calls every listener once,
     * in the order added, on the dying loop thread, after {@link #failure()}
     * returns the cause, {@link #isRunning()} is false and the listening
     * sockets and every connection of every loop are closed ({@link CloseReason#INTERNAL_ERROR};
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
     * before, and when the configuration has no {@link ServerConfig#managementPort()}. The first loop
     * serves it.
     */
    public InetSocketAddress managementAddress() {
        return boundManagementAddress;
    }

    /**
     * Stops gracefully: stops accepting, sends every WebSocket a close frame
     * with 1001, closes idle HTTP connections, lets responses in flight
     * finish for up to {@code grace}, then closes what is left. Every
     * connection is reported closed with {@link CloseReason#SERVER_SHUTDOWN}.
     * Every loop shuts down at once. Idempotent. With loop threads, waits for
     * them; without, call it on the polling thread.
     */
    public void shutdown(Duration grace) {
        long graceNanos = Math.max(0, grace.toNanos());
        Thread[] ts;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (threads == null && loops.length == 1 && loops[0].isListening()) {
                // Poll-driven: only the polling thread may run the shutdown; refuse before marking closed.
                loops[0].loop.checkInLoop("shutdown");
            }
            closed = true;
            ts = threads;
        }
        if (ts == null) {
            if (loops.length == 1 && loops[0].isListening()) {
                loops[0].runShutdown(graceNanos);
            } else if (loops[0].isListening()) {
                // Several loops listened but were never started: no thread owns them and no connection was taken.
                for (ServerLoop l : loops) {
                    l.closeEverything(CloseReason.SERVER_SHUTDOWN);
                }
            }
            running = false;
            return;
        }
        for (ServerLoop l : loops) {
            l.shutdownGraceNanos = graceNanos;
            l.wakeup();
        }
        if (isLoopThread(ts)) {
            // Called by a handler or task: each loop runs its shutdown once its turn ends; joining would wait on itself.
            return;
        }
        long deadline = System.nanoTime() + Duration.ofNanos(graceNanos).plusSeconds(5).toNanos();
        try {
            for (Thread t : ts) {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #shutdown(Duration)} with no grace period. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    // ---- the loop ----

    /**
     * One turn of the loop: runs queued tasks, waits up to
     * {@code timeoutMillis} (0: not at all) for socket events, services them
     * (at most {@link ServerConfig#maxConnectionsPerPoll()} connections,
     * starting where the previous call stopped), runs tasks again, expires
     * clocks and writes queued WebSocket frames. Returns the number of
     * connections serviced. For a server with one loop: with several, {@link #start()} runs them.
     */
    public int poll(long timeoutMillis) {
        if (loops.length > 1) {
            throw new IllegalStateException("a server with " + loops.length
                    + " event loops runs them on threads of its own: call start(), not poll()");
        }
        return loops[0].poll(timeoutMillis);
    }

    // ---- cross-thread hand-over ----

    /**
     * Runs {@code task} on a loop thread, soon: on the caller's own loop when called from one, else on
     * the first loop. Safe from any thread.
     */
    public void execute(Runnable task) {
        ServerLoop current = currentServerLoop();
        (current != null ? current : loops[0]).execute(task);
    }

    /** Runs {@code task} on loop {@code loop} ({@code 0 <= loop < }{@link #eventLoops()}), soon. Safe from any thread. */
    public void execute(int loop, Runnable task) {
        if (loop < 0 || loop >= loops.length) {
            throw new IllegalArgumentException("loop " + loop + " is not one of the server's " + loops.length);
        }
        loops[loop].execute(task);
    }

    /**
     * Sends {@code text} as a text message to the WebSocket {@code handle} names (see
     * {@link #webSocketHandle}); nothing if that connection has closed meanwhile. Safe from any thread.
     */
    public void send(long handle, String text) {
        ServerLoop l = owner(handle);
        if (l == null) {
            return;
        }
        l.execute(() -> {
            WsConnection c = l.table.openWebSocket(handle);
            if (c != null) {
                l.staging.utf8(text);
                l.outbox.sendTo(c.id, true);
            }
        });
    }

    /**
     * Sends {@code data} to the WebSocket {@code handle} names; nothing if it has closed meanwhile.
     * Safe from any thread; the array must not change afterwards.
     */
    public void send(long handle, byte[] data, boolean text) {
        ServerLoop l = owner(handle);
        if (l == null) {
            return;
        }
        l.execute(() -> {
            WsConnection c = l.table.openWebSocket(handle);
            if (c != null) {
                l.staging.bytes(data);
                l.outbox.sendTo(c.id, text);
            }
        });
    }

    /** Sends {@code text} to every WebSocket. Safe from any thread. */
    public void broadcast(String text) {
        broadcast(Staging.ALL_CHANNELS, text);
    }

    /**
     * Sends {@code text} to every WebSocket of {@code channel}, on every loop. Safe from any thread.
     * Counted once, as a broadcast of the first loop.
     */
    public void broadcast(int channel, String text) {
        for (ServerLoop l : loops) {
            l.execute(() -> {
                l.staging.utf8(text);
                l.outbox.broadcast(channel, true, l.index == 0);
            });
        }
    }

    /** Sends {@code data} to every WebSocket of {@code channel}. Safe from any thread; the array must not change afterwards. */
    public void broadcast(int channel, byte[] data, boolean text) {
        for (ServerLoop l : loops) {
            l.execute(() -> {
                l.staging.bytes(data);
                l.outbox.broadcast(channel, text, l.index == 0);
            });
        }
    }

    /**
     * Closes the WebSocket {@code handle} names with status 1000
     * ({@link CloseReason#CLOSED_BY_APPLICATION}); nothing if it has closed meanwhile, even if its
     * slot serves a newer connection now. Safe from any thread.
     */
    public void closeWebSocket(long handle) {
        ServerLoop l = owner(handle);
        if (l == null) {
            return;
        }
        l.execute(() -> {
            WsConnection c = l.table.openWebSocket(handle);
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
        ServerLoop l = owner(handle);
        if (l == null) {
            return;
        }
        l.execute(() -> {
            HttpConnection c = l.table.openHttp(handle);
            if (c != null) {
                l.table.close(c, CloseReason.CLOSED_BY_APPLICATION);
            }
        });
    }

    /**
     * The handle of open WebSocket {@code wsId}: its id, its loop and the generation of its slot, so
     * that a handle kept past the connection's close never reaches the slot's next tenant. Returns
     * {@link #NO_HANDLE} if no WebSocket is open under that id. On the loop thread that owns
     * {@code wsId} only ({@link #loopOfWebSocket}).
     */
    public long webSocketHandle(int wsId) {
        ServerLoop l = wsId >= 0 && wsId < config.maxWsConnections() ? loops[loopOfWebSocket(wsId)] : anyLoop();
        l.loop.checkInLoop("webSocketHandle");
        return l.table.webSocketHandle(wsId);
    }

    /**
     * The handle of open HTTP connection {@code connectionId}, or {@link #NO_HANDLE}. On the loop
     * thread that owns it only ({@link #loopOfHttpConnection}).
     */
    public long httpConnectionHandle(int connectionId) {
        ServerLoop l = connectionId >= 0 && connectionId < config.maxConnections()
                ? loops[loopOfHttpConnection(connectionId)] : anyLoop();
        l.loop.checkInLoop("httpConnectionHandle");
        return l.table.httpHandle(connectionId);
    }

    /**
     * A description of every open connection, taken on each loop's thread.
     * Safe from any thread; for monitoring, not for hot paths (it allocates).
     */
    public CompletableFuture<List<ConnectionSnapshot>> connections() {
        if (!running) {
            return CompletableFuture.completedFuture(List.of());
        }
        List<CompletableFuture<List<ConnectionSnapshot>>> parts = new ArrayList<>(loops.length);
        for (ServerLoop l : loops) {
            CompletableFuture<List<ConnectionSnapshot>> part = new CompletableFuture<>();
            l.execute(() -> part.complete(l.table.snapshot()));
            parts.add(part);
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<ConnectionSnapshot> all = new ArrayList<>();
            for (CompletableFuture<List<ConnectionSnapshot>> part : parts) {
                all.addAll(part.join());
            }
            all.sort((a, b) -> a.type() != b.type() ? a.type().compareTo(b.type()) : Integer.compare(a.id(), b.id()));
            return all;
        });
    }

    /**
     * One line describing the connection {@code id} of the {@code type} pool as its loop sees it, for
     * diagnosing a connection that seems stuck; package-private, for tests. Any thread.
     */
    CompletableFuture<String> describe(ConnectionType type, int id) {
        CompletableFuture<String> result = new CompletableFuture<>();
        boolean ws = type == ConnectionType.WEBSOCKET;
        ServerLoop l = loops[ws ? loopOfWebSocket(id) : loopOfHttpConnection(id)];
        int slot = id - l.table.serverId(type, 0);
        l.execute(() -> result.complete(ws ? l.table.ws(slot).describe() : l.table.http(slot).describe()));
        return result;
    }

    // ---- loops ----

    /** How many event loops the server runs: {@link ServerConfig#eventLoops()}. */
    public int eventLoops() {
        return loops.length;
    }

    /** Loop {@code k}'s parts; package-private, for tests that break a loop on purpose. */
    ServerLoop loop(int k) {
        return loops[k];
    }

    /** The loop that owns the connection {@code handle} names (any handle this server gave out). */
    public static int loopOf(long handle) {
        return Handles.loop(handle);
    }

    /** The loop that owns WebSocket id {@code wsId}, {@code 0 <= wsId < maxWsConnections}. */
    public int loopOfWebSocket(int wsId) {
        return LoopShares.owner(config.maxWsConnections(), loops.length, checkId(wsId, config.maxWsConnections()));
    }

    /** The loop that owns HTTP connection id {@code connectionId}, {@code 0 <= connectionId < maxConnections}. */
    public int loopOfHttpConnection(int connectionId) {
        return LoopShares.owner(config.maxConnections(), loops.length, checkId(connectionId, config.maxConnections()));
    }

    private static int checkId(int id, int total) {
        if (id < 0 || id >= total) {
            throw new IllegalArgumentException("id " + id + " is outside [0, " + total + ")");
        }
        return id;
    }

    /** The index of the loop whose thread calls this, or -1 on any other thread. */
    public int currentLoop() {
        ServerLoop l = currentServerLoop();
        return l == null ? -1 : l.index;
    }

    private ServerLoop currentServerLoop() {
        for (ServerLoop l : loops) {
            if (l.inLoop()) {
                return l;
            }
        }
        return null;
    }

    /** The caller's loop, else the first: for checks that then name the right owner in their message. */
    private ServerLoop anyLoop() {
        ServerLoop current = currentServerLoop();
        return current != null ? current : loops[0];
    }

    /** The loop a handle names, or null for a handle no loop of this server gave out. */
    private ServerLoop owner(long handle) {
        int loop = Handles.loop(handle);
        return handle == NO_HANDLE || loop >= loops.length ? null : loops[loop];
    }

    /** Broadcasts and sends that a loop's handlers stage, carried to the other loops. */
    private final class Peers implements LoopPeers {

        @Override
        public void broadcast(int fromLoop, int channel, byte[] message, boolean text) {
            for (ServerLoop l : loops) {
                if (l.index != fromLoop) {
                    l.execute(() -> {
                        l.staging.bytes(message);
                        l.outbox.broadcast(channel, text, false);
                    });
                }
            }
        }

        @Override
        public void sendTo(int serverWsId, byte[] message, boolean text) {
            if (serverWsId < 0 || serverWsId >= config.maxWsConnections()) {
                return;
            }
            ServerLoop l = loops[loopOfWebSocket(serverWsId)];
            l.execute(() -> {
                int slot = l.table.wsSlot(serverWsId);
                if (l.table.openWebSocket(slot) != null) {
                    l.staging.bytes(message);
                    l.outbox.sendTo(slot, text);
                }
            });
        }
    }

    // ---- loop-thread API ----

    /** The zero-copy staging API of the caller's loop. Loop thread only. */
    public Staging staging() {
        return anyLoop().staging;
    }

    /**
     * The deferred response for {@code token} (from {@link HttpResponse#defer()}),
     * or null when that connection has closed since. On the thread of the loop that owns it
     * ({@link #loopOf(long)}) only.
     */
    public HttpResponse deferredResponse(long token) {
        ServerLoop l = owner(token);
        (l != null ? l : anyLoop()).loop.checkInLoop("deferredResponse");
        HttpConnection c = l == null ? null : l.table.openHttp(token);
        return c != null && c.state() == HttpConnection.State.DEFERRED ? c.response() : null;
    }

    // ---- accessors ----

    /** The configuration the server was built with. */
    public ServerConfig configuration() {
        return config;
    }

    /** Live counters, the sum over every loop, readable from any thread. */
    public ServerCounters counters() {
        return counters;
    }

    /**
     * Bytes of every buffer, array and slot object allocated from the configuration, over every loop:
     * {@link ServerConfig#footprint()}.
     */
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
