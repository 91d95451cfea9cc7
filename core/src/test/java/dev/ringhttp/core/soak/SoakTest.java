package dev.ringhttp.core.soak;

import static dev.ringhttp.core.testing.WsFrames.BINARY;
import static dev.ringhttp.core.testing.WsFrames.CLOSE;
import static dev.ringhttp.core.testing.WsFrames.CONTINUATION;
import static dev.ringhttp.core.testing.WsFrames.FIN;
import static dev.ringhttp.core.testing.WsFrames.PING;
import static dev.ringhttp.core.testing.WsFrames.PONG;
import static dev.ringhttp.core.testing.WsFrames.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.WebSocketHandler;
import dev.ringhttp.core.testing.Await;
import dev.ringhttp.core.testing.HttpResponseReader;
import dev.ringhttp.core.testing.RawClient;
import dev.ringhttp.core.testing.RawResponse;
import dev.ringhttp.core.testing.RawWebSocket;
import dev.ringhttp.core.testing.ServerFrame;
import dev.ringhttp.core.testing.ServerFrameReader;
import dev.ringhttp.core.testing.TestServer;
import dev.ringhttp.core.testing.WsFrames;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bounded soak: small pools (32 HTTP, 32 WebSocket), a small ring and short timeouts, and
 * client threads that at random make keep-alive and pipelined requests, read big ring bodies
 * slowly, upgrade and echo, listen to broadcasts, reset (SO_LINGER 0) mid-request and mid-frame,
 * vanish mid-frame, send garbage, and sit idle. Every response and echo that is read completely
 * must be byte-exact.
 *
 * <p>After each of three rounds: the active counts return to zero, every pool slot is free (a
 * full pool's worth of concurrent connections, HTTP and WebSocket, is served without one
 * eviction), the process's open file descriptors are back at the baseline, and the used heap
 * after GC does not grow from round to round.
 *
 * <p>About 45 s in all by default; {@code -Dringhttp.soak.seconds=600} soaks longer.
 */
@Tag("soak")
class SoakTest {

    private static final int POOL = 32;
    private static final int CLIENTS = 6;
    private static final int ROUNDS = 3;
    private static final byte[] BIG = new byte[48 * 1024];
    private static final byte[] SMALL = "small body".getBytes(StandardCharsets.US_ASCII);
    private static final long HEAP_NOISE = 8L << 20;
    private static final String PADDING = " " + "x".repeat(2048);

    static {
        new Random(42).nextBytes(BIG);
    }

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong echoes = new AtomicLong();
    private final AtomicLong broadcastsSeen = new AtomicLong();
    private final AtomicLong aborted = new AtomicLong();
    private final AtomicLong clientErrors = new AtomicLong();
    private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());

    private TestServer test;
    private RingHttpServer server;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void soak() throws Exception {
        long seconds = Long.getLong("ringhttp.soak.seconds", 45);
        long roundMillis = Math.max(2_000, (seconds * 1000 - 9_000) / ROUNDS);
        RingHttpServer[] holder = new RingHttpServer[1];
        test = TestServer.start(ServerConfig.builder().maxConnections(POOL).maxWsConnections(POOL)
                .maxWsMessageLength(16 * 1024).maxWsSendFrames(64).outgoingBufferSize(256 * 1024)
                .maxRequestLength(4096).requestReadTimeout(Duration.ofMillis(1000))
                .idleTimeout(Duration.ofMillis(1000)).wsIdleTimeout(Duration.ofMillis(1500)),
                SoakTest::handle, new WebSocketHandler() {
                    @Override
                    public void onOpen(int wsId, HttpRequest handshake) {
                    }

                    @Override
                    public void onMessage(int wsId, ByteBuffer payload, boolean text) {
                        holder[0].staging().bytes(payload).sendTo(wsId, text);
                    }
                });
        server = test.server();
        holder[0] = server;

        runRound(1_500); // warm-up: load classes, open whatever the JVM keeps open
        awaitQuiet();
        // In the shared surefire JVM, sockets other test classes left to the GC are closed by their
        // cleaners at some GC; collect them now so they do not move the baseline later.
        usedHeapAfterGc();
        long fdBaseline = openFds();
        long[] heap = new long[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            runRound(roundMillis);
            awaitQuiet();
            checkEverySlotFree();
            awaitQuiet();
            long fds = awaitFds(fdBaseline);
            heap[round] = usedHeapAfterGc();
            System.out.printf("soak round %d: %d ms, fds %d (baseline %d), heap after GC %.1f MiB%n", round + 1,
                    (System.nanoTime() - start) / 1_000_000, fds, fdBaseline, heap[round] / 1048576.0);
            // never above the baseline (a leak); below it only if another test's garbage got closed
            assertThat(fds).as("open file descriptors after round %d", round + 1).isLessThanOrEqualTo(fdBaseline);
        }
        test.close();
        printFigures();
        assertThat(violations).as("byte-exactness violations").isEmpty();
        assertThat(requests.get()).as("requests answered").isPositive();
        assertThat(echoes.get()).as("echoes received").isPositive();
        for (int round = 1; round < ROUNDS; round++) {
            assertThat(heap[round]).as("heap after round %d vs round 1", round + 1).isLessThan(heap[0] + HEAP_NOISE);
        }
    }

    private static void handle(HttpRequest request, HttpResponse response) {
        if (request.isWebSocketUpgrade() && request.pathEquals("/ws")) {
            response.upgradeToWebSocket(0);
        } else if (request.pathEquals("/big")) {
            response.body(BIG);
        } else {
            response.body(SMALL);
        }
    }

    // ---- rounds ----

    private void runRound(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        AtomicBoolean broadcasting = new AtomicBoolean(true);
        Thread broadcaster = new Thread(() -> {
            int n = 0;
            while (broadcasting.get()) {
                // 2 KiB every 5 ms: the 256 KiB ring wraps about every 0.6 s, so slow listeners get evicted
                server.broadcast(0, "broadcast " + n++ + PADDING);
                sleep(5);
            }
        }, "soak-broadcaster");
        broadcaster.start();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() - deadline < 0) {
                    try {
                        randomAction();
                    } catch (IOException expected) {
                        // evictions, resets and timeouts are part of the game
                        clientErrors.incrementAndGet();
                    } catch (AssertionError | RuntimeException e) {
                        violations.add(e.toString());
                    }
                }
            }, "soak-client-" + i);
            t.start();
            clients.add(t);
        }
        for (Thread t : clients) {
            t.join(millis + 30_000);
            assertThat(t.isAlive()).as("client thread finished").isFalse();
        }
        broadcasting.set(false);
        broadcaster.join();
    }

    private void randomAction() throws IOException {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        switch (r.nextInt(10)) {
            case 0, 1 -> keepAlive(r.nextInt(1, 6));
            case 2 -> pipelined(r.nextInt(2, 6));
            case 3 -> bigSlow(r.nextBoolean());
            case 4, 5 -> wsEcho(r.nextInt(1, 8), r.nextBoolean());
            case 6 -> wsListen(r.nextInt(50, 400));
            case 7 -> resetMidRequest(r.nextBoolean());
            case 8 -> wsAbortMidFrame(r.nextBoolean());
            default -> idle(r.nextInt(100, 1500), r.nextBoolean());
        }
    }

    private Socket open(int receiveBuffer) throws IOException {
        return RawClient.connect(test.port(), receiveBuffer, 3_000);
    }

    private void keepAlive(int count) throws IOException {
        try (Socket s = open(0)) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int i = 0; i < count; i++) {
                boolean big = ThreadLocalRandom.current().nextInt(4) == 0;
                s.getOutputStream().write(("GET " + (big ? "/big" : "/small") + " HTTP/1.1\r\nHost: s\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                expectBody(in, big ? BIG : SMALL);
            }
        }
    }

    private void pipelined(int count) throws IOException {
        try (Socket s = open(0)) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < count; i++) {
                all.append(i % 2 == 0 ? "GET /small" : "GET /big").append(" HTTP/1.1\r\nHost: s\r\n\r\n");
            }
            s.getOutputStream().write(all.toString().getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int i = 0; i < count; i++) {
                expectBody(in, i % 2 == 0 ? SMALL : BIG);
            }
        }
    }

    private void bigSlow(boolean abandon) throws IOException {
        try (Socket s = open(4096)) {
            s.getOutputStream().write("GET /big HTTP/1.1\r\nHost: s\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] chunk = new byte[2048];
            long total = 0;
            for (int n; (n = in.read(chunk)) > 0; ) {
                total += n;
                sleep(3);
                if (abandon && total > BIG.length / 3) {
                    aborted.incrementAndGet();
                    s.setSoLinger(true, 0);
                    return;
                }
                if (total > BIG.length + 200) {
                    return; // head and body, whatever is left
                }
            }
        }
    }

    private void wsEcho(int messages, boolean closeHandshake) throws IOException {
        try (Socket s = open(0)) {
            InputStream in = handshake(s);
            OutputStream out = s.getOutputStream();
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (int i = 0; i < messages; i++) {
                byte[] payload = new byte[r.nextInt(0, 9000)];
                r.nextBytes(payload);
                boolean text = r.nextBoolean();
                if (text) {
                    Arrays.fill(payload, (byte) ('a' + i));
                }
                int split = r.nextInt(0, payload.length + 1);
                if (r.nextBoolean() && split > 0 && split < payload.length) {
                    out.write(frame(text ? TEXT : BINARY, Arrays.copyOf(payload, split)));
                    out.write(frame(FIN | CONTINUATION, Arrays.copyOfRange(payload, split, payload.length)));
                } else {
                    out.write(frame(FIN | (text ? TEXT : BINARY), payload));
                }
                while (true) { // broadcasts on channel 0 interleave with the echo
                    ServerFrame f = readFrame(in);
                    int opcode = f.opcode();
                    if (opcode == TEXT && startsWith(f.payload(), "broadcast ")) {
                        broadcastsSeen.incrementAndGet();
                        continue;
                    }
                    if (opcode == PING || opcode == PONG) {
                        continue;
                    }
                    assertThat(opcode).as("echo opcode").isEqualTo(text ? TEXT : BINARY);
                    assertThat(f.payload()).as("echo payload").isEqualTo(payload);
                    echoes.incrementAndGet();
                    break;
                }
            }
            if (closeHandshake) {
                out.write(WsFrames.close(1000));
                for (ServerFrame f = readFrame(in); f.opcode() != CLOSE; f = readFrame(in)) {
                    broadcastsSeen.incrementAndGet();
                }
            }
        }
    }

    private void wsListen(int millis) throws IOException {
        try (Socket s = open(ThreadLocalRandom.current().nextBoolean() ? 4096 : 0)) {
            InputStream in = handshake(s);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (System.nanoTime() - deadline < 0) {
                ServerFrame f = readFrame(in);
                if (f.opcode() == TEXT) {
                    assertThat(startsWith(f.payload(), "broadcast ")).as("broadcast payload").isTrue();
                    broadcastsSeen.incrementAndGet();
                }
                if (ThreadLocalRandom.current().nextInt(20) == 0) {
                    sleep(50); // a slow listener, now and then
                }
            }
        }
    }

    private void resetMidRequest(boolean body) throws IOException {
        Socket s = open(0);
        try {
            String partial = body ? "POST /small HTTP/1.1\r\nHost: s\r\nContent-Length: 100\r\n\r\n0123456789"
                    : "GET /small HTTP/1.1\r\nHost: s\r\nX-Half: ";
            s.getOutputStream().write(partial.getBytes(StandardCharsets.US_ASCII));
            sleep(ThreadLocalRandom.current().nextInt(0, 20));
            aborted.incrementAndGet();
        } finally {
            s.setSoLinger(true, 0);
            s.close();
        }
    }

    private void wsAbortMidFrame(boolean reset) throws IOException {
        Socket s = open(0);
        try {
            handshake(s);
            byte[] f = frame(FIN | BINARY, new byte[1000]);
            s.getOutputStream().write(f, 0, ThreadLocalRandom.current().nextInt(1, f.length));
            sleep(ThreadLocalRandom.current().nextInt(0, 20));
            aborted.incrementAndGet();
        } finally {
            if (reset) {
                s.setSoLinger(true, 0);
            }
            s.close();
        }
    }

    private void idle(int millis, boolean garbage) throws IOException {
        try (Socket s = open(0)) {
            if (garbage) {
                s.getOutputStream().write("GARBAGE\u0000\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            sleep(millis);
        }
    }

    // ---- after a round ----

    /** Waits until both pools are empty: clients closed theirs, timeouts closed the rest. */
    private void awaitQuiet() throws InterruptedException {
        boolean quiet = Await.holds(() -> server.counters().active(ConnectionType.HTTP) == 0
                && server.counters().active(ConnectionType.WEBSOCKET) == 0, 15_000);
        assertThat(quiet).as("active HTTP %d, WebSocket %d", server.counters().active(ConnectionType.HTTP),
                server.counters().active(ConnectionType.WEBSOCKET)).isTrue();
    }

    /**
     * A full pool's worth of concurrent HTTP connections, all served, none evicted; then (each
     * upgrade passes through an HTTP slot, so with the HTTP pool empty again) a full pool's worth
     * of WebSocket connections, none evicted.
     */
    private void checkEverySlotFree() throws Exception {
        long httpEvicted = server.counters().closes(ConnectionType.HTTP, CloseReason.EVICTED);
        long wsEvicted = server.counters().closes(ConnectionType.WEBSOCKET, CloseReason.EVICTED);
        long httpIdle = server.counters().closes(ConnectionType.HTTP, CloseReason.IDLE_TIMEOUT);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < POOL; i++) {
                Socket s = open(0);
                sockets.add(s);
                s.getOutputStream().write("GET /small HTTP/1.1\r\nHost: s\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                expectBody(new BufferedInputStream(s.getInputStream()), SMALL);
            }
            // all of them still open, bar any the (short) idle timeout closed meanwhile
            assertThat(server.counters().active(ConnectionType.HTTP)
                    + server.counters().closes(ConnectionType.HTTP, CloseReason.IDLE_TIMEOUT) - httpIdle)
                    .as("HTTP connections open or idle-closed").isEqualTo(POOL);
        } finally {
            closeAll(sockets);
        }
        awaitQuiet();
        try {
            for (int i = 0; i < POOL; i++) {
                Socket s = open(0);
                sockets.add(s);
                handshake(s);
            }
            assertThat(Await.holds(() -> server.counters().active(ConnectionType.WEBSOCKET) == POOL, 5_000))
                    .as("WebSocket pool full: %d", server.counters().active(ConnectionType.WEBSOCKET)).isTrue();
        } finally {
            closeAll(sockets);
        }
        assertThat(server.counters().closes(ConnectionType.HTTP, CloseReason.EVICTED)).as("HTTP evictions")
                .isEqualTo(httpEvicted);
        assertThat(server.counters().closes(ConnectionType.WEBSOCKET, CloseReason.EVICTED)).as("WebSocket evictions")
                .isEqualTo(wsEvicted);
    }

    private static void closeAll(List<Socket> sockets) throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        sockets.clear();
    }

    private static long openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    private static long awaitFds(long baseline) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long fds = openFds();
        while (fds > baseline && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
            fds = openFds();
        }
        return fds;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private void printFigures() {
        StringBuilder closes = new StringBuilder();
        for (ConnectionType type : ConnectionType.values()) {
            for (CloseReason reason : CloseReason.values()) {
                long n = server.counters().closes(type, reason);
                if (n > 0) {
                    closes.append(' ').append(type).append('/').append(reason).append('=').append(n);
                }
            }
        }
        System.out.printf("soak: %d server requests, %d client requests answered, %d echoes, %d broadcast frames read,"
                        + " %d aborts, %d client-side I/O errors; server: %d accepted, %d messages read;%n  closes:%s%n",
                server.counters().requests(), requests.get(), echoes.get(), broadcastsSeen.get(), aborted.get(),
                clientErrors.get(), server.counters().accepted(), server.counters().messagesRead(), closes);
    }

    // ---- wire helpers ----

    private void expectBody(InputStream in, byte[] body) throws IOException {
        RawResponse r = HttpResponseReader.read(in, false);
        if (r == null) {
            throw new EOFException("closed before a response");
        }
        assertThat(r.statusLine()).as("status line").startsWith("HTTP/1.1 200 ");
        assertThat(r.header("Content-Length")).as("Content-Length").isNotNull();
        assertThat(r.body()).as("response body").isEqualTo(body);
        requests.incrementAndGet();
    }

    private static InputStream handshake(Socket s) throws IOException {
        s.getOutputStream().write(RawWebSocket.handshake("/ws"));
        InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
        String head = HttpResponseReader.readHead(in);
        if (head == null || !RawWebSocket.isAccept(head)) {
            throw new AssertionError("not a 101: " + head);
        }
        return in;
    }

    /** A frame masked with a random key. */
    private static byte[] frame(int firstByte, byte[] payload) {
        return WsFrames.frame(firstByte, payload, ThreadLocalRandom.current().nextInt());
    }

    private static ServerFrame readFrame(InputStream in) throws IOException {
        ServerFrame f = ServerFrameReader.read(in);
        if (f == null) {
            throw new EOFException("closed where a frame was expected");
        }
        return f;
    }

    private static boolean startsWith(byte[] bytes, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        return bytes.length >= p.length && Arrays.equals(bytes, 0, p.length, p, 0, p.length);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
