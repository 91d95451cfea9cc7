package dev.ringhttp.core;

import dev.ringhttp.core.http.HeadWriter;
import dev.ringhttp.core.http.HttpDate;
import dev.ringhttp.core.http.HttpStatus;
import dev.ringhttp.core.ring.Evictor;
import dev.ringhttp.core.ring.OffsetHeap;
import dev.ringhttp.core.ring.OutgoingRing;
import dev.ringhttp.core.ws.CloseFrames;
import dev.ringhttp.core.ws.ServerFrames;
import dev.ringhttp.core.ws.WebSocketHandshake;
import dev.ringhttp.core.ws.ZstdCompressor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A fixed-memory HTTP/1.1 and WebSocket server driven by one event loop.
 *
 * <h2>Memory</h2>
 * Every buffer is allocated in the constructor from the {@link ServerConfig}:
 * per HTTP slot a request buffer and a response-head buffer, per WebSocket
 * slot a receive buffer, a control-frame area and a frame queue, and one
 * outgoing ring shared by all. {@link #footprint()} is their exact size.
 * Nothing grows afterwards; in steady state the loop allocates nothing per
 * request or per frame.
 *
 * <h2>The loop and its connections</h2>
 * One thread owns all state: the thread calling {@link #poll(long)}, or the
 * loop thread of {@link #start()}. Each poll runs queued tasks, selects, then
 * services ready connections: accepting on the listener, reading and
 * answering requests on HTTP connections ({@link HttpConnection} describes
 * their states), reading frames and writing queued frames on WebSocket
 * connections ({@link WsConnection}). WebSocket frames queued during the turn
 * are written at its end, several frames per vectored write.
 *
 * <p>Connections live in two fixed pools with ids in {@code [0, max)}. A
 * connection with ring bytes still to send sits in an eviction order (a
 * min-heap per pool keyed by the ring offset of its oldest pending byte).
 * When staging is about to overwrite ring bytes, exactly the connections
 * whose pending offset is below the overwritten range are closed as too slow;
 * when a pool is full, the connection with the oldest pending body (else the
 * next in round-robin order) is evicted to make room.
 *
 * <p>Every close goes through {@link #closeHttp} or {@link #closeWs}: release
 * the slot, leave the eviction order, count the reason, tell the handler. The
 * handler is told at once, unless the loop is staging or handing off: then
 * the notice waits in {@link CloseNotices} until the stage is free, so that
 * application code never runs inside a hand-off.
 *
 * <h2>Safe points</h2>
 * Application code (handlers, callbacks, tasks) runs only where the stage is
 * empty and no hand-off is in progress. After each piece of it the loop
 * {@link #settle settles}: staged bytes never handed off are dropped and held
 * close notices delivered. Deferred responses completed by application code
 * are written after it returns ({@link #runCompletions}), so no handler ever
 * runs inside another's staging.
 *
 * <h2>Threads</h2>
 * Other threads reach the loop only through {@link #execute(Runnable)} (a
 * lock-free queue plus a selector wake-up) and the conveniences built on it
 * ({@link #send}, {@link #broadcast}, {@link #closeWebSocket}). The staging
 * API ({@link #staging()}) and {@link #deferredResponse(long)} are
 * loop-thread only and throw when misused. {@link #counters()} is readable
 * from anywhere.
 */
public final class RingHttpServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RingHttpServer.class.getName());
    private static final long LOOP_POLL_MILLIS = 1000;
    private static final long SHUTDOWN_POLL_MILLIS = 10;
    private static final int MAX_TASKS_PER_TURN = 4096;
    private static final int ACCEPT_BACKLOG = 1024;
    private static final Object ACCEPT = new Object();

    /** What the handle look-ups return for a connection that is not open. */
    public static final long NO_HANDLE = -1;

    private final ServerConfig config;
    private final HttpHandler httpHandler;
    private final WebSocketHandler wsHandler;
    private final ServerCounters counters = new ServerCounters();
    private final OutgoingRing ring;
    private final Staging staging;
    private final OffsetHeap httpPending;
    private final OffsetHeap wsPending;
    private final SlotPool httpPool;
    private final SlotPool wsPool;
    private final HttpConnection[] http;
    private final WsConnection[] ws;
    private final InetSocketAddress[] httpRemote;
    private final InetSocketAddress[] wsRemote;
    private final HeadWriter headWriter = new HeadWriter();
    private final HttpDate date = new HttpDate();
    private final WebSocketHandshake handshake = new WebSocketHandshake();
    private ZstdCompressor compressor;
    private final WriteScratch writeScratch;
    private final int[] dirty;
    private final Deadlines deadlines;
    private final CloseNotices closeNotices;
    private final IdQueue completions;
    private final byte[][] errorBodies = new byte[600][];
    private final ByteBuffer[] errorBodyBuffers = new ByteBuffer[600];
    private final long footprint;

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupRequested = new AtomicBoolean();
    /** Tasks ever queued (any thread) and run (loop thread): their difference is what a turn runs. */
    private final AtomicLong tasksQueued = new AtomicLong();
    private long tasksRun;
    private final Consumer<SelectionKey> collector = this::collect;

    private Selector selector;
    private ServerSocketChannel listener;
    private SelectionKey listenKey;
    private volatile InetSocketAddress boundAddress;
    private volatile Thread loopThread;
    private Thread ownThread;
    private volatile long shutdownGraceNanos = -1;
    private volatile Throwable failure;
    private volatile boolean running;
    private boolean shuttingDown;
    private boolean closed;

    /** Milliseconds of the monotonic clock, read once per loop turn; timeouts are measured against it. */
    private long clock = System.nanoTime() / 1_000_000;

    private SelectionKey[] ready;
    private int readyCount;
    private int roundRobinStart;
    private int dirtyCount;
    private int compressClients;
    /** Hand-offs and ring evictions in progress; while above 0, close callbacks are held back. */
    private int busy;
    private boolean deliveringNotices;
    private boolean runningCompletions;
    /** Bytes of the zstd copy the last {@link #handOff} made right after the plain one; 0 if none. */
    private int compressedLength;

    private RingHttpServer(ServerConfig config, HttpHandler httpHandler, WebSocketHandler wsHandler) {
        this.config = config;
        this.httpHandler = httpHandler;
        this.wsHandler = wsHandler;
        long bytes = 0;

        this.ring = new OutgoingRing(config.outgoingBufferSize(), new RingEvictor());
        bytes += config.outgoingBufferSize();
        this.staging = new Staging(this, ring);
        this.httpPending = new OffsetHeap(config.maxConnections());
        this.wsPending = new OffsetHeap(config.maxWsConnections());
        bytes += httpPending.footprintBytes() + wsPending.footprintBytes();
        this.httpPool = new SlotPool(config.maxConnections());
        this.wsPool = new SlotPool(config.maxWsConnections());
        bytes += (long) SlotPool.BYTES_PER_SLOT * (config.maxConnections() + config.maxWsConnections());

        this.http = new HttpConnection[config.maxConnections()];
        for (int i = 0; i < http.length; i++) {
            http[i] = new HttpConnection(i, this,
                    ByteBuffer.allocateDirect(config.maxRequestLength()),
                    ByteBuffer.allocateDirect(config.responseHeaderBufferSize()),
                    ring.buffer().duplicate());
        }
        bytes += (long) http.length * (config.maxRequestLength() + config.responseHeaderBufferSize()
                + (long) config.maxHeaderCount() * ServerConfig.HEADER_INDEX_BYTES);

        this.ws = new WsConnection[config.maxWsConnections()];
        for (int i = 0; i < ws.length; i++) {
            ws[i] = new WsConnection(i, this,
                    ByteBuffer.allocateDirect(config.wsReceiveBufferSize()),
                    ByteBuffer.allocateDirect(ServerConfig.WS_CONTROL_BUFFER_SIZE));
        }
        bytes += (long) ws.length * (config.wsReceiveBufferSize() + ServerConfig.WS_CONTROL_BUFFER_SIZE
                + (long) config.maxWsSendFrames() * ServerConfig.WS_FRAME_ENTRY_BYTES);
        this.httpRemote = new InetSocketAddress[config.maxConnections()];
        this.wsRemote = new InetSocketAddress[config.maxWsConnections()];
        this.dirty = new int[config.maxWsConnections()];
        bytes += (long) Integer.BYTES * dirty.length;
        this.deadlines = new Deadlines(config.maxConnections() + config.maxWsConnections(), Deadlines.LISTS);
        bytes += (long) Deadlines.BYTES_PER_ID * (config.maxConnections() + config.maxWsConnections())
                + Deadlines.FIXED_BYTES;

        this.closeNotices = new CloseNotices(config.maxConnections() + config.maxWsConnections());
        this.completions = new IdQueue(config.maxConnections());
        bytes += (long) CloseNotices.BYTES_PER_NOTICE * (config.maxConnections() + config.maxWsConnections())
                + (long) Integer.BYTES * config.maxConnections();

        this.writeScratch = new WriteScratch(ring.buffer());
        bytes += (long) ServerConfig.MAX_GATHERED_FRAMES * ServerConfig.MAX_FRAME_HEADER;
        this.compressor = config.compressWebSocket() ? new ZstdCompressor() : null;
        this.footprint = bytes;

        for (CloseReason reason : CloseReason.values()) {
            prepareErrorBody(reason.httpStatus());
        }
        prepareErrorBody(500);
    }

    /**
     * Builds a server; every buffer is allocated here.
     *
     * @throws InvalidConfigurationException (parameter {@code footprint}) if the direct buffers
     *     the configuration sizes do not fit the JVM's direct memory ({@code -XX:MaxDirectMemorySize}),
     *     checked before anything is allocated
     */
    public static RingHttpServer create(ServerConfig config, HttpHandler httpHandler, WebSocketHandler wsHandler) {
        if (config == null || httpHandler == null || wsHandler == null) {
            throw new IllegalArgumentException("config, httpHandler and wsHandler are required");
        }
        DirectMemoryLimit.check(config);
        try {
            return new RingHttpServer(config, httpHandler, wsHandler);
        } catch (OutOfMemoryError e) {
            // The check compares with the limit alone; what others hold may still leave too little.
            InvalidConfigurationException explained = DirectMemoryLimit.exhausted(config, e);
            if (explained != null) {
                throw explained;
            }
            throw e;
        }
    }

    private void prepareErrorBody(int status) {
        if (status != 0 && errorBodies[status] == null) {
            byte[] text = (HttpStatus.reasonPhrase(status) + "\n").getBytes(StandardCharsets.US_ASCII);
            errorBodies[status] = text;
            ByteBuffer buffer = ByteBuffer.allocateDirect(text.length);
            buffer.put(text).flip();
            errorBodyBuffers[status] = buffer;
        }
    }

    // ---- lifecycle ----

    /**
     * Binds the listener. Called by {@link #start()} when needed; call it
     * directly when driving {@link #poll(long)} yourself.
     */
    public synchronized InetSocketAddress listen() throws IOException {
        if (selector != null) {
            throw new IllegalStateException("already listening on " + boundAddress);
        }
        if (closed) {
            throw new IllegalStateException("the server is shut down; start() it again to listen anew");
        }
        Selector s = Selector.open();
        ServerSocketChannel l = ServerSocketChannel.open();
        try {
            l.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            InetSocketAddress at = config.address() == null
                    ? new InetSocketAddress(config.port())
                    : new InetSocketAddress(config.address(), config.port());
            l.bind(at, ACCEPT_BACKLOG);
            l.configureBlocking(false);
            listenKey = l.register(s, SelectionKey.OP_ACCEPT, ACCEPT);
        } catch (IOException | RuntimeException e) {
            l.close();
            s.close();
            throw e;
        }
        ready = new SelectionKey[config.maxConnections() + config.maxWsConnections() + 1];
        selector = s;
        listener = l;
        boundAddress = (InetSocketAddress) l.getLocalAddress();
        running = true;
        return boundAddress;
    }

    /**
     * Listens if needed and runs the loop on a thread of its own until
     * {@link #close()}. A server that was shut down can be started again: it
     * listens anew with the same buffers (and counters), as an application
     * context that is stopped and restarted expects.
     */
    public synchronized void start() {
        if (ownThread != null && !closed) {
            throw new IllegalStateException("already started");
        }
        if (closed) {
            reopen();
        }
        if (selector == null) {
            try {
                listen();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + describeBindAddress(), e);
            }
        }
        Thread t = new Thread(this::runLoop, "ringhttp-loop-" + boundAddress.getPort());
        ownThread = t;
        loopThread = t;
        t.start();
    }

    /** Forgets a finished shutdown so that the server can listen again. */
    private void reopen() {
        Thread previous = ownThread;
        if (previous != null && previous.isAlive()) {
            throw new IllegalStateException("the previous loop thread has not finished shutting down");
        }
        if (httpPool.activeCount() + wsPool.activeCount() != 0) {
            throw new IllegalStateException("connections are still open after shutdown");
        }
        closed = false;
        ownThread = null;
        loopThread = null;
        shutdownGraceNanos = -1;
        shuttingDown = false;
        failure = null;
        selector = null;
        listener = null;
        boundAddress = null;
        tasks.clear();
        tasksRun = tasksQueued.get();
        if (config.compressWebSocket()) {
            compressor = new ZstdCompressor();
        }
    }

    private String describeBindAddress() {
        return (config.address() == null ? "*" : config.address().getHostAddress()) + ":" + config.port();
    }

    /** Told when the loop thread dies ({@link #onLoopFailure}); added from any thread, read by the dying loop. */
    private final ConcurrentLinkedQueue<Consumer<? super Throwable>> loopFailureListeners =
            new ConcurrentLinkedQueue<>();

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
            if (ownThread == null && selector != null) {
                // Poll-driven: only the polling thread may run the shutdown; refuse before marking closed.
                checkLoopThread("shutdown");
            }
            closed = true;
            t = ownThread;
        }
        if (t == null) {
            if (selector != null) {
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
        wakeup();
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
        beginShutdown();
        while (httpPool.activeCount() + wsPool.activeCount() > 0 && System.nanoTime() - deadline < 0) {
            poll(SHUTDOWN_POLL_MILLIS);
        }
        closeEverything(CloseReason.SERVER_SHUTDOWN);
    }

    private void beginShutdown() {
        shuttingDown = true;
        runTasks();
        closeListener();
        for (int i = wsPool.activeCount() - 1; i >= 0; i--) {
            ws[wsPool.activeAt(i)].fail(CloseReason.SERVER_SHUTDOWN);
        }
        for (int i = httpPool.activeCount() - 1; i >= 0; i--) {
            HttpConnection c = http[httpPool.activeAt(i)];
            if (c.isIdle()) {
                closeHttp(c, CloseReason.SERVER_SHUTDOWN);
            }
        }
    }

    private void closeListener() {
        if (listener != null) {
            listenKey.cancel();
            closeQuietly(listener);
            listener = null;
            // A registered channel really closes when the selector next deregisters it; do that now, so
            // no connection lands in the accept queue after shutdown began. Readiness seen here is
            // reported again by the next select (epoll is level-triggered), so ignoring it loses nothing.
            try {
                selector.selectNow(IGNORE_READY);
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                LOG.log(System.Logger.Level.DEBUG, "selectNow after closing the listener failed: " + e);
            }
        }
    }

    private static final Consumer<SelectionKey> IGNORE_READY = key -> { };

    private void closeEverything(CloseReason reason) {
        closeListener();
        for (int i = wsPool.activeCount() - 1; i >= 0; i--) {
            closeWs(ws[wsPool.activeAt(i)], reason);
        }
        for (int i = httpPool.activeCount() - 1; i >= 0; i--) {
            closeHttp(http[httpPool.activeAt(i)], reason);
        }
        if (selector != null) {
            closeQuietly(selector);
        }
        if (compressor != null) {
            compressor.close();
        }
        running = false;
    }

    boolean isShuttingDown() {
        return shuttingDown;
    }

    // ---- the loop ----

    /**
     * One turn of the loop: runs queued tasks, waits up to
     * {@code timeoutMillis} (0: not at all) for socket events, services them
     * (at most {@link ServerConfig#maxConnectionsPerPoll()} connections,
     * starting where the previous call stopped), runs tasks again and writes
     * queued WebSocket frames. Returns the number of connections serviced.
     */
    public int poll(long timeoutMillis) {
        claimLoopThread();
        if (selector == null) {
            throw new IllegalStateException("call listen() before poll()");
        }
        clock = System.nanoTime() / 1_000_000;
        runTasks();
        flushDirty();
        wakeupRequested.set(false);
        readyCount = 0;
        long wait = Math.min(timeoutMillis, millisToNextDeadline());
        try {
            if (wait <= 0 || !tasks.isEmpty()) {
                selector.selectNow(collector);
            } else {
                selector.select(collector, wait);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("selector failed", e);
        }
        clock = System.nanoTime() / 1_000_000;
        int serviced = serviceReady();
        runTasks();
        expireDeadlines();
        runCompletions();
        flushDirty();
        return serviced;
    }

    private void claimLoopThread() {
        Thread current = Thread.currentThread();
        Thread owner = loopThread;
        if (owner == null) {
            loopThread = current;
        } else if (owner != current) {
            throw new IllegalStateException("poll() must always be called from the same thread ("
                    + owner.getName() + "), not from " + current.getName());
        }
    }

    private void collect(SelectionKey key) {
        ready[readyCount++] = key;
    }

    private int serviceReady() {
        int n = readyCount;
        if (n == 0) {
            return 0;
        }
        int cap = config.maxConnectionsPerPoll();
        int limit = cap == 0 || cap >= n ? n : cap;
        // Level-triggered selection reports skipped connections again, so rotating the start keeps a cap fair.
        int start = roundRobinStart % n;
        roundRobinStart = start + limit;
        for (int i = 0; i < limit; i++) {
            int at = start + i;
            service(ready[at >= n ? at - n : at]);
        }
        Arrays.fill(ready, 0, n, null);
        return limit;
    }

    private void service(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        Object attachment = key.attachment();
        int ops = key.readyOps();
        try {
            if (attachment == ACCEPT) {
                accept();
            } else if (attachment instanceof HttpConnection) {
                ((HttpConnection) attachment).onReady(ops);
            } else if (attachment instanceof WsConnection) {
                ((WsConnection) attachment).onReady(ops);
            }
        } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
            closeAfterUnexpected(attachment, e);
        }
        settle();
        runCompletions();
    }

    /**
     * A server bug, or an Error that escaped a callback's own guard, costs the connection it
     * happened on, never the loop. Out of memory is not caught: the loop dies and says so.
     */
    private void closeAfterUnexpected(Object connection, Throwable e) {
        LOG.log(System.Logger.Level.ERROR, "unexpected error servicing a connection; closing it", e);
        settle();
        if (connection instanceof HttpConnection) {
            closeHttp((HttpConnection) connection, CloseReason.INTERNAL_ERROR);
        } else if (connection instanceof WsConnection) {
            closeWs((WsConnection) connection, CloseReason.INTERNAL_ERROR);
        }
    }

    private void accept() {
        while (listener != null) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "accept failed: " + e);
                return;
            }
            if (channel == null) {
                return;
            }
            counters.countAccepted();
            SelectionKey key = null;
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.setOption(StandardSocketOptions.SO_SNDBUF, config.socketSendBuffer());
                InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
                key = channel.register(selector, SelectionKey.OP_READ);
                if (httpPool.isFull()) {
                    evictHttpForNewConnection();
                }
                HttpConnection c = http[httpPool.acquire()];
                httpRemote[c.id] = remote;
                key.attach(c);
                c.open(channel, key, remote);
                counters.opened(ConnectionType.HTTP);
            } catch (IOException e) {
                if (key != null) {
                    key.cancel();
                }
                closeQuietly(channel);
            }
        }
    }

    private void evictHttpForNewConnection() {
        int victim = httpPending.isEmpty() ? httpPool.nextRoundRobin() : httpPending.minId();
        closeHttp(http[victim], CloseReason.EVICTED);
    }

    private void evictWsForUpgrade() {
        int victim = wsPending.isEmpty() ? wsPool.nextRoundRobin() : wsPending.minId();
        closeWs(ws[victim], CloseReason.EVICTED);
    }

    /**
     * Runs the tasks handed over before this call, not those they hand over
     * themselves: a task that re-queues itself (a broadcaster pacing itself)
     * runs once per turn, and sockets are serviced in between. Every task is
     * counted after it is queued, so the count read here never covers a task
     * that is not yet in the queue.
     */
    private void runTasks() {
        long due = Math.min(tasksQueued.get() - tasksRun, MAX_TASKS_PER_TURN);
        for (long i = 0; i < due; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            tasksRun++;
            try {
                task.run();
            } catch (Throwable t) {
                counters.handlerError();
                LOG.log(System.Logger.Level.ERROR, "task passed to execute() failed", t);
            }
            settle();
            runCompletions();
        }
    }

    /**
     * Ends a piece of application code (handler, callback, task): bytes it staged but never
     * handed off are dropped, so the stage is empty when the next one begins, and close
     * callbacks held back while it staged are delivered.
     */
    void settle() {
        if (ring.stageLength() != 0 || ring.inError()) {
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(System.Logger.Level.DEBUG, "dropping " + ring.stageLength() + " staged bytes never handed off");
            }
            ring.unstage();
        }
        deliverCloseNotices();
    }

    /** Whether a close callback would now run inside staging or a hand-off, where it must not. */
    private boolean holdsCloseCallbacks() {
        return busy > 0 || ring.stageLength() != 0 || ring.inError();
    }

    /**
     * Delivers the held close callbacks, oldest first, once nothing is being staged. Not
     * re-entrant: a callback that closes more connections adds notices this same loop delivers.
     */
    private void deliverCloseNotices() {
        if (deliveringNotices || closeNotices.isEmpty() || holdsCloseCallbacks()) {
            return;
        }
        deliveringNotices = true;
        try {
            while (!closeNotices.isEmpty() && !holdsCloseCallbacks()) {
                boolean webSocket = closeNotices.isWebSocket();
                int id = closeNotices.id();
                CloseReason reason = closeNotices.reason();
                closeNotices.remove();
                reportClose(webSocket, id, reason);
                if (ring.stageLength() != 0 || ring.inError()) {
                    ring.unstage();
                }
            }
        } finally {
            deliveringNotices = false;
        }
    }

    private void reportClose(boolean webSocket, int id, CloseReason reason) {
        try {
            if (webSocket) {
                wsHandler.onClose(id, reason);
            } else {
                httpHandler.onClose(id, reason);
            }
        } catch (Throwable t) {
            handlerFailed(t, (webSocket ? "WebSocket" : "HTTP") + " onClose for connection " + id);
        }
    }

    /** Queues a deferred response completed by application code; the loop writes it at its next safe point. */
    void scheduleCompletion(int connectionId) {
        completions.add(connectionId);
    }

    /**
     * Writes the deferred responses completed since the last call and answers what their
     * clients pipelined behind them. Runs only between pieces of application code, never
     * inside one, so a completion never runs a handler inside the code that completed it.
     */
    private void runCompletions() {
        if (runningCompletions) {
            return;
        }
        runningCompletions = true;
        try {
            while (!completions.isEmpty()) {
                HttpConnection c = http[completions.remove()];
                try {
                    c.writeCompleted();
                } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
                    closeAfterUnexpected(c, e);
                }
                settle();
            }
        } finally {
            runningCompletions = false;
        }
    }

    void markDirty(int wsId) {
        dirty[dirtyCount++] = wsId;
    }

    /**
     * Writes the queued frames of every connection marked since the last
     * flush. The marks form a stack holding exactly the ids whose dirty flag
     * is set, so it never outgrows the pool: a flush clears the flag after
     * popping, and a connection marked again during the loop (a close
     * callback that broadcasts) is pushed again and flushed in this same loop.
     */
    private void flushDirty() {
        while (dirtyCount > 0) {
            ws[dirty[--dirtyCount]].flushIfDirty();
        }
    }

    // ---- timeouts ----

    long clock() {
        return clock;
    }

    /** Starts (or restarts) HTTP connection {@code id}'s clock of the given kind. */
    void httpDeadline(int list, int id) {
        deadlines.append(list, id, clock);
    }

    boolean hasHttpDeadline(int list, int id) {
        return deadlines.in(list, id);
    }

    void clearHttpDeadline(int id) {
        deadlines.remove(id);
    }

    /** The WebSocket {@code id} was heard from: restart its silence clock. */
    void wsHeardFrom(int wsId) {
        deadlines.append(Deadlines.WS_PING, config.maxConnections() + wsId, clock);
    }

    /** WebSocket {@code wsId} sent its close frame and now lingers: start its linger clock. */
    void wsLingers(int wsId) {
        deadlines.append(Deadlines.LINGER, config.maxConnections() + wsId, clock);
    }

    void clearWsDeadline(int wsId) {
        deadlines.remove(config.maxConnections() + wsId);
    }

    /** Closes or pings, from the list heads, exactly the connections whose time is up. */
    private void expireDeadlines() {
        long requestTimeout = config.requestReadTimeoutMillis();
        long idleTimeout = config.idleTimeoutMillis();
        long wsTimeout = config.wsIdleTimeoutMillis();
        int id;
        while (requestTimeout > 0 && (id = due(Deadlines.HTTP_REQUEST, requestTimeout)) != Deadlines.NONE) {
            deadlines.remove(id);
            http[id].refuse(CloseReason.REQUEST_TIMEOUT);
        }
        while (idleTimeout > 0 && (id = due(Deadlines.HTTP_IDLE, idleTimeout)) != Deadlines.NONE) {
            deadlines.remove(id);
            closeHttp(http[id], CloseReason.IDLE_TIMEOUT);
        }
        while (wsTimeout > 0 && (id = due(Deadlines.WS_PING, wsTimeout / 2)) != Deadlines.NONE) {
            // Pinged in silence order, so the idle list stays sorted by when each went silent.
            deadlines.append(Deadlines.WS_IDLE, id, deadlines.since(id));
            ws[id - config.maxConnections()].ping();
        }
        while (wsTimeout > 0 && (id = due(Deadlines.WS_IDLE, wsTimeout)) != Deadlines.NONE) {
            deadlines.remove(id);
            closeWs(ws[id - config.maxConnections()], CloseReason.WS_IDLE_TIMEOUT);
        }
        while ((id = due(Deadlines.LINGER, Deadlines.LINGER_MILLIS)) != Deadlines.NONE) {
            deadlines.remove(id);
            if (id < config.maxConnections()) {
                http[id].endLinger();
            } else {
                ws[id - config.maxConnections()].endLinger();
            }
        }
    }

    /** The head of {@code list} if its {@code timeout} has run out, else {@link Deadlines#NONE}. */
    private int due(int list, long timeout) {
        int head = deadlines.head(list);
        return head != Deadlines.NONE && clock - deadlines.since(head) >= timeout ? head : Deadlines.NONE;
    }

    /** Milliseconds until the earliest deadline, so that select wakes up for it; Long.MAX_VALUE if none. */
    private long millisToNextDeadline() {
        long next = Long.MAX_VALUE;
        next = Math.min(next, untilDue(Deadlines.HTTP_REQUEST, config.requestReadTimeoutMillis()));
        next = Math.min(next, untilDue(Deadlines.HTTP_IDLE, config.idleTimeoutMillis()));
        next = Math.min(next, untilDue(Deadlines.WS_PING, config.wsIdleTimeoutMillis() / 2));
        next = Math.min(next, untilDue(Deadlines.WS_IDLE, config.wsIdleTimeoutMillis()));
        next = Math.min(next, untilDue(Deadlines.LINGER, Deadlines.LINGER_MILLIS));
        return next;
    }

    private long untilDue(int list, long timeout) {
        int head = deadlines.head(list);
        if (timeout <= 0 || head == Deadlines.NONE) {
            return Long.MAX_VALUE;
        }
        // At least 1 ms: select(0) would block forever.
        return Math.max(1, deadlines.since(head) + timeout - clock);
    }

    // ---- cross-thread hand-over ----

    /** Runs {@code task} on the loop thread, soon. Safe from any thread. */
    public void execute(Runnable task) {
        tasks.add(task);
        tasksQueued.incrementAndGet();
        if (Thread.currentThread() != loopThread) {
            wakeup();
        }
    }

    private void wakeup() {
        Selector s = selector;
        if (s != null && wakeupRequested.compareAndSet(false, true)) {
            s.wakeup();
        }
    }

    /**
     * Sends {@code text} as a text message to the WebSocket {@code handle} names (see
     * {@link #webSocketHandle}); nothing if that connection has closed meanwhile. Safe from any thread.
     */
    public void send(long handle, String text) {
        execute(() -> {
            WsConnection c = openWebSocket(handle);
            if (c != null) {
                staging.utf8(text);
                handOffTo(c.id, true);
            }
        });
    }

    /**
     * Sends {@code data} to the WebSocket {@code handle} names; nothing if it has closed meanwhile.
     * Safe from any thread; the array must not change afterwards.
     */
    public void send(long handle, byte[] data, boolean text) {
        execute(() -> {
            WsConnection c = openWebSocket(handle);
            if (c != null) {
                staging.bytes(data);
                handOffTo(c.id, text);
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
            handOffBroadcast(channel, true);
        });
    }

    /** Sends {@code data} to every WebSocket of {@code channel}. Safe from any thread; the array must not change afterwards. */
    public void broadcast(int channel, byte[] data, boolean text) {
        execute(() -> {
            staging.bytes(data);
            handOffBroadcast(channel, text);
        });
    }

    /**
     * Closes the WebSocket {@code handle} names with status 1000
     * ({@link CloseReason#CLOSED_BY_APPLICATION}); nothing if it has closed meanwhile, even if its
     * slot serves a newer connection now. Safe from any thread.
     */
    public void closeWebSocket(long handle) {
        execute(() -> {
            WsConnection c = openWebSocket(handle);
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
            int id = (int) handle;
            if (id >= 0 && id < http.length && http[id].matches(handle)) {
                closeHttp(http[id], CloseReason.CLOSED_BY_APPLICATION);
            }
        });
    }

    /**
     * The handle of open WebSocket {@code wsId}: its id and the generation of its slot, so that
     * a handle kept past the connection's close never reaches the slot's next tenant. Returns
     * {@link #NO_HANDLE} if no WebSocket is open under that id. Loop thread only.
     */
    public long webSocketHandle(int wsId) {
        checkLoopThread("webSocketHandle");
        return wsId >= 0 && wsId < ws.length && ws[wsId].state() == WsConnection.State.OPEN ? ws[wsId].handle() : NO_HANDLE;
    }

    /** The handle of open HTTP connection {@code connectionId}, or {@link #NO_HANDLE}. Loop thread only. */
    public long httpConnectionHandle(int connectionId) {
        checkLoopThread("httpConnectionHandle");
        return connectionId >= 0 && connectionId < http.length && http[connectionId].isOpen()
                ? http[connectionId].token() : NO_HANDLE;
    }

    private WsConnection openWebSocket(long handle) {
        int id = (int) handle;
        if (id < 0 || id >= ws.length) {
            return null;
        }
        WsConnection c = ws[id];
        return c.state() == WsConnection.State.OPEN && c.handle() == handle ? c : null;
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
        execute(() -> {
            long now = System.nanoTime();
            List<ConnectionSnapshot> list = new ArrayList<>(httpPool.activeCount() + wsPool.activeCount());
            for (int i = 0; i < httpPool.activeCount(); i++) {
                HttpConnection c = http[httpPool.activeAt(i)];
                list.add(new ConnectionSnapshot(ConnectionType.HTTP, c.id, httpRemote[c.id], c.state().name(),
                        Duration.ofNanos(now - c.openedAtNanos()), c.pendingBytes()));
            }
            for (int i = 0; i < wsPool.activeCount(); i++) {
                WsConnection c = ws[wsPool.activeAt(i)];
                list.add(new ConnectionSnapshot(ConnectionType.WEBSOCKET, c.id, wsRemote[c.id], c.state().name(),
                        Duration.ofNanos(now - c.openedAtNanos()), c.pendingBytes()));
            }
            list.sort((a, b) -> a.type() != b.type() ? a.type().compareTo(b.type()) : Integer.compare(a.id(), b.id()));
            result.complete(list);
        });
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
        checkLoopThread("deferredResponse");
        int id = (int) token;
        if (id < 0 || id >= http.length) {
            return null;
        }
        HttpConnection c = http[id];
        return c.matches(token) && c.state() == HttpConnection.State.DEFERRED ? c.response() : null;
    }

    void checkLoopThread(String operation) {
        Thread owner = loopThread;
        Thread current = Thread.currentThread();
        if (owner == null) {
            loopThread = current;
        } else if (owner != current) {
            throw new IllegalStateException(operation + " must be called on the event loop thread (" + owner.getName()
                    + "), not on " + current.getName() + "; hand the work over with execute(Runnable), send() or broadcast()");
        }
    }

    /*
     * Hand-offs run with busy > 0: a receiver closed while frames are enqueued has its onClose held
     * back until the stage is free again, so no callback can stage or hand off in the middle of this
     * one. The offsets live in locals, never in fields a nested hand-off could overwrite.
     */

    boolean handOffTo(int wsId, boolean text) {
        WsConnection target = wsId >= 0 && wsId < ws.length && ws[wsId].state() == WsConnection.State.OPEN ? ws[wsId] : null;
        if (target == null) {
            ring.unstage();
            return false;
        }
        busy++;
        try {
            boolean compress = text && target.compress() && shouldCompress();
            int length = ring.stageLength();
            long offset = handOff(compress);
            if (offset == OutgoingRing.HAND_OFF_FAILED) {
                return false;
            }
            return compressedLength > 0
                    ? target.enqueue(offset + length, compressedLength, ServerFrames.OPCODE_BINARY)
                    : target.enqueue(offset, length, text ? ServerFrames.OPCODE_TEXT : ServerFrames.OPCODE_BINARY);
        } finally {
            busy--;
            deliverCloseNotices();
        }
    }

    boolean handOffBroadcast(int channel, boolean text) {
        busy++;
        try {
            boolean compress = text && compressClients > 0 && shouldCompress();
            int length = ring.stageLength();
            long offset = handOff(compress);
            if (offset == OutgoingRing.HAND_OFF_FAILED) {
                return false;
            }
            int zstdLength = compressedLength;
            counters.broadcast();
            int plainOpcode = text ? ServerFrames.OPCODE_TEXT : ServerFrames.OPCODE_BINARY;
            // Backwards: a receiver closed as too slow is swapped out with an already visited one.
            for (int i = wsPool.activeCount() - 1; i >= 0; i--) {
                WsConnection c = ws[wsPool.activeAt(i)];
                if (channel != Staging.ALL_CHANNELS && c.channelId() != channel) {
                    continue;
                }
                if (zstdLength > 0 && c.compress()) {
                    c.enqueue(offset + length, zstdLength, ServerFrames.OPCODE_BINARY);
                } else {
                    c.enqueue(offset, length, plainOpcode);
                }
            }
            return true;
        } finally {
            busy--;
            deliverCloseNotices();
        }
    }

    /**
     * Whether to add a zstd copy of the staged message: only for a message over the threshold,
     * and only if the plain copy and the compressor's worst case fit in the ring together. A
     * message too large for both goes out plain to every receiver; a zstd client reads a text
     * frame as an uncompressed message, so nothing is lost but the saving.
     */
    private boolean shouldCompress() {
        int length = ring.stageLength();
        return compressor != null && length > ServerConfig.COMPRESSION_THRESHOLD && !ring.inError()
                && (long) length + ZstdCompressor.maxCompressedLength(length) <= ring.capacity();
    }

    /** Whether bytes at ring {@code offset} are still intact: a frame pointing at overwritten bytes is never queued. */
    boolean ringHolds(long offset) {
        return !ring.isOverwritten(offset);
    }

    /**
     * Ends the staged message, compressing a copy right after the plain one
     * when asked, and returns its offset (or {@link OutgoingRing#HAND_OFF_FAILED}):
     * <pre>
     *   ring: ... | plain copy (length) | zstd copy (compressedLength) | ...
     *             ^ offset              ^ offset + length
     * </pre>
     * Read {@link #compressedLength} before anything else stages.
     */
    private long handOff(boolean compress) {
        int length = ring.stageLength();
        compressedLength = 0;
        if (compress) {
            int bound = ZstdCompressor.maxCompressedLength(length);
            ByteBuffer space = ring.reserve(bound);
            if (!ring.inError()) {
                int plainIndex = ring.index(ring.stageOffset());
                int n = compressor.compress(ring.buffer(), plainIndex, length, ring.buffer(), space.position(), bound);
                ring.commit(n);
                compressedLength = n;
                counters.compressed(length, n);
            }
        }
        long offset = ring.handOff();
        if (offset == OutgoingRing.HAND_OFF_FAILED) {
            compressedLength = 0;
            countStageError();
            return offset;
        }
        counters.staged(length + compressedLength);
        return offset;
    }

    void countStageError() {
        counters.stageError();
        LOG.log(System.Logger.Level.WARNING, "a staged message outgrew the outgoing ring (" + ring.capacity()
                + " bytes) and was dropped; raise outgoingBufferSize");
    }

    // ---- connection bookkeeping ----

    void upgrade(HttpConnection from, dev.ringhttp.core.http.ParsedRequest request, int channel, boolean compress,
            int earlyBytes) {
        if (earlyBytes > 0) {
            closeHttp(from, CloseReason.WS_EARLY_DATA);
            return;
        }
        if (wsPool.isFull()) {
            evictWsForUpgrade();
        }
        WsConnection to = ws[wsPool.acquire()];
        wsRemote[to.id] = httpRemote[from.id];
        SelectionKey key = from.key();
        key.attach(to);
        to.open(from.channel(), key, channel, compress);
        counters.upgraded();
        if (compress) {
            compressClients++;
        }
        int expected = from.id;
        try {
            wsHandler.onOpen(to.id, request);
        } catch (Throwable t) {
            handlerFailed(t, "WebSocket onOpen for connection " + to.id);
            to.fail(CloseReason.HANDLER_ERROR);
        }
        // The socket now belongs to the WebSocket slot: free the HTTP slot without reporting a close.
        from.release();
        httpPool.release(expected);
        settle();
    }

    void closeHttp(HttpConnection c, CloseReason reason) {
        if (!c.isOpen()) {
            return;
        }
        SocketChannel channel = c.channel();
        httpPending.remove(c.id);
        if (reason.httpStatus() != 0 || reason == CloseReason.OK || reason == CloseReason.SERVER_SHUTDOWN
                || reason == CloseReason.HANDLER_ERROR) {
            shutdownOutput(channel);
            c.drainInput();
        }
        c.key().cancel();
        closeSocket(channel, reason);
        c.release();
        httpPool.release(c.id);
        counters.closed(ConnectionType.HTTP, reason);
        notifyClosed(false, c.id, reason);
    }

    /** Reports a close to the handler now, or once the stage is free if the loop is staging or handing off. */
    private void notifyClosed(boolean webSocket, int id, CloseReason reason) {
        if (holdsCloseCallbacks()) {
            closeNotices.add(webSocket ? ConnectionType.WEBSOCKET : ConnectionType.HTTP, id, reason);
        } else {
            reportClose(webSocket, id, reason);
        }
    }

    void closeWs(WsConnection c, CloseReason reason) {
        if (!c.isOpen()) {
            return;
        }
        SocketChannel channel = c.channel();
        wsPending.remove(c.id);
        if (c.compress()) {
            compressClients--;
        }
        if (reason.wsCloseCode() != 0) {
            shutdownOutput(channel);
            c.drainInput();
        }
        c.key().cancel();
        closeSocket(channel, reason);
        c.release();
        wsPool.release(c.id);
        counters.closed(ConnectionType.WEBSOCKET, reason);
        notifyClosed(true, c.id, reason);
    }

    /** Keeps connection {@code id}'s pending WebSocket offset in the eviction order; -1 removes it. */
    void updatePending(WsConnection c, long offset) {
        if (offset < 0) {
            wsPending.remove(c.id);
        } else {
            wsPending.addOrUpdate(c.id, offset);
        }
    }

    void holdHttpRingBody(int id, long offset) {
        if (!http[id].isOpen()) {
            throw new IllegalStateException("HTTP connection " + id + " is closed; it holds no ring body");
        }
        httpPending.addOrUpdate(id, offset);
    }

    void releaseHttpRingBody(int id) {
        httpPending.remove(id);
    }

    void handlerFailed(Throwable t, String where) {
        counters.handlerError();
        LOG.log(System.Logger.Level.ERROR, where + " failed", t);
    }

    /** Closes, before the ring overwrites them, the connections whose oldest pending byte lies below {@code offset}. */
    private final class RingEvictor implements Evictor {
        /** Each pass removes the minimum from its heap (closing removes it), so this ends after at most both pools. */
        @Override
        public void evictBelow(long offset) {
            busy++;
            try {
                while (true) {
                    long httpMin = httpPending.isEmpty() ? Long.MAX_VALUE : httpPending.minKey();
                    long wsMin = wsPending.isEmpty() ? Long.MAX_VALUE : wsPending.minKey();
                    if (Math.min(httpMin, wsMin) >= offset) {
                        return;
                    }
                    if (httpMin <= wsMin) {
                        int id = httpPending.minId();
                        httpPending.remove(id);
                        closeHttp(http[id], CloseReason.TOO_SLOW);
                    } else {
                        int id = wsPending.minId();
                        wsPending.remove(id);
                        closeWs(ws[id], CloseReason.WS_CLIENT_TOO_SLOW);
                    }
                }
            } finally {
                busy--;
            }
        }
    }

    // ---- accessors for connections ----

    ServerConfig config() {
        return config;
    }

    /** The configuration the server was built with. */
    public ServerConfig configuration() {
        return config;
    }

    /** Live counters, readable from any thread. */
    public ServerCounters counters() {
        return counters;
    }

    /** Exact bytes of all buffers and arrays allocated from the configuration; equals {@link ServerConfig#footprint()}. */
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

    HttpHandler httpHandler() {
        return httpHandler;
    }

    WebSocketHandler wsHandler() {
        return wsHandler;
    }

    OutgoingRing ringForLoop() {
        return ring;
    }

    HeadWriter headWriter() {
        return headWriter;
    }

    HttpDate date() {
        date.refresh(System.currentTimeMillis());
        return date;
    }

    WebSocketHandshake handshake() {
        return handshake;
    }

    WriteScratch writeScratch() {
        return writeScratch;
    }

    byte[] errorBody(int status) {
        return errorBodies[status];
    }

    ByteBuffer errorBodyBuffer(int status) {
        return errorBodyBuffers[status];
    }

    private static void shutdownOutput(SocketChannel channel) {
        try {
            channel.shutdownOutput();
        } catch (IOException | RuntimeException ignored) {
            // Already reset by the peer: the close below is all that is left to do.
        }
    }

    /** Closes a connection's socket; for a reason that resets, a zero linger time discards unsent bytes and sends RST. */
    private static void closeSocket(SocketChannel channel, CloseReason reason) {
        if (reason.resetsConnection()) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | RuntimeException ignored) {
                // Already gone: the close below is all that is left to do.
            }
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "close failed: " + e);
        }
    }

    /**
     * Views and arrays for one gathered WebSocket write, shared by all
     * connections because the loop writes one connection at a time.
     */
    static final class WriteScratch {
        static final byte DATA = 0;
        static final byte CONTROL = 1;
        static final byte CLOSE = 2;

        final ByteBuffer[] gather = new ByteBuffer[2 * ServerConfig.MAX_GATHERED_FRAMES + 2];
        final byte[] kinds = new byte[ServerConfig.MAX_GATHERED_FRAMES + 2];
        final ByteBuffer[] headers = new ByteBuffer[ServerConfig.MAX_GATHERED_FRAMES];
        final ByteBuffer[] payloads = new ByteBuffer[ServerConfig.MAX_GATHERED_FRAMES];
        int buffers;

        WriteScratch(ByteBuffer ringBuffer) {
            ByteBuffer headerArea = ByteBuffer.allocateDirect(ServerConfig.MAX_GATHERED_FRAMES * ServerConfig.MAX_FRAME_HEADER);
            for (int i = 0; i < ServerConfig.MAX_GATHERED_FRAMES; i++) {
                headers[i] = headerArea.slice(i * ServerConfig.MAX_FRAME_HEADER, ServerConfig.MAX_FRAME_HEADER);
                payloads[i] = ringBuffer.duplicate();
            }
        }

        int add(int elements, byte kind, ByteBuffer buffer) {
            kinds[elements] = kind;
            gather[buffers++] = buffer;
            return elements + 1;
        }

        void clear() {
            Arrays.fill(gather, 0, buffers, null);
        }
    }
}
