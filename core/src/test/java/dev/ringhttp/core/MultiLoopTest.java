package dev.ringhttp.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import dev.ringhttp.core.testing.RawWebSocket;
import dev.ringhttp.core.testing.ServerFrame;
import dev.ringhttp.core.testing.TestServer;
import dev.ringhttp.core.testing.WsFrames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DESIGN "Several event loops", over real sockets, with 2 and 4 loops: connections land on every
 * loop, handlers run on their connection's loop only, broadcasts reach every loop in order and
 * byte-exact, pools, eviction and timeouts are per loop, handles route to the owning loop, and
 * shutdown and a loop's death stop every loop. Most run twice: with {@code SO_REUSEPORT} (the
 * kernel spreads connections) and with one loop dealing connections to all (where the OS lacks it).
 */
class MultiLoopTest {

    /** Channel of the feed clients; the trigger clients are on channel 0. */
    private static final int FEED = 1;

    /**
     * A static body every loop writes at once: 256 KiB, so that writes are partial and interleave. Loops on
     * two CPUs or more corrupt it within a few responses unless each connection writes through a view of its own.
     */
    private static final ByteBuffer STATIC_BODY = staticBody(256 * 1024);

    private static ByteBuffer staticBody(int size) {
        ByteBuffer b = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            b.put((byte) (i * 31 + i / 251));
        }
        return b.flip().asReadOnlyBuffer();
    }

    /** Where each callback ran: any callback on a loop other than its connection's is recorded here. */
    private final ConcurrentLinkedQueue<String> wrongLoop = new ConcurrentLinkedQueue<>();
    private final Map<Integer, Integer> wsLoop = new ConcurrentHashMap<>();
    private final AtomicReference<RingHttpServer> server = new AtomicReference<>();
    private TestServer ts;

    @AfterEach
    void stop() {
        RingHttpServer.dealConnections = false;
        if (ts != null) {
            ts.close();
        }
    }

    /**
     * Answers {@code /loop} with "loop id", upgrades {@code /feed} and {@code /trigger}; a trigger's
     * message "burst N S" broadcasts N messages of S bytes from its loop, "to ID" sends one to WebSocket ID.
     */
    private final class Handlers implements HttpHandler, WebSocketHandler {

        @Override
        public void handle(HttpRequest request, HttpResponse response) {
            RingHttpServer s = server.get();
            checkLoop("http", s.loopOfHttpConnection(request.connectionId()));
            if (request.pathEquals("/feed")) {
                response.upgradeToWebSocket(FEED);
            } else if (request.pathEquals("/trigger")) {
                response.upgradeToWebSocket(0);
            } else if (request.pathEquals("/static")) {
                response.body(STATIC_BODY);
            } else if (request.pathEquals("/defer")) {
                long token = response.defer();
                new Thread(() -> s.execute(RingHttpServer.loopOf(token), () -> {
                    HttpResponse deferred = s.deferredResponse(token);
                    deferred.body("deferred on " + s.currentLoop() + "\n");
                    deferred.complete();
                })).start();
            } else {
                response.body(s.currentLoop() + " " + request.connectionId() + "\n");
            }
        }

        @Override
        public void onOpen(int wsId, HttpRequest handshake) {
            checkLoop("open", server.get().loopOfWebSocket(wsId));
            wsLoop.put(wsId, server.get().currentLoop());
        }

        @Override
        public void onMessage(int wsId, ByteBuffer payload, boolean text) {
            RingHttpServer s = server.get();
            checkLoop("message", s.loopOfWebSocket(wsId));
            String[] command = StandardCharsets.UTF_8.decode(payload).toString().split(" ");
            Staging staging = s.staging();
            if (command[0].equals("burst")) {
                int count = Integer.parseInt(command[1]);
                int size = Integer.parseInt(command[2]);
                for (int i = 0; i < count; i++) {
                    stageMessage(staging, "L" + s.currentLoop(), i, size);
                    staging.broadcast(FEED, true);
                }
            } else if (command[0].equals("to")) {
                staging.ascii("from loop ").decimal(s.currentLoop()).sendTo(Integer.parseInt(command[1]), true);
            }
        }

        @Override
        public void onClose(int wsId, CloseReason reason) {
            checkLoop("close", server.get().loopOfWebSocket(wsId));
        }

        private void checkLoop(String callback, int owner) {
            int current = server.get().currentLoop();
            if (current != owner) {
                wrongLoop.add(callback + " of a connection of loop " + owner + " ran on loop " + current);
            }
        }
    }

    /** Message {@code seq} of {@code source}: "source seq:" then filler bytes derived from both, {@code size} in all. */
    private static void stageMessage(Staging staging, String source, int seq, int size) {
        staging.ascii(message(source, seq, size));
    }

    private static String message(String source, int seq, int size) {
        StringBuilder b = new StringBuilder(size).append(source).append(' ').append(seq).append(':');
        for (int i = b.length(); i < size; i++) {
            b.append((char) ('a' + (seq + i) % 26));
        }
        return b.toString();
    }

    private TestServer start(int loops, ServerConfig.Builder config) {
        Handlers handlers = new Handlers();
        ts = TestServer.start(config.eventLoops(loops), handlers, handlers);
        server.set(ts.server());
        return ts;
    }

    private TestServer start(int loops) {
        return start(loops, ServerConfig.builder().maxConnections(64 * loops).maxWsConnections(64 * loops)
                .maxWsSendFrames(4096).outgoingBufferSize(4 << 20));
    }

    // ---- where connections land ----

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void connectionsLandOnEveryLoopWithIdsInTheirLoopsRange(int loops) throws Exception {
        assertLandOnEveryLoop(loops);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void aDealingAcceptorSpreadsConnectionsRoundRobin(int loops) throws Exception {
        RingHttpServer.dealConnections = true;
        Map<Integer, Integer> perLoop = assertLandOnEveryLoop(loops);
        assertThat(perLoop.values()).as("connections per loop").allMatch(n -> n == 64 / loops);
    }

    private Map<Integer, Integer> assertLandOnEveryLoop(int loops) throws Exception {
        start(loops);
        Map<Integer, Integer> perLoop = new ConcurrentHashMap<>();
        List<RawConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                RawConnection c = new RawConnection(ts.port());
                open.add(c);
                RawResponse r = c.send("GET /loop HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
                String[] loopAndId = new String(r.body(), StandardCharsets.US_ASCII).trim().split(" ");
                int loop = Integer.parseInt(loopAndId[0]);
                int id = Integer.parseInt(loopAndId[1]);
                assertThat(ts.server().loopOfHttpConnection(id)).as("the loop of id " + id).isEqualTo(loop);
                perLoop.merge(loop, 1, Integer::sum);
            }
        } finally {
            for (RawConnection c : open) {
                c.close();
            }
        }
        assertThat(perLoop.keySet()).as("loops that got connections").isEqualTo(range(loops));
        assertThat(ts.server().counters().accepted()).isEqualTo(64);
        assertThat(wrongLoop).isEmpty();
        return perLoop;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void aStaticBodyWrittenByEveryLoopAtOnceArrivesIntactEverywhere(int loops) throws Exception {
        RingHttpServer.dealConnections = true;
        start(loops);
        byte[] expected = new byte[STATIC_BODY.remaining()];
        STATIC_BODY.duplicate().get(expected);
        List<Thread> clients = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 4 * loops; i++) {
            Thread t = new Thread(() -> {
                try (RawConnection c = RawConnection.withReceiveBuffer(ts.port(), 8 * 1024)) {
                    for (int r = 0; r < 20; r++) {
                        byte[] body = c.send("GET /static HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().body();
                        if (!java.util.Arrays.equals(body, expected)) {
                            throw new AssertionError("response " + r + " differs from the static body");
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            clients.add(t);
            t.start();
        }
        for (Thread t : clients) {
            t.join(30_000);
        }
        assertThat(failures).isEmpty();
        assertThat(STATIC_BODY.position()).as("the shared buffer is left as the handler gave it").isZero();
        assertThat(STATIC_BODY.limit()).isEqualTo(expected.length);
    }

    // ---- broadcasts ----

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void broadcastsFromAnyThreadAndFromEveryLoopReachEveryClientInOrderByteExact(int loops) throws Exception {
        RingHttpServer.dealConnections = true; // every loop gets feeds and a trigger, deterministically
        start(loops);
        int feeds = 4 * loops;
        List<FeedReader> readers = new ArrayList<>();
        List<RawWebSocket> triggers = new ArrayList<>();
        try {
            for (int i = 0; i < feeds; i++) {
                readers.add(new FeedReader(RawWebSocket.connect(ts.port(), "/feed")));
            }
            for (int i = 0; i < loops; i++) {
                triggers.add(RawWebSocket.connect(ts.port(), "/trigger"));
            }
            awaitWebSockets(feeds + loops);
            assertThat(new TreeSet<>(wsLoop.values())).as("loops with WebSockets").isEqualTo(range(loops));

            int perSource = 300;
            // Two threads broadcast at once, each its own sequence; each trigger makes its loop broadcast too.
            List<Thread> senders = new ArrayList<>();
            for (String source : List.of("A", "B")) {
                Thread t = new Thread(() -> {
                    for (int i = 0; i < perSource; i++) {
                        ts.server().broadcast(FEED, message(source, i, 20 + i % 700).getBytes(StandardCharsets.US_ASCII),
                                true);
                    }
                });
                senders.add(t);
                t.start();
            }
            for (RawWebSocket trigger : triggers) {
                trigger.sendText("burst " + perSource + " 300");
            }
            for (Thread t : senders) {
                t.join(10_000);
            }
            int sources = 2 + loops;
            for (FeedReader reader : readers) {
                reader.await(sources * perSource);
            }
            for (FeedReader reader : readers) {
                assertThat(reader.failure.get()).as("reader failure").isNull();
                for (String source : List.of("A", "B")) {
                    assertThat(reader.next.get(source)).as("messages of " + source).isEqualTo(perSource);
                }
                for (int loop = 0; loop < loops; loop++) {
                    assertThat(reader.next.get("L" + loop)).as("messages staged on loop " + loop).isEqualTo(perSource);
                }
            }
            assertThat(ts.server().counters().broadcasts()).as("each broadcast counted once")
                    .isEqualTo((long) sources * perSource);
            assertThat(ts.server().counters().evictions()).isZero();
            assertThat(wrongLoop).isEmpty();
        } finally {
            for (RawWebSocket t : triggers) {
                t.close();
            }
            for (FeedReader r : readers) {
                r.close();
            }
        }
    }

    /** Reads a feed on a thread of its own and checks that each source's messages arrive in order, byte-exact. */
    private static final class FeedReader implements AutoCloseable {
        final RawWebSocket socket;
        final Map<String, Integer> next = new ConcurrentHashMap<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread;
        volatile int received;
        volatile boolean ended;

        FeedReader(RawWebSocket socket) {
            this.socket = socket;
            this.thread = new Thread(this::read, "feed-reader");
            thread.setDaemon(true);
            thread.start();
        }

        private void read() {
            try {
                for (ServerFrame f; (f = socket.readFrameOrNull()) != null; ) {
                    if (f.opcode() != WsFrames.TEXT || !f.fin()) {
                        throw new AssertionError("unexpected frame " + f);
                    }
                    String text = f.text();
                    String source = text.substring(0, text.indexOf(' '));
                    int seq = Integer.parseInt(text.substring(text.indexOf(' ') + 1, text.indexOf(':')));
                    int expected = next.getOrDefault(source, 0);
                    if (seq != expected) {
                        throw new AssertionError(source + " message " + seq + " arrived where " + expected + " was due");
                    }
                    if (!text.equals(message(source, seq, text.length()))) {
                        throw new AssertionError("corrupt message " + text);
                    }
                    next.put(source, seq + 1);
                    received++;
                }
            } catch (IOException e) {
                // Closed at the end of the test.
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                ended = true;
            }
        }

        void await(int messages) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (received < messages && failure.get() == null && !ended && System.nanoTime() - deadline < 0) {
                Thread.sleep(5);
            }
            assertThat(failure.get()).as("reader failure").isNull();
            assertThat(received).as("messages received").isEqualTo(messages);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    // ---- handles ----

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void handlesSendsAndDeferredResponsesReachTheOwningLoopFromAnyThread(int loops) throws Exception {
        RingHttpServer.dealConnections = true;
        start(loops);
        List<RawWebSocket> feeds = new ArrayList<>();
        RawWebSocket trigger = null;
        try {
            // Dealt round-robin on a fresh server: feed k lands on loop k, the trigger on loop 0.
            for (int i = 0; i < loops; i++) {
                feeds.add(RawWebSocket.connect(ts.port(), "/feed"));
            }
            trigger = RawWebSocket.connect(ts.port(), "/trigger");
            awaitWebSockets(loops + 1);
            int[] idOnLoop = new int[loops];
            // The trigger opened last: the highest id of loop 0's range in use.
            int triggerId = wsLoop.entrySet().stream().filter(e -> e.getValue() == 0).mapToInt(Map.Entry::getKey).max()
                    .orElseThrow();
            for (Map.Entry<Integer, Integer> e : wsLoop.entrySet()) {
                if (e.getKey() != triggerId) {
                    idOnLoop[e.getValue()] = e.getKey();
                }
            }
            // Handles, taken on each owning loop, name it; a send from this thread reaches that client.
            for (int loop = 0; loop < loops; loop++) {
                int id = idOnLoop[loop];
                long handle = onLoop(loop, () -> ts.server().webSocketHandle(id));
                assertThat(RingHttpServer.loopOf(handle)).isEqualTo(loop);
                ts.server().send(handle, "handle of " + id);
                assertThat(feeds.get(loop).readFrame().text()).isEqualTo("handle of " + id);
            }
            // A handler on loop 0 stages a message for a WebSocket of each other loop: it arrives.
            for (int loop = 1; loop < loops; loop++) {
                trigger.sendText("to " + idOnLoop[loop]);
                assertThat(feeds.get(loop).readFrame().text()).isEqualTo("from loop 0");
            }
            // Deferred responses: completed from another thread through execute(loopOf(token)).
            for (int i = 0; i < 2 * loops; i++) {
                try (RawConnection c = new RawConnection(ts.port())) {
                    String body = new String(c.send("GET /defer HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().body(),
                            StandardCharsets.US_ASCII);
                    assertThat(body).isEqualTo("deferred on " + (loops + 1 + i) % loops + "\n");
                }
            }
            assertThat(wrongLoop).isEmpty();
        } finally {
            if (trigger != null) {
                trigger.close();
            }
            for (RawWebSocket s : feeds) {
                s.close();
            }
        }
    }

    // ---- pools, eviction, timeouts ----

    @Test
    void eachLoopHasItsShareOfThePoolAndEvictsOnlyItsOwn() throws Exception {
        RingHttpServer.dealConnections = true;
        start(2, ServerConfig.builder().maxConnections(2).maxWsConnections(2));
        RawConnection first = new RawConnection(ts.port()); // loop 0
        RawConnection second = new RawConnection(ts.port()); // loop 1
        try {
            assertThat(body(first)).startsWith("0 ");
            assertThat(body(second)).startsWith("1 ");
            try (RawConnection third = new RawConnection(ts.port())) { // loop 0 again: its one slot is taken
                assertThat(body(third)).startsWith("0 ");
                assertThat(ts.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.EVICTED);
                assertThat(first.readToEnd()).as("the evicted connection's stream").isEmpty();
                assertThat(body(second)).as("loop 1's connection is untouched").startsWith("1 ");
            }
            assertThat(ts.server().counters().closes(CloseReason.EVICTED)).isEqualTo(1);
        } finally {
            first.close();
            second.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void aStalledClientIsClosedAsTooSlowByItsLoopWhileEveryLoopsReadersKeepUp(int loops) throws Exception {
        RingHttpServer.dealConnections = true;
        start(loops, ServerConfig.builder().maxConnections(8 * loops).maxWsConnections(8 * loops)
                .maxWsSendFrames(1 << 16).outgoingBufferSize(256 * 1024).socketSendBuffer(8 * 1024));
        List<RawWebSocket> stalled = new ArrayList<>();
        List<FeedReader> readers = new ArrayList<>();
        try {
            // Dealt round-robin: loop k gets one stalled client, then one reader.
            for (int i = 0; i < loops; i++) {
                stalled.add(RawWebSocket.to(ts.port(), "/feed").receiveBuffer(4096).connect());
            }
            for (int i = 0; i < loops; i++) {
                readers.add(new FeedReader(RawWebSocket.connect(ts.port(), "/feed")));
            }
            awaitWebSockets(2 * loops);
            int messages = 2_000; // 2 MB of 1 KB messages: each loop's 256 KiB ring wraps eight times
            // In batches well inside the ring, each awaited: the readers keep up, the stalled clients fall behind.
            for (int i = 0; i < messages; i++) {
                ts.server().broadcast(FEED, message("A", i, 1000).getBytes(StandardCharsets.US_ASCII), true);
                if (i % 50 == 49) {
                    for (FeedReader r : readers) {
                        r.await(i + 1);
                    }
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ts.server().counters().closes(CloseReason.WS_CLIENT_TOO_SLOW) < loops
                    && System.nanoTime() - deadline < 0) {
                Thread.sleep(5);
            }
            assertThat(ts.server().counters().closes(CloseReason.WS_CLIENT_TOO_SLOW))
                    .as("one stalled client closed per loop").isEqualTo(loops);
            assertThat(ts.server().counters().active(ConnectionType.WEBSOCKET)).isEqualTo(loops);
        } finally {
            for (RawWebSocket s : stalled) {
                s.close();
            }
            for (FeedReader r : readers) {
                r.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void everyLoopExpiresItsOwnIdleConnections(int loops) throws Exception {
        RingHttpServer.dealConnections = true;
        start(loops, ServerConfig.builder().maxConnections(4 * loops).maxWsConnections(4 * loops)
                .idleTimeout(Duration.ofMillis(300)));
        List<RawConnection> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * loops; i++) {
                RawConnection c = new RawConnection(ts.port());
                idle.add(c);
                body(c);
            }
            Set<Integer> loopsExpired = new TreeSet<>();
            for (int i = 0; i < 2 * loops; i++) {
                TestServer.Close close = ts.nextClose(ConnectionType.HTTP);
                assertThat(close.reason()).isEqualTo(CloseReason.IDLE_TIMEOUT);
                loopsExpired.add(ts.server().loopOfHttpConnection(close.id()));
            }
            assertThat(loopsExpired).isEqualTo(range(loops));
            for (RawConnection c : idle) {
                assertThat(c.readToEnd()).isEmpty();
            }
        } finally {
            for (RawConnection c : idle) {
                c.close();
            }
        }
    }

    // ---- shutdown and death ----

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void shutdownClosesEveryLoopsWebSocketsWith1001AndEndsEveryLoopThread(int loops) throws Exception {
        RingHttpServer.dealConnections = true;
        start(loops);
        int port = ts.port();
        List<RawWebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < 2 * loops; i++) {
            sockets.add(RawWebSocket.connect(port, "/feed"));
        }
        awaitWebSockets(2 * loops);
        List<Thread> loopThreads = loopThreads(port);
        assertThat(loopThreads).hasSize(loops);
        ts.server().shutdown(Duration.ofSeconds(2));
        for (RawWebSocket s : sockets) {
            s.expectClose(1001);
            s.close();
        }
        assertThat(ts.server().counters().closes(ConnectionType.WEBSOCKET, CloseReason.SERVER_SHUTDOWN))
                .isEqualTo(2L * loops);
        for (Thread t : loopThreads) {
            t.join(5_000);
            assertThat(t.isAlive()).as(t.getName() + " alive after shutdown").isFalse();
        }
        assertThat(ts.server().isRunning()).isFalse();
        assertRefused(port);
    }

    @Test
    void aDyingLoopStopsEveryLoopAndTellsTheListenersOnce() throws Exception {
        RingHttpServer.dealConnections = true;
        start(2);
        int port = ts.port();
        List<RawConnection> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RawConnection c = new RawConnection(port);
            open.add(c);
            body(c);
        }
        ConcurrentLinkedQueue<Throwable> told = new ConcurrentLinkedQueue<>();
        CountDownLatch died = new CountDownLatch(1);
        ts.server().onLoopFailure(cause -> {
            told.add(cause);
            died.countDown();
        });
        // A broken selector is what can kill a loop; nothing a client sends can.
        ts.server().execute(1, () -> {
            try {
                ts.server().loop(1).loop.selector().close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(died.await(10, TimeUnit.SECONDS)).as("listeners told").isTrue();
        assertThat(ts.server().isRunning()).isFalse();
        for (RawConnection c : open) {
            assertThat(c.readToEnd()).as("a connection of either loop after the death").isEmpty();
            c.close();
        }
        assertThat(ts.server().counters().closes(ConnectionType.HTTP, CloseReason.INTERNAL_ERROR)).isEqualTo(4);
        assertRefused(port);
        Thread.sleep(100);
        assertThat(told).hasSize(1);
        // It starts again, with every loop.
        ts.server().start();
        RawConnection again = new RawConnection(ts.port());
        assertThat(body(again)).isNotEmpty();
        again.close();
        assertThat(loopThreads(ts.port())).hasSize(2);
    }

    // ---- configuration ----

    @Test
    void aPortInUseFailsAsWithOneLoop() throws Exception {
        start(2);
        Handlers handlers = new Handlers();
        RingHttpServer second = RingHttpServer.create(ServerConfig.builder().address(InetAddress.getLoopbackAddress())
                .port(ts.port()).eventLoops(2).maxConnections(4).maxWsConnections(4).outgoingBufferSize(1 << 20)
                .build(), handlers, handlers);
        assertThatThrownBy(second::start).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(":" + ts.port());
        second.close();
    }

    @Test
    void poolsSplitAndTheFootprintIsTheSumOfTheLoops() {
        ServerConfig config = ServerConfig.builder().eventLoops(3).maxConnections(10).maxWsConnections(7)
                .largeBodyBuffers(4).build();
        assertThat(List.of(config.loopShare(0).maxConnections(), config.loopShare(1).maxConnections(),
                config.loopShare(2).maxConnections())).containsExactly(4, 3, 3);
        assertThat(List.of(config.loopShare(0).maxWsConnections(), config.loopShare(1).maxWsConnections(),
                config.loopShare(2).maxWsConnections())).containsExactly(3, 2, 2);
        assertThat(List.of(LoopShares.owner(10, 3, 3), LoopShares.owner(10, 3, 4), LoopShares.owner(10, 3, 9)))
                .containsExactly(0, 1, 2);
        long sum = 0;
        for (int k = 0; k < 3; k++) {
            assertThat(config.loopShare(k).outgoingBufferSize()).as("every loop has a whole ring")
                    .isEqualTo(config.outgoingBufferSize());
            sum += config.loopShare(k).footprint();
        }
        assertThat(config.footprint()).isEqualTo(sum - 2L * Footprint.SERVER_OBJECTS);
    }

    @Test
    void badLoopCountsFailNamingTheParameter() {
        assertThatThrownBy(() -> ServerConfig.builder().eventLoops(4).maxWsConnections(3).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("maxWsConnections");
        assertThatThrownBy(() -> ServerConfig.builder().eventLoops(-1).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("eventLoops");
        assertThatThrownBy(() -> ServerConfig.builder().eventLoops(257).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("eventLoops");
        assertThat(ServerConfig.builder().eventLoops(ServerConfig.LOOP_PER_PROCESSOR).build().eventLoops())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void aServerWithSeveralLoopsThatListenedButNeverStartedClosesItsListeners() throws Exception {
        Handlers handlers = new Handlers();
        RingHttpServer idle = RingHttpServer.create(ServerConfig.builder().address(InetAddress.getLoopbackAddress())
                .port(0).eventLoops(2).maxConnections(4).maxWsConnections(4).outgoingBufferSize(1 << 20).build(),
                handlers, handlers);
        int port = idle.listen().getPort();
        idle.close();
        assertRefused(port);
        assertThat(idle.isRunning()).isFalse();
    }

    @Test
    void aServerWithSeveralLoopsCannotBePolled() throws Exception {
        start(2);
        assertThatThrownBy(() -> ts.server().poll(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("start()");
    }

    // ---- helpers ----

    private static String body(RawConnection c) throws IOException {
        return new String(c.send("GET /loop HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().body(), StandardCharsets.US_ASCII);
    }

    private <T> T onLoop(int loop, java.util.function.Supplier<T> action) throws InterruptedException {
        AtomicReference<T> result = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        ts.server().execute(loop, () -> {
            result.set(action.get());
            done.countDown();
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        return result.get();
    }

    private void awaitWebSockets(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (wsLoop.size() < n || ts.server().counters().active(ConnectionType.WEBSOCKET) < n) {
            assertThat(System.nanoTime() - deadline).as("WebSockets open in time").isNegative();
            Thread.sleep(5);
        }
    }

    private static List<Thread> loopThreads(int port) {
        List<Thread> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("ringhttp-loop-" + port + "-") && t.isAlive()) {
                found.add(t);
            }
        }
        return found;
    }

    private static Set<Integer> range(int n) {
        Set<Integer> all = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        return all;
    }

    private static void assertRefused(int port) {
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .as("connecting to the stopped server's port").isInstanceOf(ConnectException.class);
    }
}
