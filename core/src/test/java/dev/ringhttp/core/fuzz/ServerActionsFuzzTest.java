package dev.ringhttp.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.HttpHandler;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.Staging;
import dev.ringhttp.core.WebSocketHandler;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawWebSocket;
import dev.ringhttp.core.testing.ServerLogCapture;
import dev.ringhttp.core.testing.WsFrames;
import dev.ringhttp.core.testing.WsFrames.LengthEncoding;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole server under a fuzzed sequence of client actions: the input decodes into at most
 * {@value #MAX_ACTIONS} steps over {@value #SLOTS} client sockets (connect with a normal or tiny
 * receive window, pipelined requests, raw bytes, a WebSocket upgrade, frames of any opcode, length and
 * fragmentation cut at any byte, pauses, reads, half-closes, closes, resets) plus server-side actions
 * (broadcasts from another thread, closes by id). One real server per JVM, started on first use, with
 * pools smaller than the slots so eviction runs too.
 *
 * <p>After each input, all its sockets reset: within {@value #BOUND_MILLIS} ms the pools are empty
 * again, every WebSocket opened has been closed exactly once and every connection accepted has been
 * reported closed or upgraded, a fresh probe request is answered, the loop is alive, and the server
 * logged no warning or error other than the handlers' purposeful throws.
 */
class ServerActionsFuzzTest {

    private static final int SLOTS = 5;
    private static final int MAX_ACTIONS = 32;
    private static final long BOUND_MILLIS = 2_000;
    private static final String THROWN = "fuzz: handler throws on purpose";
    private static final ByteBuffer PROBE = ByteBuffer.wrap("probe".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    private static final byte[] UPGRADE = RawWebSocket.handshake("/ws");
    /** The mask key of every masked frame: any key will do, the server must unmask with each. */
    private static final int MASK = 0x01020304;

    private static FuzzServer shared;
    /** Connections this JVM made to the shared server (inputs and probes): each must be accepted. */
    private static final AtomicLong CONNECTS = new AtomicLong();

    @FuzzTest(maxDuration = "60s")
    void actions(FuzzedDataProvider data) throws Exception {
        // Jazzer's SSRF detector flags every connection; this test's are all to its own loopback server.
        try (SilentCloseable loopbackOnly = BugDetectors.allowNetworkConnections(
                (host, port) -> InetAddress.getLoopbackAddress().getHostName().equals(host)
                        || InetAddress.getLoopbackAddress().getHostAddress().equals(host))) {
            run(data);
        }
    }

    private static void run(FuzzedDataProvider data) throws Exception {
        FuzzServer server = FuzzServer.get();
        Clients clients = new Clients(server.port());
        try {
            int steps = data.consumeInt(1, MAX_ACTIONS);
            for (int i = 0; i < steps && data.remainingBytes() > 0; i++) {
                act(data, clients, server.server);
            }
        } finally {
            clients.resetAll();
        }
        // Accepted first: a connection still in the listener's backlog is not counted active yet, and
        // accepting it later could evict the probe from a full pool.
        assertThat(await(() -> server.server.counters().accepted() == CONNECTS.get()))
                .as("every connection accepted: %d made, %s", CONNECTS.get(), server.describe()).isTrue();
        assertThat(await(() -> server.activeConnections() == 0)).as("pools empty again: %s", server.describe()).isTrue();
        server.probe();
        // Totals since the server started (every connection to it is this test's, probes included).
        assertThat(await(() -> server.httpCloses.get() + server.wsOpens.get() == server.server.counters().accepted()
                && server.wsOpens.get() == server.wsCloses.get()))
                .as("one close (or upgrade) per accepted connection, one close per WebSocket: %s", server.describe())
                .isTrue();
        assertThat(server.server.isRunning()).as("loop alive").isTrue();
        assertThat(server.server.failure()).isNull();
        assertThat(server.logged).as("server warnings and errors").isEmpty();
    }

    private static void act(FuzzedDataProvider data, Clients clients, RingHttpServer server) throws IOException {
        int slot = data.consumeInt(0, SLOTS - 1);
        switch (data.consumeInt(0, 12)) {
            case 0 -> clients.connect(slot, data.consumeBoolean());
            case 1 -> clients.send(slot, pipeline(data));
            case 2 -> clients.send(slot, data.consumeBytes(data.consumeInt(0, 300)));
            case 3 -> clients.send(slot, UPGRADE);
            case 4 -> clients.send(slot, frames(data));
            case 5 -> pause(data.consumeInt(0, 15));
            case 6 -> clients.drain(slot);
            case 7 -> clients.close(slot, true);
            case 8 -> clients.close(slot, false);
            case 9 -> clients.halfClose(slot);
            case 10 -> server.broadcast(Staging.ALL_CHANNELS, new byte[data.consumeInt(0, 20_000)], data.consumeBoolean());
            case 11 -> {
                if (data.consumeBoolean()) {
                    server.closeWebSocket(data.consumeInt(0, 3));
                } else {
                    server.closeHttpConnection(data.consumeInt(0, 5));
                }
            }
            default -> {
                // Cut what goes next at a fuzzed byte: the rest of a request or frame is never sent.
                byte[] whole = data.consumeBoolean() ? pipeline(data) : frames(data);
                clients.send(slot, java.util.Arrays.copyOf(whole, data.consumeInt(0, whole.length)));
            }
        }
    }

    /** Minimal requests on the routes of {@link FuzzServer}: bodies, a dropped stage, throws. */
    private static byte[] pipeline(FuzzedDataProvider data) {
        StringBuilder sb = new StringBuilder();
        int n = data.consumeInt(1, 2_500);
        String[] routes = {"/e/", "/e/", "/s/", "/t/", "/x/"};
        for (int i = 0; i < n; i++) {
            sb.append("GET ").append(routes[data.consumeInt(0, routes.length - 1)]).append(data.consumeInt(0, 5_000))
                    .append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Client frames: any opcode and flags, empty to large payloads, mostly masked, sometimes fragmented with pings. */
    private static byte[] frames(FuzzedDataProvider data) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int n = data.consumeInt(1, 6);
        int[] opcodes = {0x1, 0x2, 0x0, 0x9, 0xA, 0x8, 0x3};
        for (int i = 0; i < n; i++) {
            int opcode = opcodes[data.consumeInt(0, opcodes.length - 1)];
            boolean fin = data.consumeBoolean();
            int length = data.consumeBoolean() ? data.consumeInt(0, 130) : data.consumeInt(0, 70_000);
            byte first = data.consumeByte();
            byte[] payload = new byte[length];
            if (first != 0 && length > 0) {
                // 'K' asks the handler to broadcast, 'T' to throw: both are part of what gets fuzzed.
                payload[0] = first;
            }
            boolean masked = data.consumeInt(0, 15) != 0;
            int firstByte = (fin ? WsFrames.FIN : 0) | opcode;
            out.writeBytes(WsFrames.frame(firstByte, payload, MASK, masked, LengthEncoding.MINIMAL));
        }
        return out.toByteArray();
    }

    private static void pause(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            pause(2);
        }
        return true;
    }

    /** Non-blocking loopback sockets, so no action can block: a write takes what the socket takes. */
    private static final class Clients {
        private final int port;
        private final SocketChannel[] slots = new SocketChannel[SLOTS];
        private final List<SocketChannel> all = new ArrayList<>();
        private final ByteBuffer sink = ByteBuffer.allocate(64 * 1024);

        Clients(int port) {
            this.port = port;
        }

        void connect(int slot, boolean tinyWindow) throws IOException {
            close(slot, false);
            SocketChannel c = SocketChannel.open();
            all.add(c);
            if (tinyWindow) {
                c.setOption(StandardSocketOptions.SO_RCVBUF, 2048);
            }
            c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            CONNECTS.incrementAndGet();
            c.configureBlocking(false);
            slots[slot] = c;
        }

        void send(int slot, byte[] bytes) {
            SocketChannel c = slots[slot];
            if (c == null) {
                return;
            }
            try {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                for (int i = 0; i < 256 && b.hasRemaining(); i++) {
                    if (c.write(b) == 0) {
                        break;
                    }
                }
            } catch (IOException e) {
                // the server closed it: later actions on this slot do nothing useful, which is fine
            }
        }

        void drain(int slot) {
            SocketChannel c = slots[slot];
            try {
                for (int i = 0; c != null && i < 64; i++) {
                    sink.clear();
                    if (c.read(sink) <= 0) {
                        return;
                    }
                }
            } catch (IOException e) {
                // reset by the server
            }
        }

        void halfClose(int slot) {
            try {
                if (slots[slot] != null) {
                    slots[slot].shutdownOutput();
                }
            } catch (IOException e) {
                // already gone
            }
        }

        void close(int slot, boolean reset) {
            SocketChannel c = slots[slot];
            slots[slot] = null;
            if (c != null) {
                closeChannel(c, reset);
            }
        }

        void resetAll() {
            for (SocketChannel c : all) {
                closeChannel(c, true);
            }
        }

        private static void closeChannel(SocketChannel c, boolean reset) {
            try {
                if (reset && c.isOpen()) {
                    c.setOption(StandardSocketOptions.SO_LINGER, 0);
                }
            } catch (IOException e) {
                // closing is all that is left
            }
            try {
                c.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }

    /**
     * The one server of this JVM: routes {@code /e/N} (an N-byte ring body), {@code /s/N} (stages N
     * bytes, answers a static body), {@code /t/N} and {@code /x/N} (stage, then throw a RuntimeException
     * or an Error), {@code /p} (probe), {@code /ws} (upgrade); WebSocket messages are echoed, a first
     * byte 'K' also broadcasts, 'T' throws; every WebSocket close broadcasts from its callback.
     */
    private static final class FuzzServer {
        final RingHttpServer server;
        final AtomicLong httpCloses = new AtomicLong();
        final AtomicLong wsOpens = new AtomicLong();
        final AtomicLong wsCloses = new AtomicLong();
        final List<String> logged = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile CloseReason lastHttpClose;

        static synchronized FuzzServer get() {
            if (shared == null || !shared.server.isRunning()) {
                CONNECTS.set(0);
                shared = new FuzzServer();
            }
            shared.logged.clear();
            return shared;
        }

        private FuzzServer() {
            RingHttpServer[] self = new RingHttpServer[1];
            server = RingHttpServer.create(ServerConfig.builder().address(InetAddress.getLoopbackAddress()).port(0)
                    .maxConnections(4).maxWsConnections(2).maxRequestLength(96 * 1024).maxWsMessageLength(70_000)
                    .maxWsSendFrames(16).outgoingBufferSize(96 * 1024).build(), new HttpHandler() {
                        @Override
                        public void handle(HttpRequest request, HttpResponse response) {
                            route(self[0], request, response);
                        }

                        @Override
                        public void onClose(int connectionId, CloseReason reason) {
                            lastHttpClose = reason;
                            httpCloses.incrementAndGet();
                        }
                    }, new WebSocketHandler() {
                        @Override
                        public void onOpen(int wsId, HttpRequest handshake) {
                            wsOpens.incrementAndGet();
                        }

                        @Override
                        public void onMessage(int wsId, ByteBuffer payload, boolean text) {
                            byte first = payload.remaining() > 0 ? payload.get(payload.position()) : 0;
                            if (first == 'T') {
                                throw new IllegalStateException(THROWN);
                            }
                            self[0].staging().bytes(payload.duplicate()).sendTo(wsId, text);
                            if (first == 'K') {
                                self[0].staging().bytes(payload).broadcast(text);
                            }
                        }

                        @Override
                        public void onClose(int wsId, CloseReason reason) {
                            wsCloses.incrementAndGet();
                            try {
                                self[0].staging().ascii("closed").broadcast(true);
                            } catch (IllegalStateException e) {
                                logged.add("close callback could not broadcast: " + e.getMessage());
                            }
                        }
                    });
            self[0] = server;
            ServerLogCapture.install(record -> {
                Throwable t = record.getThrown();
                if (t == null || !THROWN.equals(t.getMessage())) {
                    logged.add(record.getMessage() + (t == null ? "" : ": " + t));
                }
            });
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> server.shutdown(Duration.ZERO)));
        }

        private static void route(RingHttpServer server, HttpRequest request, HttpResponse response) {
            String path = request.path();
            if (path.equals("/ws") && request.isWebSocketUpgrade()) {
                response.upgradeToWebSocket(0);
                return;
            }
            if (path.equals("/p")) {
                response.body(PROBE);
                return;
            }
            int n = path.length() > 3 ? Integer.parseInt(path.substring(3)) : 0;
            switch (path.length() > 3 ? path.substring(0, 3) : path) {
                case "/e/" -> response.body(new byte[n]);
                case "/s/" -> {
                    server.staging().bytes(new byte[n]);
                    response.body(PROBE);
                }
                case "/t/" -> {
                    server.staging().bytes(new byte[n]);
                    throw new IllegalStateException(THROWN);
                }
                case "/x/" -> {
                    server.staging().bytes(new byte[n]);
                    throw new AssertionError(THROWN);
                }
                default -> response.status(404);
            }
        }

        int port() {
            return server.address().getPort();
        }

        long activeConnections() {
            return server.counters().active(ConnectionType.HTTP) + server.counters().active(ConnectionType.WEBSOCKET);
        }

        String describe() {
            return "active HTTP " + server.counters().active(ConnectionType.HTTP) + ", WebSocket "
                    + server.counters().active(ConnectionType.WEBSOCKET) + ", HTTP closes " + httpCloses
                    + ", WebSocket opens " + wsOpens + ", closes " + wsCloses + ", accepted "
                    + server.counters().accepted() + ", last HTTP close " + lastHttpClose + ", failure " + server.failure();
        }

        /** A fresh connection's GET /p is answered within the bound. */
        void probe() throws IOException {
            CONNECTS.incrementAndGet();
            String answer = RawConnection.requestUntilClose(port(),
                    "GET /p HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", (int) BOUND_MILLIS);
            assertThat(answer).as("probe answer (%s; logged %s)", describe(), logged).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nprobe");
        }
    }
}
