package dev.ringhttp.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.luben.zstd.Zstd;
import dev.ringhttp.core.testing.HttpResponseReader;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import dev.ringhttp.core.testing.RawWebSocket;
import dev.ringhttp.core.testing.ServerFrame;
import dev.ringhttp.core.testing.TestServer;
import dev.ringhttp.core.testing.WsFrames;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DESIGN "Fixed capacity": in steady state the event loop allocates nothing
 * per request or per frame. Measured with the loop thread's allocated-bytes
 * counter ({@code com.sun.management.ThreadMXBean}) around 10,000 keep-alive
 * requests and 10,000 broadcasts, after a warm-up long enough for the JIT.
 * Client threads allocate freely; only the loop thread is measured.
 */
class LoopAllocationTest {

    private static final int WARM_UP = 20_000;
    private static final int MEASURED = Integer.getInteger("ringhttp.test.measured", 10_000);
    private static final double MAX_BYTES_PER_OPERATION = 1.0;
    /** A "tick N" copy (a 32-byte array), the task carrying it and its queue node, with room to spare. */
    private static final double MAX_BYTES_PER_CROSS_LOOP_COPY = 160;

    /** Pipes opened first so that sockets get file descriptors above 127, as in production. */
    private static final int FD_PADDING_PIPES = 80;

    private static com.sun.management.ThreadMXBean threads;
    private static final List<Pipe> padding = new ArrayList<>();

    @BeforeAll
    static void enableAllocationCounting() throws IOException {
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        // The JDK's epoll selector looks keys up by a boxed file descriptor (Integer.valueOf(fd)): only
        // descriptors above the Integer cache (127) show whether that box is really optimized away.
        // Without a raised cache (-XX:AutoBoxCacheMax=65536, set by this module's surefire configuration) the JDK,
        // not ringhttp, allocates 16 bytes per ready socket: the test would measure the JDK, so it is skipped.
        assumeTrue(integerCacheCovers(65_535), "run with -XX:AutoBoxCacheMax=65536: JDK 17's EPollSelectorImpl boxes "
                + "every ready file descriptor (fdToKey.get(fd)), 16 bytes per event for descriptors above 127");
        for (int i = 0; i < FD_PADDING_PIPES; i++) {
            padding.add(Pipe.open());
        }
    }

    private static boolean integerCacheCovers(int value) {
        return Integer.valueOf(value) == Integer.valueOf(value);
    }

    @AfterAll
    static void closePadding() throws IOException {
        for (Pipe p : padding) {
            p.source().close();
            p.sink().close();
        }
        padding.clear();
    }

    // ---- HTTP ----

    private static final ByteBuffer STATIC_BODY = directAscii("static body\n");
    private static final int CLIENTS = 2;
    /** Requests each client sends before reading their responses (keep-alive, pipelined). */
    private static final int PIPELINE = 4;

    /** A handler that routes and answers without allocating. */
    private static final class AllocationFreeHandler implements HttpHandler {
        final AtomicReference<RingHttpServer> server = new AtomicReference<>();
        long counter;

        @Override
        public void handle(HttpRequest request, HttpResponse response) {
            if (request.pathEquals("/staged")) {
                server.get().staging().ascii("Hello, ").decimal(counter++);
                response.contentType("text/plain");
                response.stagedBody();
            } else if (request.pathEquals("/static")) {
                response.body(STATIC_BODY);
            } else {
                response.status(404);
            }
        }
    }

    @ParameterizedTest(name = "{0} loop(s)")
    @ValueSource(ints = {1, 2})
    void keepAliveRequestsWithRingAndStaticBodiesAllocateNothingOnTheLoop(int loops) throws Exception {
        AllocationFreeHandler handler = new AllocationFreeHandler();
        ServerConfig.Builder config = ServerConfig.builder().eventLoops(loops).maxConnections(8).maxWsConnections(4)
                .maxRequestLength(4096).maxRequestLineLength(1024).maxWsMessageLength(1024)
                // Small enough that the measured run wraps the ring many times.
                .outgoingBufferSize(64 * 1024);
        try (TestServer ts = TestServer.start(config, handler, WebSocketHandler.NONE)) {
            handler.server.set(ts.server());
            long[] loopThreads = loopThreadIds(ts.server());
            List<KeepAliveClient> clients = new ArrayList<>();
            // Two clients per loop; with several loops, the kernel may still put more of them on one.
            for (int i = 0; i < CLIENTS * loops; i++) {
                clients.add(new KeepAliveClient(ts.port()));
            }
            try {
                runRequests(clients, WARM_UP);
                long[] before = allocated(loopThreads);
                runRequests(clients, MEASURED);
                long[] after = allocated(loopThreads);
                for (int k = 0; k < loops; k++) {
                    double perRequest = (double) (after[k] - before[k]) / MEASURED;
                    System.out.printf("LoopAllocationTest: %d keep-alive requests (ring-staged and static bodies), "
                            + "loop %d of %d: %d bytes allocated on its thread, %.4f bytes/request%n", MEASURED, k, loops,
                            after[k] - before[k], perRequest);
                    assertThat(perRequest).as("bytes allocated on loop " + k + "'s thread per request (of all loops)")
                            .isLessThan(MAX_BYTES_PER_OPERATION);
                }
                assertThat(ts.closes()).as("no connection may close during the run").isEmpty();
                assertThat(ts.server().counters().requests()).isEqualTo(WARM_UP + MEASURED);
            } finally {
                for (KeepAliveClient c : clients) {
                    c.close();
                }
            }
        }
    }

    /** Runs {@code total} requests spread over the clients, each client on a thread of its own. */
    private static void runRequests(List<KeepAliveClient> clients, int total) throws Exception {
        int perClient = total / clients.size();
        List<Thread> runners = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (KeepAliveClient c : clients) {
            Thread t = new Thread(() -> {
                try {
                    c.run(perClient);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "http-client");
            runners.add(t);
            t.start();
        }
        for (Thread t : runners) {
            t.join(60_000);
            assertThat(t.isAlive()).as("client still running after 60 s").isFalse();
        }
        if (failure.get() != null) {
            throw new AssertionError("client failed", failure.get());
        }
    }

    /**
     * A keep-alive client that alternates staged and static requests, sending
     * {@link #PIPELINE} at a time, and checks every response.
     */
    private static final class KeepAliveClient implements AutoCloseable {
        private static final byte[] STAGED = "GET /staged HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] STATIC = "GET /static HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        private final RawConnection connection;
        private final InputStream in;
        private final byte[] batch;

        KeepAliveClient(int port) throws IOException {
            connection = new RawConnection(port);
            in = new BufferedInputStream(connection.input(), 16 * 1024);
            ByteBuffer b = ByteBuffer.allocate(PIPELINE * Math.max(STAGED.length, STATIC.length));
            for (int i = 0; i < PIPELINE; i++) {
                b.put(i % 2 == 0 ? STAGED : STATIC);
            }
            batch = java.util.Arrays.copyOf(b.array(), b.position());
        }

        void run(int requests) throws IOException {
            for (int sent = 0; sent < requests; sent += PIPELINE) {
                connection.send(batch);
                for (int i = 0; i < PIPELINE; i++) {
                    readResponse(i % 2 == 0);
                }
            }
        }

        private void readResponse(boolean staged) throws IOException {
            RawResponse r = HttpResponseReader.read(in, false);
            if (r == null || r.status() != 200) {
                throw new IOException("unexpected response: " + (r == null ? "end of stream" : r.statusLine()));
            }
            if ("close".equalsIgnoreCase(r.header("Connection"))) {
                throw new IOException("the server closed a keep-alive connection");
            }
            String text = new String(r.body(), StandardCharsets.US_ASCII);
            if (staged ? !text.startsWith("Hello, ") : !text.equals("static body\n")) {
                throw new IOException("unexpected body: " + text);
            }
        }

        @Override
        public void close() throws IOException {
            connection.close();
        }
    }

    // ---- WebSocket broadcast ----

    private static final int FEED_CLIENTS = 10;
    private static final int FEED_CHANNEL = 1;
    private static final int TRIGGER_CHANNEL = 0;
    /** Broadcasts the loop stages per trigger message. */
    private static final int BROADCASTS_PER_TICK = 100;

    /** Over the compression threshold, so that with compressing receivers each broadcast gets its copies. */
    private static final String FILLER = ",{\"sym\":\"AAPL\",\"px\":123.45,\"qty\":100}".repeat(8);

    /** How the feed clients take their messages; with compression, the messages are long enough to compress. */
    enum Receivers {
        /** Every client plain, "tick N". */
        PLAIN,
        /** A third plain, a third permessage-deflate, a third zstd: every broadcast makes all three copies. */
        MIXED;

        String suffix() {
            return this == PLAIN ? "" : FILLER;
        }
    }

    /** Upgrades /feed into the feed channel and /trigger into its own; each trigger message broadcasts a burst. */
    private static final class BroadcastingHandlers implements HttpHandler, WebSocketHandler {
        final AtomicReference<RingHttpServer> server = new AtomicReference<>();
        final String suffix;
        long sequence;
        volatile int stagingLoop = -1;

        BroadcastingHandlers(Receivers receivers) {
            this.suffix = receivers.suffix();
        }

        @Override
        public void handle(HttpRequest request, HttpResponse response) {
            if (request.pathEquals("/feed")) {
                response.upgradeToWebSocket(FEED_CHANNEL);
            } else if (request.pathEquals("/trigger")) {
                response.upgradeToWebSocket(TRIGGER_CHANNEL);
            } else {
                response.status(404);
            }
        }

        @Override
        public void onClose(int id, CloseReason reason) {
        }

        @Override
        public void onMessage(int wsId, ByteBuffer payload, boolean text) {
            Staging staging = server.get().staging();
            stagingLoop = server.get().currentLoop();
            for (int i = 0; i < BROADCASTS_PER_TICK; i++) {
                staging.ascii("tick ").decimal(sequence++).ascii(suffix).broadcast(FEED_CHANNEL, true);
            }
        }
    }

    static List<Arguments> broadcastCases() {
        return List.of(Arguments.of(Receivers.PLAIN, 1), Arguments.of(Receivers.MIXED, 1), Arguments.of(Receivers.PLAIN, 2));
    }

    /**
     * With two loops, the loop that stages each broadcast hands the other a copy (a byte array and a task: it
     * allocates); the loop that receives it stages from the copy and allocates nothing.
     */
    @ParameterizedTest(name = "{0} receivers, {1} loop(s)")
    @MethodSource("broadcastCases")
    void broadcastingFromTheLoopAllocatesNothingPerBroadcastOrFrame(Receivers receivers, int loops) throws Exception {
        BroadcastingHandlers handlers = new BroadcastingHandlers(receivers);
        ServerConfig.Builder config = ServerConfig.builder().eventLoops(loops).maxConnections(16).maxWsConnections(16)
                .compressWebSocket(receivers == Receivers.MIXED)
                .maxRequestLength(4096).maxRequestLineLength(1024).maxWsMessageLength(1024)
                // Room for a whole burst per client, so that nobody is too slow while readers keep up.
                .maxWsSendFrames(4 * BROADCASTS_PER_TICK)
                // Small enough that the measured run wraps the ring several times.
                .outgoingBufferSize(64 * 1024);
        // Dealt round-robin, so that both loops have feed clients.
        RingHttpServer.dealConnections = loops > 1;
        try (TestServer ts = TestServer.start(config, handlers, handlers)) {
            handlers.server.set(ts.server());
            long[] loopThreads = loopThreadIds(ts.server());
            AtomicLong framesReceived = new AtomicLong();
            AtomicReference<Throwable> readerFailure = new AtomicReference<>();
            List<RawWebSocket> feeds = new ArrayList<>();
            List<Thread> readers = new ArrayList<>();
            RawWebSocket trigger = null;
            try {
                for (int i = 0; i < FEED_CLIENTS; i++) {
                    RawWebSocket.Connector connector = RawWebSocket.to(ts.port(), "/feed");
                    if (receivers == Receivers.MIXED && i % 3 == 1) {
                        connector.header("Sec-WebSocket-Extensions", "permessage-deflate");
                    } else if (receivers == Receivers.MIXED && i % 3 == 2) {
                        connector.subprotocol("compress-zstd");
                    }
                    RawWebSocket feed = connector.connect();
                    feeds.add(feed);
                    String suffix = receivers.suffix();
                    Thread reader = new Thread(() -> readFeed(feed, suffix, framesReceived, readerFailure), "ws-reader-" + i);
                    reader.setDaemon(true);
                    readers.add(reader);
                    reader.start();
                }
                trigger = RawWebSocket.connect(ts.port(), "/trigger");
                awaitActiveWebSockets(ts.server(), FEED_CLIENTS + 1);

                long[] expected = {0};
                RawWebSocket t = trigger;
                Runnable tick = () -> {
                    try {
                        t.sendText("go");
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                    expected[0] += (long) BROADCASTS_PER_TICK * FEED_CLIENTS;
                    awaitFrames(framesReceived, expected[0], readerFailure);
                };
                for (int i = 0; i < WARM_UP / BROADCASTS_PER_TICK; i++) {
                    tick.run();
                }
                long[] before = allocated(loopThreads);
                for (int i = 0; i < MEASURED / BROADCASTS_PER_TICK; i++) {
                    tick.run();
                }
                long[] after = allocated(loopThreads);
                long frames = (long) MEASURED * FEED_CLIENTS;
                for (int k = 0; k < loops; k++) {
                    long allocated = after[k] - before[k];
                    double perBroadcast = (double) allocated / MEASURED;
                    double perFrame = (double) allocated / frames;
                    boolean staging = k == handlers.stagingLoop;
                    System.out.printf("LoopAllocationTest: %d broadcasts to %d %s clients (%d frames), loop %d of %d%s: "
                            + "%d bytes allocated on its thread, %.4f bytes/broadcast, %.5f bytes/frame%n",
                            MEASURED, FEED_CLIENTS, receivers, frames, k, loops,
                            loops > 1 && staging ? " (stages them, copies them for the other)" : "", allocated,
                            perBroadcast, perFrame);
                    if (loops > 1 && staging) {
                        assertThat(perBroadcast).as("bytes per broadcast on the staging loop: one copy and one task"
                                + " for the other loop").isLessThan(MAX_BYTES_PER_CROSS_LOOP_COPY);
                    } else {
                        assertThat(perBroadcast).as("bytes allocated on loop " + k + " per broadcast")
                                .isLessThan(MAX_BYTES_PER_OPERATION);
                        assertThat(perFrame).as("bytes allocated on loop " + k + " per frame")
                                .isLessThan(MAX_BYTES_PER_OPERATION);
                    }
                }

                assertThat(readerFailure.get()).as("reader failure").isNull();
                assertThat(ts.closes()).as("no client may be closed (evicted) during the run").isEmpty();
                assertThat(ts.server().counters().evictions()).isZero();
                assertThat(ts.server().counters().broadcasts()).isEqualTo(WARM_UP + MEASURED);
                if (receivers == Receivers.MIXED) {
                    assertThat(ts.server().counters().deflateBytesIn()).as("every broadcast deflated")
                            .isGreaterThan((long) (WARM_UP + MEASURED) * FILLER.length());
                    assertThat(ts.server().counters().compressionBytesIn()).as("every broadcast zstd-compressed")
                            .isGreaterThan((long) (WARM_UP + MEASURED) * FILLER.length());
                }
            } finally {
                if (trigger != null) {
                    trigger.close();
                }
                for (RawWebSocket feed : feeds) {
                    feed.close();
                }
                for (Thread reader : readers) {
                    reader.join(5_000);
                }
            }
        } finally {
            RingHttpServer.dealConnections = false;
        }
    }

    /**
     * Reads frames strictly, checks each is the "tick N" message (plus {@code suffix}) in sequence,
     * as text, or deflated text, or a zstd binary frame, and counts them.
     */
    private static void readFeed(RawWebSocket feed, String suffix, AtomicLong frames, AtomicReference<Throwable> failure) {
        long next = 0;
        try {
            for (ServerFrame f; (f = feed.readFrameOrNull()) != null; ) {
                byte[] message = f.opcode() == WsFrames.BINARY ? Zstd.decompress(f.payload(), 1 << 16) : f.message();
                String text = new String(message, StandardCharsets.UTF_8);
                if (!f.fin() || (f.opcode() != WsFrames.TEXT && f.opcode() != WsFrames.BINARY)
                        || !text.equals("tick " + next + suffix)) {
                    throw new AssertionError("unexpected frame " + f + " '" + text + "', expected 'tick " + next + suffix + "'");
                }
                next++;
                frames.incrementAndGet();
            }
        } catch (IOException e) {
            // Closed by the test at the end.
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    private static void awaitFrames(AtomicLong frames, long expected, AtomicReference<Throwable> failure) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (frames.get() < expected) {
            if (failure.get() != null) {
                throw new AssertionError("reader failed", failure.get());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("readers got " + frames.get() + " frames of " + expected + " within 20 s");
            }
            LockSupport.parkNanos(20_000);
        }
    }

    private static void awaitActiveWebSockets(RingHttpServer server, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.counters().active(ConnectionType.WEBSOCKET) < n) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("only " + server.counters().active(ConnectionType.WEBSOCKET) + " WebSockets open");
            }
            Thread.sleep(5);
        }
    }

    /** The ids of the threads running each of the server's loops, learnt from a task run on each. */
    private static long[] loopThreadIds(RingHttpServer server) throws InterruptedException {
        long[] ids = new long[server.eventLoops()];
        CountDownLatch done = new CountDownLatch(ids.length);
        for (int k = 0; k < ids.length; k++) {
            int loop = k;
            server.execute(k, () -> {
                ids[loop] = Thread.currentThread().getId();
                done.countDown();
            });
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        return ids;
    }

    private static long[] allocated(long[] threadIds) {
        long[] bytes = new long[threadIds.length];
        for (int k = 0; k < threadIds.length; k++) {
            bytes[k] = threads.getThreadAllocatedBytes(threadIds[k]);
        }
        return bytes;
    }

    private static ByteBuffer directAscii(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
        b.put(bytes).flip();
        return b;
    }
}
