package dev.ringhttp.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringhttp.core.testing.Await;
import dev.ringhttp.core.testing.RawClient;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import dev.ringhttp.core.testing.RawWebSocket;
import dev.ringhttp.core.testing.ServerFrame;
import dev.ringhttp.core.testing.TestServer;
import dev.ringhttp.core.testing.WsFrames;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Graceful shutdown (DESIGN "Spring Boot layer": stop accepting, finish responses in flight, close WebSockets with 1001). */
class ShutdownTest {

    private static final Duration GRACE = Duration.ofMillis(1500);

    /** Routes: "/" answers at once, "/slow" is completed 200 ms later from another thread, "/never" is never completed. */
    private static final class DeferringHandler implements HttpHandler {
        final AtomicReference<RingHttpServer> server = new AtomicReference<>();
        final CountDownLatch deferred = new CountDownLatch(2);
        final Map<String, Integer> connectionByPath = new ConcurrentHashMap<>();

        @Override
        public void handle(HttpRequest request, HttpResponse response) {
            connectionByPath.put(request.path(), request.connectionId());
            if (request.pathEquals("/slow")) {
                long token = response.defer();
                RingHttpServer s = server.get();
                Thread later = new Thread(() -> {
                    sleep(200);
                    s.execute(() -> {
                        HttpResponse r = s.deferredResponse(token);
                        if (r != null) {
                            r.body("finished late");
                            r.complete();
                        }
                    });
                }, "deferred-completer");
                later.setDaemon(true);
                later.start();
                deferred.countDown();
            } else if (request.pathEquals("/never")) {
                response.defer();
                deferred.countDown();
            } else if (request.pathEquals("/feed")) {
                response.upgradeToWebSocket(0);
            } else {
                response.body("ok");
            }
        }
    }

    @Test
    void shutdownStopsAcceptingClosesIdleFinishesInFlightAndForcesTheRestAfterGrace() throws Exception {
        DeferringHandler handler = new DeferringHandler();
        try (TestServer ts = TestServer.start(handler, WebSocketHandler.NONE)) {
            RingHttpServer server = ts.server();
            handler.server.set(server);
            int port = ts.port();

            RawConnection idle = new RawConnection(port);
            idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawResponse first = idle.readResponse();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("Connection")).isNull();

            RawWebSocket ws = RawWebSocket.connect(port, "/feed");
            RawConnection slow = new RawConnection(port);
            slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            RawConnection never = new RawConnection(port);
            never.send("GET /never HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(handler.deferred.await(10, TimeUnit.SECONDS)).isTrue();

            long started = System.nanoTime();
            Thread stopper = new Thread(() -> server.shutdown(GRACE), "stopper");
            stopper.start();

            // WebSocket: a close frame with 1001, then the end of the stream.
            ServerFrame close = ws.readFrame();
            assertThat(close).isNotNull();
            assertThat(close.opcode()).isEqualTo(WsFrames.CLOSE);
            assertThat(close.closeCode()).isEqualTo(1001);
            assertThat(ws.readFrameOrNull()).isNull();

            // The idle keep-alive connection is closed without a response.
            assertThat(idle.readToEnd()).isEmpty();

            // The listener is closed: new connections are refused. (The JDK closes a registered listener's
            // descriptor only at the selector's next select, so allow the loop one more turn.)
            Await.until(() -> connectRefused(port), "the port to refuse connections");

            // The response in flight finishes, with Connection: close, then the connection closes.
            RawResponse late = slow.readResponse();
            assertThat(late.status()).isEqualTo(200);
            assertThat(late.bodyText()).isEqualTo("finished late");
            assertThat(late.header("Connection")).isEqualTo("close");
            assertThat(slow.readToEnd()).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(GRACE);

            // The deferred response never completed is closed when the grace period is over.
            assertThat(never.readToEnd()).isEmpty();
            long neverClosedAfter = System.nanoTime() - started;
            assertThat(Duration.ofNanos(neverClosedAfter)).isGreaterThanOrEqualTo(GRACE.minusMillis(50));

            stopper.join(10_000);
            assertThat(stopper.isAlive()).isFalse();
            assertThat(server.isRunning()).isFalse();
            assertThat(connectRefused(port)).isTrue();
            assertThat(server.failure()).isNull();

            List<TestServer.Close> closes = drain(ts.closes(), 4);
            assertThat(closes).extracting(TestServer.Close::reason).containsOnly(CloseReason.SERVER_SHUTDOWN);
            assertThat(closes).filteredOn(c -> c.type() == ConnectionType.WEBSOCKET).hasSize(1);
            assertThat(closes).filteredOn(c -> c.type() == ConnectionType.HTTP).extracting(TestServer.Close::id)
                    .containsExactlyInAnyOrder(handler.connectionByPath.get("/"), handler.connectionByPath.get("/slow"),
                            handler.connectionByPath.get("/never"));

            // Idempotent: a second shutdown returns at once and reports nothing more.
            long again = System.nanoTime();
            server.shutdown(GRACE);
            server.close();
            assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofMillis(500));
            assertThat(server.isRunning()).isFalse();
            Thread.sleep(50);
            assertThat(ts.closes()).isEmpty();
            for (AutoCloseable c : List.of(idle, slow, never, ws)) {
                c.close();
            }
        }
    }

    @Test
    void shutdownInPollModeRunsOnThePollingThread() throws Exception {
        BlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();
        HttpHandler http = feedOr("ok", closes::add);
        WebSocketHandler ws = closesTo(closes::add);
        RingHttpServer server = RingHttpServer.create(ServerConfig.builder().address(InetAddress.getLoopbackAddress())
                .port(0).maxConnections(8).maxWsConnections(8).outgoingBufferSize(64 * 1024).build(), http, ws);
        int port = server.listen().getPort();
        assertThat(server.isRunning()).isTrue();

        RawConnection idle = new RawConnection(port);
        idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        pollUntil(server, () -> available(idle.socket()) > 0);
        assertThat(idle.readResponse().bodyText()).isEqualTo("ok");

        Socket wsSocket = RawClient.connect(port, 0, 10_000);
        RawWebSocket client = RawWebSocket.wrap(wsSocket);
        client.sendHandshake("/feed");
        pollUntil(server, () -> available(wsSocket) > 0);
        client.readHandshakeResponse();
        pollUntil(server, () -> server.counters().active(ConnectionType.WEBSOCKET) == 1);

        server.shutdown(Duration.ofMillis(500));

        assertThat(server.isRunning()).isFalse();
        ServerFrame close = client.readFrame();
        assertThat(close.opcode()).isEqualTo(WsFrames.CLOSE);
        assertThat(close.closeCode()).isEqualTo(1001);
        assertThat(client.readFrameOrNull()).isNull();
        assertThat(idle.readToEnd()).isEmpty();
        assertThat(closes).containsExactlyInAnyOrder(CloseReason.SERVER_SHUTDOWN, CloseReason.SERVER_SHUTDOWN);
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
        server.shutdown(Duration.ofMillis(500));
        assertThat(closes).hasSize(2);
        idle.close();
        client.close();
    }

    @Test
    void aShutdownRefusedOffThePollingThreadLeavesTheServerShutDownable() throws Exception {
        RingHttpServer server = RingHttpServer.create(ServerConfig.builder().address(InetAddress.getLoopbackAddress())
                .port(0).maxConnections(4).maxWsConnections(4).outgoingBufferSize(64 * 1024).build(),
                (request, response) -> response.body("ok"), WebSocketHandler.NONE);
        server.listen();
        server.poll(0);
        AtomicReference<Throwable> offThread = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                server.shutdown(Duration.ZERO);
            } catch (Throwable t) {
                offThread.set(t);
            }
        });
        other.start();
        other.join(10_000);
        assertThat(offThread.get()).isInstanceOf(IllegalStateException.class);
        assertThat(server.isRunning()).as("a refused shutdown changes nothing").isTrue();

        server.shutdown(Duration.ZERO);
        assertThat(server.isRunning()).isFalse();
        int port = server.address().getPort();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
    }

    private static final int BROADCAST_CLIENTS = 4;
    private static final int BROADCASTS = 300;
    private static final int MESSAGE_LENGTH = 32 * 1024;

    @Test
    void broadcastsInFlightAtShutdownAreDeliveredWholeThenClosedWith1001() throws Exception {
        HttpHandler http = (request, response) -> response.upgradeToWebSocket(0);
        ServerConfig.Builder config = ServerConfig.builder().maxConnections(8).maxWsConnections(8)
                .maxWsSendFrames(512).outgoingBufferSize(16 << 20);
        try (TestServer ts = TestServer.start(config, http, WebSocketHandler.NONE)) {
            RingHttpServer server = ts.server();
            List<RawWebSocket> clients = new ArrayList<>();
            for (int i = 0; i < BROADCAST_CLIENTS; i++) {
                // A small receive window so that broadcasts pile up in the server and frames are cut mid-write.
                clients.add(RawWebSocket.to(ts.port(), "/feed").receiveBuffer(4096).connect());
            }
            Await.until(() -> server.counters().active(ConnectionType.WEBSOCKET) == BROADCAST_CLIENTS, "clients open");

            for (int i = 0; i < BROADCASTS; i++) {
                server.broadcast(message(i));
            }
            Thread stopper = new Thread(() -> server.shutdown(Duration.ofSeconds(5)), "stopper");
            stopper.start();

            List<Thread> readers = new ArrayList<>();
            List<String> outcomes = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (RawWebSocket client : clients) {
                Thread reader = new Thread(() -> {
                    try {
                        String outcome = readStrictly(client);
                        synchronized (outcomes) {
                            outcomes.add(outcome);
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }, "strict-reader");
                readers.add(reader);
                reader.start();
            }
            for (Thread reader : readers) {
                reader.join(15_000);
                assertThat(reader.isAlive()).isFalse();
            }
            if (failure.get() != null) {
                throw new AssertionError("a client saw a broken stream", failure.get());
            }
            stopper.join(15_000);
            assertThat(outcomes).hasSize(BROADCAST_CLIENTS);
            System.out.println("ShutdownTest: messages delivered whole before the 1001 close frame, per client: " + outcomes);
            List<TestServer.Close> closes = drain(ts.closes(), BROADCAST_CLIENTS);
            assertThat(closes).extracting(TestServer.Close::reason).containsOnly(CloseReason.SERVER_SHUTDOWN);
            for (RawWebSocket client : clients) {
                client.close();
            }
        }
    }

    /**
     * Reads every frame strictly: whole text messages numbered from 0 without
     * a gap, then a 1001 close frame, then the end of the stream. Returns how
     * many messages came.
     */
    private static String readStrictly(RawWebSocket client) throws IOException {
        int next = 0;
        while (true) {
            ServerFrame f = client.readFrameOrNull();
            if (f == null) {
                throw new AssertionError("stream ended after " + next + " messages without a close frame");
            }
            if (f.opcode() == WsFrames.CLOSE) {
                assertThat(f.closeCode()).isEqualTo(1001);
                assertThat(client.readFrameOrNull()).as("nothing after the close frame").isNull();
                return Integer.toString(next);
            }
            assertThat(f.fin()).isTrue();
            assertThat(f.opcode()).isEqualTo(WsFrames.TEXT);
            assertThat(f.text()).as("message " + next).isEqualTo(message(next));
            next++;
        }
    }

    private static String message(int i) {
        StringBuilder b = new StringBuilder(MESSAGE_LENGTH);
        b.append("message ").append(i).append(':');
        while (b.length() < MESSAGE_LENGTH) {
            b.append((char) ('a' + (b.length() + i) % 26));
        }
        return b.toString();
    }

    @Test
    void theLoopSurvivesExceptionsFromCloseCallbacksAndTasks() throws Exception {
        HttpHandler http = feedOr("served", reason -> {
            throw new IllegalStateException("onClose failed on purpose");
        });
        WebSocketHandler ws = closesTo(reason -> {
            throw new IllegalStateException("WebSocket onClose failed on purpose");
        });
        try (TestServer ts = TestServer.start(http, ws)) {
            RingHttpServer server = ts.server();
            long errorsBefore = server.counters().handlerErrors();

            try (RawConnection c = new RawConnection(ts.port())) {
                c.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(c.readResponse().bodyText()).isEqualTo("served");
                assertThat(c.readToEnd()).isEmpty();
            }
            assertThat(ts.nextClose().reason()).isEqualTo(CloseReason.OK);

            try (RawWebSocket client = RawWebSocket.connect(ts.port(), "/feed")) {
                client.sendClose(1000);
                assertThat(client.readFrame().closeCode()).isEqualTo(1000);
            }
            assertThat(ts.nextClose(ConnectionType.WEBSOCKET).reason()).isEqualTo(CloseReason.OK);

            CountDownLatch afterFailingTask = new CountDownLatch(1);
            server.execute(() -> {
                throw new IllegalStateException("task failed on purpose");
            });
            server.execute(afterFailingTask::countDown);
            assertThat(afterFailingTask.await(10, TimeUnit.SECONDS)).isTrue();

            try (RawConnection c = new RawConnection(ts.port())) {
                for (int i = 0; i < 3; i++) {
                    c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                    assertThat(c.readResponse().bodyText()).isEqualTo("served");
                }
            }
            assertThat(server.isRunning()).isTrue();
            assertThat(server.failure()).isNull();
            Await.until(() -> server.counters().handlerErrors() - errorsBefore >= 3, "three handler errors");
        }
    }

    // ---- helpers ----

    private static List<TestServer.Close> drain(BlockingQueue<TestServer.Close> queue, int expected) throws InterruptedException {
        List<TestServer.Close> all = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (all.size() < expected && System.nanoTime() - deadline < 0) {
            TestServer.Close c = queue.poll(100, TimeUnit.MILLISECONDS);
            if (c != null) {
                all.add(c);
            }
        }
        TestServer.Close extra = queue.poll(50, TimeUnit.MILLISECONDS);
        if (extra != null) {
            all.add(extra);
        }
        assertThat(all).as("closes reported").hasSize(expected);
        return all;
    }

    private static void pollUntil(RingHttpServer server, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not met within 10 s of polling");
            }
            server.poll(10);
        }
    }

    /** Upgrades {@code /feed} into channel 0, answers anything else with {@code body}, reports HTTP closes. */
    private static HttpHandler feedOr(String body, Consumer<CloseReason> onClose) {
        return new HttpHandler() {
            @Override
            public void handle(HttpRequest request, HttpResponse response) {
                if (request.pathEquals("/feed")) {
                    response.upgradeToWebSocket(0);
                } else {
                    response.body(body);
                }
            }

            @Override
            public void onClose(int connectionId, CloseReason reason) {
                onClose.accept(reason);
            }
        };
    }

    /** Ignores messages and reports WebSocket closes. */
    private static WebSocketHandler closesTo(Consumer<CloseReason> onClose) {
        return new WebSocketHandler() {
            @Override
            public void onMessage(int wsId, ByteBuffer payload, boolean text) {
            }

            @Override
            public void onClose(int wsId, CloseReason reason) {
                onClose.accept(reason);
            }
        };
    }

    private static boolean connectRefused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int available(Socket socket) {
        try {
            return socket.getInputStream().available();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
